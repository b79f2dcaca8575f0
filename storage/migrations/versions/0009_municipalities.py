"""Many municipalities: every row that belongs to one says which.

Rows of an installation made before this belong to its home municipality
(``MUNICIPALITY_CODE``, ``default`` unless set). Drafts, daily counts, paper batches and
delivery records are scoped through their keys instead (see ``Municipality.scope``), and the
home municipality's keys are unchanged, so a citizen half-way through keeps their place.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

PLAIN = ("responses", "ballot_box", "reminders", "comment_reviews")
KEYED = {
    "subscribers": ("municipality", "channel", "chat_id"),
    "period_notes": ("municipality", "period_start", "period_end"),
    "applications": ("municipality", "period_start", "period_end", "service"),
    "imported_rows": ("municipality", "row_hash"),
    "job_runs": ("kind", "period", "municipality"),
}
"""Tables whose primary key now includes the municipality."""


def _column() -> sa.Column:
    return sa.Column("municipality", sa.String(24), nullable=False, server_default="default")


def upgrade() -> None:
    for table in PLAIN:
        with op.batch_alter_table(table) as batch:
            batch.add_column(_column())
    for table, key in KEYED.items():
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.add_column(_column())
            batch.drop_constraint(f"pk_{table}", type_="primary")
            batch.create_primary_key(f"pk_{table}", list(key))
    op.create_index("ix_responses_municipality", "responses", ["municipality", "submitted_on"])
    op.create_index("ix_reminders_municipality", "reminders", ["municipality"])
    home = context.config.attributes.get("home_municipality", "default")
    if home != "default":
        for table in (*PLAIN, *KEYED):
            op.execute(sa.text(f"UPDATE {table} SET municipality = :home").bindparams(home=home))


def downgrade() -> None:
    op.drop_index("ix_reminders_municipality", "reminders")
    op.drop_index("ix_responses_municipality", "responses")
    for table, key in KEYED.items():
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.drop_constraint(f"pk_{table}", type_="primary")
            batch.create_primary_key(f"pk_{table}", [c for c in key if c != "municipality"])
            batch.drop_column("municipality")
    for table in PLAIN:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("municipality")
