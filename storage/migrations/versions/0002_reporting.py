"""Applications per period, analysts' comment reviews and period notes.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period_start", "period_end", "service", name="pk_applications"),
    )
    op.create_table(
        "comment_reviews",
        sa.Column("response_id", sa.String(32), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=True),
        sa.Column("publishable", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("response_id", name="pk_comment_reviews"),
    )
    op.create_table(
        "period_notes",
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("period_start", "period_end", name="pk_period_notes"),
    )


def downgrade() -> None:
    op.drop_table("period_notes")
    op.drop_table("comment_reviews")
    op.drop_table("applications")
