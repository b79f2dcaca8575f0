"""``feedback-bot backup --out DIR | backup verify FILE | restore FILE``.

The operator's side of ``bot.application.backup_service``: each prints one line, Georgian
first; a file that cannot be used says why in one line (``cli_errors``), never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.application import backup_service
from bot.application.backup import Manifest, secret_path
from bot.config.settings import Settings
from bot.entry.cli_input import CliError
from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.i18n import Locale

OPERATOR_COMMANDS = {"backup", "restore", "check"}
ENV_FILE = Path(".env")
"""Read by default when it is there (``cli._settings``)."""


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    commands.add_parser("check")
    made = commands.add_parser("backup")
    made.add_argument("--out", type=Path)
    what = made.add_subparsers(dest="action")
    verify = what.add_parser("verify")
    verify.add_argument("file", type=Path)
    restore = commands.add_parser("restore")
    restore.add_argument("file", type=Path)


def run_operator(arguments: argparse.Namespace, settings: Settings) -> int:
    """Prints the command's lines; the exit status (``check``: 1 when anything is wrong)."""
    from bot.entry.cli_check import run_check

    locale = load_locale(bundled_locale(settings.language))
    if arguments.command == "check":
        chosen = arguments.env_file or (ENV_FILE if ENV_FILE.is_file() else None)
        lines, well = asyncio.run(run_check(settings, locale, chosen))
    else:
        lines, well = asyncio.run(run_backup(arguments, settings, locale)), True
    for line in lines:
        print(line, flush=True)
    return 0 if well else 1


async def run_backup(
    arguments: argparse.Namespace, settings: Settings, locale: Locale
) -> list[str]:
    t = locale.t
    if arguments.command == "restore":
        manifest = await backup_service.restore(arguments.file, settings)
        lines = [t("backup.restored", **_described(manifest, locale))]
        if manifest.kind == "sqlite" and "secret" not in manifest.parts:
            lines.append(t("backup.restored_without_secret", path=secret_path(settings)))
        return lines
    if getattr(arguments, "action", None) == "verify":
        manifest = backup_service.verify(arguments.file, settings)
        return [t("backup.verified", path=arguments.file, **_described(manifest, locale))]
    if arguments.out is None:
        raise CliError("backup.out_missing")
    path = await backup_service.make_backup(settings, arguments.out, datetime.now(UTC))
    lines = [t("backup.written", path=path, size=_size(path.stat().st_size))]
    if settings.backup_passphrase is None:
        lines.append(t("backup.not_encrypted"))
    return lines


def _described(manifest: Manifest, locale: Locale) -> dict[str, object]:
    return {
        "kind": "SQLite" if manifest.kind == "sqlite" else "PostgreSQL",
        "revision": manifest.revision or "—",
        "created": manifest.created.replace("T", " ").replace("Z", " UTC"),
        "size": _size(manifest.size),
    }


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    return f"{count} B"
