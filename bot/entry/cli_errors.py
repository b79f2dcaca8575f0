"""The one line a clerk reads when a command cannot go on, for every failure we foresee.

Anything not listed here is a bug and keeps its traceback (``None``), so it gets reported.
"""

from __future__ import annotations

import socket
import sqlite3

from bot.questionnaire.i18n import Locale

REASON_LENGTH = 120


def one_line(error: BaseException, locale: Locale) -> str | None:
    from bot.application.analyst import AnalystError
    from bot.application.municipality_file import MunicipalityError
    from bot.application.refusal import Refusal
    from bot.exchange.sources import FileRefused
    from bot.questionnaire.content import ContentError
    from bot.wiring.bootstrap import StartupError
    from bot.wiring.single_process import AlreadyRunning

    t = locale.t
    if isinstance(error, MunicipalityError):
        return error.text(locale)
    if isinstance(error, (StartupError, ContentError)):
        return str(error)
    if isinstance(error, (Refusal, AnalystError)):  # a CliError is a Refusal
        return error.text(locale)
    if isinstance(error, FileRefused):
        return t(f"exchange.file.{error.key}", **error.values)
    if isinstance(error, AlreadyRunning):
        return t("cli.already_running", path=error.database)
    if _telegram_unreachable(error):
        return t("cli.telegram_unreachable", reason=_reason(error))
    if _graph_unreachable(error):
        return t("cli.graph_unreachable", reason=_reason(error))
    if _database_unreachable(error):
        return t("cli.database_unreachable", reason=_database_reason(error))
    if isinstance(error, OSError):
        return t("cli.cannot_write", reason=_reason(error))
    return None


def _telegram_unreachable(error: BaseException) -> bool:
    from telegram.error import NetworkError

    return isinstance(error, NetworkError)


def _graph_unreachable(error: BaseException) -> bool:
    import httpx

    return isinstance(error, httpx.TransportError)


def _database_unreachable(error: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, DBAPIError | sqlite3.Error):  # plain sqlite3: the backup's copy
        return True
    if isinstance(error, (ConnectionError, socket.gaierror, TimeoutError)):
        return True
    module = type(error).__module__
    return module.startswith("asyncpg") or (
        isinstance(error, OSError) and "Connect call failed" in str(error)
    )


_SAYS_ONLY_WHERE = (
    "asyncpg.exceptions.PostgresConnectionError",
    "asyncpg.exceptions.InvalidAuthorizationSpecificationError",
    "asyncpg.exceptions.InvalidPasswordError",
    "asyncpg.exceptions.InvalidCatalogNameError",
    "asyncpg.exceptions.CannotConnectNowError",
    "asyncpg.exceptions.TooManyConnectionsError",
    "sqlite3.Error",  # SQLite's words name a file or a table, never a value
)
"""Database errors whose words are about the connection (which server, which database): a
clerk needs them. Any other's words may quote a value a statement carried, a citizen's
answer among them (asyncpg's "invalid input for query argument"), so only its kind is said."""


def _database_reason(error: BaseException) -> str:
    cause = error.orig if hasattr(error, "orig") and error.orig is not None else error
    names = {f"{k.__module__}.{k.__qualname__}" for k in type(cause).__mro__}
    if isinstance(cause, OSError | TimeoutError) or names & set(_SAYS_ONLY_WHERE):
        return _reason(cause)
    return type(cause).__name__


def _reason(error: BaseException) -> str:
    """The cause in a few words: the driver's first line, never the statement or parameters."""
    cause = error.orig if hasattr(error, "orig") and error.orig is not None else error
    text = " ".join(str(cause).split("\n", 1)[0].split()) or type(cause).__name__
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"
