"""Import marks: the month of the row they mark, so retention deletes the marks of the rows
whose texts it deleted (a mark is a hash of the whole stored row, its text included).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imported_rows") as table:
        table.add_column(sa.Column("month", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("imported_rows") as table:
        table.drop_column("month")
