"""Reminders for unfinished questionnaires: the chat to remind, sealed with the secret.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("draft_key", sa.String(64), nullable=False),
        sa.Column("sealed_chat", sa.String(255), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("sent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("draft_key", name="pk_reminders"),
    )
    op.create_index("ix_reminders_due_at", "reminders", ["due_at"])


def downgrade() -> None:
    op.drop_table("reminders")
