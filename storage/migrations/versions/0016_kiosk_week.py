"""Kiosks: forms sent this week, as a count with its week only (``kiosk list``).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kiosks") as table:
        table.add_column(sa.Column("week_of", sa.Date(), nullable=True))
        table.add_column(sa.Column("sent", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("kiosks") as table:
        table.drop_column("sent")
        table.drop_column("week_of")
