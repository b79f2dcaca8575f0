"""A plain sqlite3 error (the backup's own copy of a SQLite database) reaches the clerk as
one line naming the cause, never as a traceback."""

from __future__ import annotations

import sqlite3

from bot.entry.cli_errors import one_line
from bot.questionnaire.content import bundled_locale, load_locale


def test_a_locked_database_during_a_backup_is_one_line():
    locale = load_locale(bundled_locale("ka"))
    said = one_line(sqlite3.OperationalError("database is locked"), locale)
    assert said is not None and "database is locked" in said and "\n" not in said
