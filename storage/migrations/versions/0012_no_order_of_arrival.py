"""No order of arrival in storage: responses and daily counts without rowid, the ballot box
without its moments, update records with their day only; what is stored written anew in
random order.

A rowid (SQLite) numbers rows in the order they came, and at seven forms a week each
emptying of the box is one form, so the rowid of ``responses`` was the order of the senders;
``submission_counts`` kept the day's senders in order the same way. The box's ``due_at`` was
a random moment after each "send", which put waiting forms in rough order of arrival.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

REMIXED = ("responses", "submission_counts", "ballot_box")


def _remix(table: str) -> None:
    """Every row written anew, in random order (and, on PostgreSQL, under this
    transaction's id): what was stored keeps no order of its arrival."""
    op.execute(f"CREATE TEMPORARY TABLE mixing_{table} AS SELECT * FROM {table}")
    op.execute(f"DELETE FROM {table}")
    op.execute(f"INSERT INTO {table} SELECT * FROM mixing_{table} ORDER BY random()")
    op.execute(f"DROP TABLE mixing_{table}")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    without_rowid = {"sqlite_with_rowid": False}
    for table in ("responses", "submission_counts"):
        if sqlite:
            with op.batch_alter_table(table, recreate="always", table_kwargs=without_rowid):
                pass
    with op.batch_alter_table("ballot_box", recreate="auto", table_kwargs=without_rowid) as batch:
        batch.drop_column("due_at")
    for table in REMIXED:
        _remix(table)
    if sqlite:
        op.execute("UPDATE seen_updates SET seen_at = substr(seen_at, 1, 10) || ' 00:00:00.000000'")
    else:
        op.execute("UPDATE seen_updates SET seen_at = date_trunc('day', seen_at)")


def downgrade() -> None:
    with op.batch_alter_table("ballot_box", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.add_column(
            sa.Column("due_at", sa.DateTime(), nullable=False, server_default="1970-01-01")
        )
    if op.get_bind().dialect.name == "sqlite":
        for table in ("responses", "submission_counts"):
            with_rowid = {"sqlite_with_rowid": True}  # batch mode would copy the option
            with op.batch_alter_table(table, recreate="always", table_kwargs=with_rowid):
                pass
