"""``feedback-bot``: runs the bot (its chats and web page), and every staff command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.application.municipalities import pick
from bot.config.settings import Settings
from bot.entry.cli_analysis import ANALYSIS_COMMANDS, add_commands, check_arguments, run_analysis
from bot.entry.cli_backup import OPERATOR_COMMANDS, run_operator
from bot.entry.cli_backup import add_commands as add_operator_commands
from bot.entry.cli_errors import one_line
from bot.entry.cli_input import REPORT_FORMATS, CliError, OneLineParser
from bot.entry.cli_municipality import MUNICIPALITY_COMMANDS, run_municipality
from bot.entry.cli_municipality import add_commands as add_municipality_commands
from bot.entry.cli_staff import STAFF_COMMANDS, run_staff
from bot.entry.cli_staff import add_commands as add_staff_commands
from bot.entry.cli_words import argparse_speaks, describe, parser_language
from bot.questionnaire.content import bundled_locale, load_locale
from bot.questionnaire.i18n import Locale
from bot.wiring import log_json, log_privacy
from bot.wiring.bootstrap import build_runtime
from bot.wiring.single_process import sole_process

QUIET_LOGGERS = ("httpx", "httpcore", "aiosqlite", "alembic")
HEARD_IN_DEBUG = ("apscheduler",)
"""Libraries that log their routine at INFO (APScheduler: two lines a minute for the tick),
heard only when LOG_LEVEL=DEBUG asks for everything."""
# python-telegram-bot logs whole updates (user ids, names, texts) at DEBUG: never below INFO.
NEVER_DEBUG = ("telegram",)
DEFAULT_ENV_FILE = Path(".env")


def _parser(locale: Locale) -> argparse.ArgumentParser:
    """Every command and option; their help texts come from the locale (``cli_words``)."""
    parser = OneLineParser(prog="feedback-bot")
    parser.add_argument("--env-file", type=Path)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    run = commands.add_parser("run")
    run.add_argument("--webhook", action="store_true")
    console = commands.add_parser("console")
    console.add_argument("--municipality", metavar="CODE")
    add_commands(commands)
    add_municipality_commands(commands)
    add_operator_commands(commands)
    add_staff_commands(commands)
    describe(parser, locale, {"formats": ", ".join(REPORT_FORMATS)})
    return parser


def _configure_logging(level: str, style: str = "text") -> None:
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if style == "json":  # LOG_FORMAT=json: one JSON object a line (bot.wiring.log_json)
        log_json.use_json(logging.getLogger().handlers)
    log_privacy.install(logging.getLogger().handlers)
    sys.excepthook = log_privacy.excepthook
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    debug = logging.getLogger().level <= logging.DEBUG
    for name in HEARD_IN_DEBUG:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.WARNING)
    for name in NEVER_DEBUG:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger().level))


def _settings(env_file: Path | None, locale: Locale) -> Settings:
    """``--env-file`` must exist when given; the default ``.env`` is read if it is there."""
    if env_file is not None and not env_file.is_file():
        raise CliError("env_file_missing", path=env_file)
    chosen = env_file or (DEFAULT_ENV_FILE if DEFAULT_ENV_FILE.is_file() else None)
    try:
        return Settings(_env_file=chosen)
    except ValidationError as error:
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"]).upper() or "MESSENGER_*"
            print(locale.t("cli.bad_settings", name=name, reason=problem["msg"]), file=sys.stderr)
        raise SystemExit(2) from None


async def _main(
    command: str, settings: Settings, webhook: bool = False, code: str | None = None
) -> None:
    runtime = await build_runtime(settings)
    try:
        if command == "run":
            from bot.entry.runner import serve

            await serve(runtime, webhook=webhook)
        else:
            from bot.channels.console import run_console

            place = runtime.of(pick([p.municipality for p in runtime.everywhere], code).code)
            await run_console(place.conversation, place.content.locale, sys.stdin, sys.stdout)
    finally:
        await runtime.close()


PRIVATE_FILES = 0o077
"""Databases, the secret, exports, reports and QR sheets: readable by their owner only."""


def main(argv: list[str] | None = None) -> None:
    os.umask(PRIVATE_FILES)
    locale = load_locale(bundled_locale(parser_language(argv)))
    with argparse_speaks(locale):
        arguments = _parser(locale).parse_args(argv)
    try:
        settings = _settings(arguments.env_file, locale)
        locale = load_locale(bundled_locale(settings.language))
        _run(arguments, settings)
    except BrokenPipeError:
        _quiet_stdout()  # `comments list | head`: the reader has all it wanted
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        pass
    except Exception as error:
        line = one_line(error, locale)
        if line is None:
            raise
        print(line, file=sys.stderr)
        raise SystemExit(2) from None


def _run(arguments: argparse.Namespace, settings: Settings) -> None:
    quiet = arguments.command in {
        "console",
        *ANALYSIS_COMMANDS,
        *MUNICIPALITY_COMMANDS,
        *STAFF_COMMANDS,
    }
    _configure_logging("WARNING" if quiet else settings.log_level, settings.log_format)
    if arguments.command in OPERATOR_COMMANDS:  # backup, restore, check: they print
        raise SystemExit(run_operator(arguments, settings))
    if arguments.command in MUNICIPALITY_COMMANDS:
        for line in run_municipality(arguments, settings):
            print(line)
        return
    database = settings.sqlite_path
    if database is not None and not database.parent.is_dir():
        raise CliError("sqlite_folder_missing", path=database.parent)
    if arguments.command in STAFF_COMMANDS:
        for line in asyncio.run(run_staff(arguments, settings)):
            print(line)
        return
    if arguments.command in ANALYSIS_COMMANDS:
        check_arguments(arguments)
        for line in asyncio.run(run_analysis(arguments, settings)):
            print(line)
        sys.stdout.flush()
        return
    with sole_process(database if arguments.command == "run" else None):
        asyncio.run(
            _main(
                arguments.command,
                settings,
                getattr(arguments, "webhook", False),
                getattr(arguments, "municipality", None),
            )
        )


def _quiet_stdout() -> None:
    """Python would complain once more when it flushes stdout at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    main()
