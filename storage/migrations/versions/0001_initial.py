"""Responses, drafts, submission counts and seen updates.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "responses",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("questionnaire_version", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_responses"),
    )
    op.create_index("ix_responses_submitted_on", "responses", ["submitted_on"])
    op.create_table(
        "drafts",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("questionnaire_version", sa.String(64), nullable=False),
        sa.Column("position", sa.String(64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_drafts"),
    )
    op.create_index("ix_drafts_updated_at", "drafts", ["updated_at"])
    op.create_table(
        "submission_counts",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "day", name="pk_submission_counts"),
    )
    op.create_table(
        "seen_updates",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("update_key", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "update_key", name="pk_seen_updates"),
    )
    op.create_index("ix_seen_updates_seen_at", "seen_updates", ["seen_at"])


def downgrade() -> None:
    op.drop_table("seen_updates")
    op.drop_table("submission_counts")
    op.drop_table("drafts")
    op.drop_table("responses")
