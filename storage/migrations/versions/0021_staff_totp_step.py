"""The last second-factor code each staff account used (its RFC 6238 time-step), so a code
seen or copied once cannot sign in again within its minute and a half.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_accounts") as table:
        table.add_column(sa.Column("totp_step", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_accounts") as table:
        table.drop_column("totp_step")
