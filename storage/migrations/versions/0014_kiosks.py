"""Kiosks: a municipality's own front-desk tablets, exempt from per-address web limits.

Only keyed hashes of the one-use link and of the tablet's cookie token are stored.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"  # renumbered by the lead: 0013 is the desk codes (another engineer)
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiosks",
        sa.Column("municipality", sa.String(24), nullable=False, server_default="default"),
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("link_hash", sa.String(64), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("municipality", "id", name="pk_kiosks"),
    )


def downgrade() -> None:
    op.drop_table("kiosks")
