"""Hashes of imported rows, so importing a file twice stores nothing the second time.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_rows",
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("row_hash", name="pk_imported_rows"),
    )


def downgrade() -> None:
    op.drop_table("imported_rows")
