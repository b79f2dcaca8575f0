"""A municipality's file in MUNICIPALITIES_DIR changed one setting at a time, as
``feedback-bot municipality set`` and the staff console's Settings page change it.

The files are the truth (declarative, reviewable); a change is written only if the whole
file still passes the validation the bot runs at start, else the old file stays. Secrets are
refused by that same validation: a file names the variable that holds one, never the value.
A change reaches the running bot at its next start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.application.municipality_file import MunicipalityError, read_file
from bot.application.refusal import Refusal

EDITABLE = ("name.ka", "name.en", "timezone", "quarter_start_month", "public_min_count")
"""What the console's admins change (the rest: channels, staff chats, services, schedules,
are the operator's, on the server)."""


def file_of(folder: Path | None, code: str) -> Path | None:
    """The municipality's own file, if it has one (the home municipality may be configured
    by the environment alone)."""
    if folder is None:
        return None
    path = folder / f"{code}.yaml"
    return path if path.is_file() else None


def set_value(path: Path, key: str, value: object) -> None:
    """``key`` may be dotted (``name.en``); ``MunicipalityError`` when the result is refused."""
    set_values(path, {key: value})


def set_values(path: Path, values: dict[str, object]) -> None:
    """Every change at once, written only if the whole result passes (a form with one bad
    value changes nothing); ``None`` takes the key out of the file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key, value in values.items():
        *parents, last = key.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise Refusal("municipality_not_section", setting=key, part=part)
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    write(path, data)


def write(path: Path, data: dict[str, Any]) -> None:
    """Written only if the result passes the start-up validation; the old file otherwise.
    The code is written in (the file's name gives it, but the trial copy's name does not)."""
    data = {"code": data.get("code", path.stem), **data}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    trial = path.with_name(f".{path.name}.new")
    trial.write_text(text, encoding="utf-8")
    try:
        read_file(trial)
    except MunicipalityError as error:
        trial.unlink()
        error.path = str(path)
        raise
    trial.replace(path)
