"""``feedback-bot``: run the Telegram bot, or the questionnaire in a terminal."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.bootstrap import StartupError, build_runtime
from bot.cli_analysis import ANALYSIS_COMMANDS, add_commands, run_analysis
from bot.questionnaire.content import ContentError, bundled_locale, load_locale
from bot.settings import Settings

QUIET_LOGGERS = ("httpx", "httpcore", "aiosqlite", "alembic")
# python-telegram-bot logs whole updates (user ids, names, texts) at DEBUG: never below INFO.
NEVER_DEBUG = ("telegram",)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feedback-bot", description=__doc__)
    parser.add_argument("--env-file", type=Path, default=Path(".env"), help="default: .env")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start the bot: Telegram and/or Messenger")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="receive Telegram updates at TELEGRAM_WEBHOOK_URL (several processes, one database)",
    )
    commands.add_parser("console", help="answer the questionnaire in this terminal")
    add_commands(commands)
    return parser


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in NEVER_DEBUG:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))


def _settings(env_file: Path) -> Settings:
    try:
        return Settings(_env_file=env_file if env_file.exists() else None)
    except ValidationError as error:
        locale = load_locale(bundled_locale("ka"))
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"]).upper() or "MESSENGER_*"
            print(locale.t("cli.bad_settings", name=name, reason=problem["msg"]), file=sys.stderr)
        raise SystemExit(2) from None


async def _main(command: str, settings: Settings, webhook: bool = False) -> None:
    runtime = await build_runtime(settings)
    try:
        if command == "run":
            from bot.runner import serve

            await serve(runtime, webhook=webhook)
        else:
            from bot.channels.console import run_console

            await run_console(runtime.conversation, runtime.content.locale, sys.stdin, sys.stdout)
    finally:
        await runtime.close()


PRIVATE_FILES = 0o077
"""Databases, the secret, exports, reports and QR sheets: readable by their owner only."""


def main(argv: list[str] | None = None) -> None:
    os.umask(PRIVATE_FILES)
    arguments = _parser().parse_args(argv)
    settings = _settings(arguments.env_file)
    quiet = arguments.command == "console" or arguments.command in ANALYSIS_COMMANDS
    _configure_logging("WARNING" if quiet else settings.log_level)
    try:
        if arguments.command in ANALYSIS_COMMANDS:
            for line in asyncio.run(run_analysis(arguments, settings)):
                print(line)
            return
        asyncio.run(_main(arguments.command, settings, getattr(arguments, "webhook", False)))
    except (StartupError, ContentError) as error:
        print(str(error), file=sys.stderr)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
