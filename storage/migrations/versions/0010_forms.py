"""Questionnaires loaded by staff (XLSForm): every version, its definition, its municipality.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forms",
        sa.Column("municipality", sa.String(24), nullable=False, server_default="default"),
        sa.Column("tag", sa.String(64), nullable=False),
        sa.Column("form_id", sa.String(40), nullable=False),
        sa.Column("version", sa.String(20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("municipality", "tag", name="pk_forms"),
    )
    op.create_index("ix_forms_form_id", "forms", ["municipality", "form_id"])


def downgrade() -> None:
    op.drop_index("ix_forms_form_id", "forms")
    op.drop_table("forms")
