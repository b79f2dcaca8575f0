"""The staff console: staff accounts, their sessions, one-time set-up links, the audit log.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("municipality", sa.String(24), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("totp_secret", sa.String(64), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff_accounts"),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(16), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_staff_sessions"),
    )
    op.create_index("ix_staff_sessions_account_id", "staff_sessions", ["account_id"])
    op.create_table(
        "staff_setup_links",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(16), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_staff_setup_links"),
    )
    op.create_index("ix_staff_setup_links_account_id", "staff_setup_links", ["account_id"])
    op.create_table(
        "staff_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(254), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("municipality", sa.String(24), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("object", sa.String(200), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_staff_audit"),
    )
    op.create_index("ix_staff_audit_at", "staff_audit", ["at"])


def downgrade() -> None:
    op.drop_table("staff_audit")
    op.drop_table("staff_setup_links")
    op.drop_table("staff_sessions")
    op.drop_table("staff_accounts")
