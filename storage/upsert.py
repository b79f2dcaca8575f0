"""INSERT … ON CONFLICT for the two dialects we run on (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite


def insert_for(session: Any) -> Any:
    """The dialect's ``insert``, which has ``on_conflict_do_nothing/do_update``."""
    return postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
