"""The ballot box; daily-limit keys now include the day, so the old rows are dropped.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ballot_box",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("address", sa.String(64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ballot_box"),
        sqlite_with_rowid=False,
    )
    # Keys made without the day were stable pseudonyms; they count nothing under the new key.
    op.execute("DELETE FROM submission_counts")


def downgrade() -> None:
    op.drop_table("ballot_box")
