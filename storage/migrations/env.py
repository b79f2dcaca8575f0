"""Alembic environment: runs on the connection the application hands in."""

from alembic import context

from storage.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through storage.open_database(), which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
