"""Paper batches being typed in by staff: the date on the forms and how many were entered.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paper_batches",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("forms_date", sa.Date(), nullable=True),
        sa.Column("entered", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_paper_batches"),
    )


def downgrade() -> None:
    op.drop_table("paper_batches")
