"""The ledger of public outputs (``storage.ledger``): what each public report, results page,
national view, card and feed entry printed, so each new one is audited against them all.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_outputs",
        sa.Column("municipality", sa.String(24), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("output", sa.String(16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("municipality", "digest", name="pk_public_outputs"),
    )


def downgrade() -> None:
    op.drop_table("public_outputs")
