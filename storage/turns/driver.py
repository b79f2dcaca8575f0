"""Statements built once, run straight on asyncpg (PostgreSQL turns, ``storage.turns.postgres``).

SQLAlchemy's execution of a statement (an execution context, a greenlet to reach the
driver, a result object) costs more than the round trip to the server for the short
statements of a turn. The unit of work's statements are built once and compiled once
(``storage.statements.for_driver``); asyncpg prepares each once per connection. What comes
back is what the repositories read of a result: its rows, ``first()``, ``scalar()``,
``scalars()`` and ``rowcount``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from storage.statements import arguments, built_once, for_driver, given


class Rows:
    """A statement's result as the repositories read it (as SQLAlchemy's ``Result``)."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: Sequence[Any], rowcount: int) -> None:
        self._rows, self.rowcount = rows, rowcount

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def scalars(self) -> list[Any]:
        return [row[0] for row in self._rows]


async def fetch(driver: Any, statement: Any, dialect: Any, params: dict[str, Any]) -> list[Any]:
    """The rows as asyncpg gives them (JSON decoded by the codec SQLAlchemy registered)."""
    sql, binds, _ = for_driver(statement, dialect)
    return await driver.fetch(sql, *given(binds, params))


async def run(driver: Any, statement: Any, dialect: Any, params: Any) -> Rows | None:
    """The statement's result, or ``None`` when it is not one for the driver (built per
    call, several rows of parameters, or a column left to the table's default)."""
    if not built_once(statement) or not isinstance(params, dict | None):
        return None
    sql, binds, readers = for_driver(statement, dialect)
    values = arguments(binds, params or {})
    if values is None:
        return None
    if readers:
        rows = await driver.fetch(sql, *values)
        if any(read is not None for read in readers):
            rows = [_read(readers, row) for row in rows]
        return Rows(rows, len(rows))
    status = await driver.execute(sql, *values)  # "UPDATE 1", "INSERT 0 1", "DELETE 0"
    last = status.rpartition(" ")[2]
    return Rows((), int(last) if last.isdigit() else -1)


def _read(readers: list[Any], row: Any) -> tuple[Any, ...]:
    return tuple(v if read is None else read(v) for read, v in zip(readers, row, strict=True))
