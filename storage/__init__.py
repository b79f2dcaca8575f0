"""Everything that knows SQL: the schema, migrations and the transaction API the bot uses."""

from storage.database import Database, open_database
from storage.transaction import Transaction

__all__ = ["Database", "Transaction", "open_database"]
