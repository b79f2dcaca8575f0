"""``feedback-bot check``: the installation, one line a thing, green or what to do.

The settings, each municipality's file, the database and its migrations, the secret, the
backups, then for each municipality its channels' tokens and webhooks, its e-mail and its
public address (``cli_check_net``). A line begins with ✓ (fine), ✗ (put right: it says
how) or – (not checked, and why). The exit status is 1 when any line is ✗, so a timer or a
deployment script can act on it.
"""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.application.backup import NAME, secret_path
from bot.application.municipalities import load_municipalities
from bot.application.municipality_file import MunicipalityError
from bot.config.secret_file import SECRET_TEXT
from bot.config.settings import Settings
from bot.entry.cli_check_net import BAD, GOOD, SKIPPED, Line, channel_lines
from bot.questionnaire.i18n import Locale
from storage.inspection import schema_revision


async def run_check(
    settings: Settings, locale: Locale, env_file: Path | None = None
) -> tuple[list[str], bool]:
    """Every line, and whether all is well (``env_file``: the settings file read, if any)."""
    t = locale.t
    lines = [_settings(env_file, locale)]
    try:
        everywhere = load_municipalities(settings)
    except MunicipalityError as error:
        everywhere = []
        lines.append(Line(BAD, error.text(locale)))
    for place in everywhere:
        lines.append(Line(GOOD, t("check.municipality", code=place.code, source=place.source)))
    lines += [await _database(settings, locale), _secret(settings, locale)]
    lines.append(_backups(settings, locale))
    for place in everywhere:
        lines += await channel_lines(place, locale)
    bad = sum(line.mark == BAD for line in lines)
    summary = t("check.all_well") if not bad else t("check.to_do", count=bad)
    return [*map(str, lines), summary], not bad


def _settings(env_file: Path | None, locale: Locale) -> Line:
    """Read (or they would not have got this far); a file of them holds tokens and passwords,
    so nobody but its owner may read it."""
    t = locale.t
    if env_file is None:
        return Line(GOOD, t("check.settings_environment"))
    if stat.S_IMODE(env_file.stat().st_mode) & 0o077:
        return Line(BAD, t("check.settings_open", path=env_file))
    return Line(GOOD, t("check.settings", path=env_file))


async def _database(settings: Settings, locale: Locale) -> Line:
    t = locale.t
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    sqlite = settings.sqlite_path
    if sqlite is not None and not sqlite.is_file():
        return Line(BAD, t("check.database_missing", where=where))
    engine = create_async_engine(settings.database_url, connect_args=_timeout(settings))
    try:
        async with engine.connect() as connection:
            found = await schema_revision(connection)
    except Exception as error:  # any driver's way of saying "cannot connect"
        return Line(BAD, t("check.database_unreachable", where=where, reason=_short(error)))
    finally:
        await engine.dispose()
    head = _head()
    if found is None:
        return Line(BAD, t("check.database_empty", where=where))
    if found != head:
        key = "check.database_behind" if _known(found) else "check.database_newer"
        return Line(BAD, t(key, where=where, revision=found, head=head))
    return Line(GOOD, t("check.database", where=where, revision=found))


def _timeout(settings: Settings) -> dict[str, object]:
    return {"timeout": 5} if settings.sqlite_path is None else {}


def _scripts():  # type: ignore[no-untyped-def]
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(resources.files("storage") / "migrations"))


def _head() -> str:
    return str(_scripts().get_current_head())


def _known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except Exception:  # alembic's ResolutionError: a revision it does not know
        return False


def _secret(settings: Settings, locale: Locale) -> Line:
    t = locale.t
    if settings.feedback_secret is not None:
        long_enough = len(settings.feedback_secret.get_secret_value()) >= 32
        return (
            Line(GOOD, t("check.secret_env")) if long_enough else Line(BAD, t("check.secret_short"))
        )
    path = secret_path(settings)
    if path is None:
        return Line(BAD, t("cli.secret_required"))
    if not path.exists():
        database = settings.sqlite_path
        if database is not None and database.is_file() and database.stat().st_size > 0:
            return Line(BAD, t("cli.secret_missing_with_data", path=path, database=database))
        return Line(GOOD, t("check.secret_later", path=path))
    written = path.read_bytes().decode("ascii", errors="replace").strip()
    if not SECRET_TEXT.fullmatch(written):
        return Line(BAD, t("cli.secret_broken", path=path))
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        return Line(BAD, t("check.secret_open", path=path))
    return Line(GOOD, t("check.secret_file", path=path))


def _backups(settings: Settings, locale: Locale) -> Line:
    t = locale.t
    folder = settings.backup_dir
    if not settings.backup_cron or folder is None:
        return Line(SKIPPED, t("check.backups_off"))
    if folder.exists() and not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
        return Line(BAD, t("check.backups_no_folder", folder=folder))
    found = folder.iterdir() if folder.is_dir() else iter(())  # made by the first backup
    made = sorted(p for p in found if NAME.fullmatch(p.name))
    if made:
        newest = datetime.fromtimestamp(made[-1].stat().st_mtime, UTC)
        age = f"{(datetime.now(UTC) - newest).total_seconds() / 3600:.0f}"
        last = t("check.backups_newest", name=made[-1].name, hours=age)
    else:
        last = t("check.backups_none_yet")
    clear = t("check.backups_clear") if settings.backup_passphrase is None else ""
    line = t("check.backups", cron=settings.backup_cron, folder=folder, last=last)
    return Line(GOOD, f"{line}{clear}")


def _short(error: BaseException) -> str:
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return first[:120] or type(error).__name__
