"""Slips handed out at the desk: their one-use codes (keyed hashes only) and whether a
response was begun with one (``confirmed``), never which.

Adding the column rewrites no row (SQLite: ``ALTER TABLE … ADD COLUMN``; PostgreSQL: a
constant default is kept in the catalogue), so no response gets a new transaction id or
place here.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "responses",
        sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "desk_codes",
        sa.Column("municipality", sa.String(24), server_default="default", nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("spent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("municipality", "key", name="pk_desk_codes"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("desk_codes")
    with op.batch_alter_table("responses", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.drop_column("confirmed")
