"""Citizens who asked to hear what came of the feedback; linked to nothing else.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscribers",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("opted_in_month", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_id", name="pk_subscribers"),
    )


def downgrade() -> None:
    op.drop_table("subscribers")
