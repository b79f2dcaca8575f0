"""Subscribers without rowid, written anew in random order: a rowid numbered them in the
order their opt-ins left the ballot box, which was the order of their days.

Revision ID: 0015
Revises: 0014
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        without_rowid = {"sqlite_with_rowid": False}
        with op.batch_alter_table("subscribers", recreate="always", table_kwargs=without_rowid):
            pass
    op.execute("CREATE TEMPORARY TABLE mixing_subscribers AS SELECT * FROM subscribers")
    op.execute("DELETE FROM subscribers")
    op.execute("INSERT INTO subscribers SELECT * FROM mixing_subscribers ORDER BY random()")
    op.execute("DROP TABLE mixing_subscribers")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with_rowid = {"sqlite_with_rowid": True}
        with op.batch_alter_table("subscribers", recreate="always", table_kwargs=with_rowid):
            pass
