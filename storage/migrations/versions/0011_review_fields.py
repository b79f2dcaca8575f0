"""An analyst's review per free text, not per response: a loaded form may ask several.

``field`` is ``""`` for a response's main comment (its suggestions, and with them its
described need, as before) and a question's name for any other free text of a loaded form.
Every review made before this was of the main comment.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("comment_reviews", recreate="always") as batch:
        batch.add_column(sa.Column("field", sa.String(64), nullable=False, server_default=""))
        batch.drop_constraint("pk_comment_reviews", type_="primary")
        batch.create_primary_key("pk_comment_reviews", ["response_id", "field"])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM comment_reviews WHERE field != ''"))
    with op.batch_alter_table("comment_reviews", recreate="always") as batch:
        batch.drop_constraint("pk_comment_reviews", type_="primary")
        batch.create_primary_key("pk_comment_reviews", ["response_id"])
        batch.drop_column("field")
