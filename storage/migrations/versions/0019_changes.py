"""The "what we changed" table: the municipality's entries for the results page, its feed and the
subscribers' news (what was asked, what was decided, status, day, categories).

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("municipality", sa.String(24), nullable=False),
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("asked", sa.Text(), nullable=False),
        sa.Column("decided", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("municipality", "id", name="pk_changes"),
    )


def downgrade() -> None:
    op.drop_table("changes")
