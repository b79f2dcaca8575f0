"""``feedback-bot municipality list|show|add|set|disable``: the files in MUNICIPALITIES_DIR.

The files are the truth (declarative, reviewable, kept in the operator's own repository);
these commands write them for those who prefer a command, and check every change with the
same validation the bot runs at start. Secrets are refused: a file names the variable that
holds one, never the value.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from bot.application.municipalities import load_municipalities
from bot.config.settings import Settings
from bot.entry.cli_input import CliError

MUNICIPALITY_COMMANDS = {"municipality"}


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    municipality = commands.add_parser("municipality")
    what = municipality.add_subparsers(dest="action", required=True)
    what.add_parser("list")
    show = what.add_parser("show")
    show.add_argument("code")
    add = what.add_parser("add")
    add.add_argument("code")
    add.add_argument("--name-ka", required=True)
    add.add_argument("--name-en")
    add.add_argument("--timezone")
    add.add_argument("--quarter-start-month", type=int)
    add.add_argument("--languages")
    change = what.add_parser("set")
    change.add_argument("code")
    change.add_argument("key")
    change.add_argument("value")
    disable = what.add_parser("disable")
    disable.add_argument("code")


def run_municipality(arguments: argparse.Namespace, settings: Settings) -> list[str]:
    if arguments.action == "list":
        return [_line(m) for m in load_municipalities(settings, disabled=True)]
    if arguments.action == "show":
        return _show(settings, arguments.code)
    folder = settings.municipalities_dir
    if folder is None:
        raise CliError("municipalities_dir_unset")
    path = folder / f"{arguments.code}.yaml"
    if arguments.action == "add":
        if path.exists():
            raise CliError("municipality_exists", path=path, code=arguments.code)
        data: dict[str, Any] = {"code": arguments.code, "name": {"ka": arguments.name_ka}}
        if arguments.name_en:
            data["name"]["en"] = arguments.name_en
        if arguments.timezone:
            data["timezone"] = arguments.timezone
        if arguments.quarter_start_month:
            data["quarter_start_month"] = arguments.quarter_start_month
        if arguments.languages:
            data["languages"] = arguments.languages.split(",")
        _write(path, data)
        return [f"{arguments.code}: {path}"]
    if not path.exists():
        raise CliError("municipality_unknown", code=arguments.code, codes=_codes(settings))
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if arguments.action == "disable":
        data["enabled"] = False
    else:
        _set(data, arguments.key, yaml.safe_load(arguments.value))
    _write(path, data)
    return [f"{arguments.code}: {arguments.key if arguments.action == 'set' else 'disabled'}"]


def _set(data: dict[str, Any], key: str, value: object) -> None:
    *parents, last = key.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise CliError("municipality_not_section", setting=key, part=part)
    node[last] = value


def _write(path: Path, data: dict[str, Any]) -> None:
    """Written only if the result passes the start-up validation; the old file otherwise
    (the same checked write as the staff console's Settings page)."""
    from bot.application.municipality_edit import write

    write(path, data)


def _line(m: Any) -> str:
    s = m.settings
    channels = [
        name
        for name, on in (
            ("telegram", s.telegram_bot_token is not None),
            ("messenger", s.messenger),
            ("web", s.web_enabled),
        )
        if on
    ]
    state = "" if m.enabled else "\tdisabled"
    return f"{m.code}\t{m.name}\t{','.join(channels) or '-'}\t{','.join(m.languages)}{state}"


def _show(settings: Settings, code: str) -> list[str]:
    for m in load_municipalities(settings, disabled=True):
        if m.code == code:
            if m.source != "environment":
                return [Path(m.source).read_text(encoding="utf-8").rstrip()]
            s = m.settings
            return [
                f"code: {m.code}",
                f"name: {m.name}",
                f"timezone: {s.timezone}",
                f"quarter_start_month: {s.quarter_start_month}",
                f"languages: {list(m.languages)}",
                f"public_min_count: {s.public_min_count}",
                "telegram: TELEGRAM_BOT_TOKEN" if s.telegram_bot_token else "telegram: -",
                "messenger: MESSENGER_PAGE_TOKEN" if s.messenger else "messenger: -",
                f"staff: analysts {list(s.analyst_ids)}, paper {list(s.staff_ids)}, "
                f"chats {list(s.staff_chat_ids)}, e-mails {list(s.staff_emails)}",
            ]
    raise CliError("municipality_unknown", code=code, codes=_codes(settings))


def _codes(settings: Settings) -> str:
    return ", ".join(m.code for m in load_municipalities(settings, disabled=True))
