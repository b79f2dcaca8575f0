"""A municipality's services offered and withdrawn from its file, as the console's Settings
page does it: the standard programmes by a tick each, its own ones added with their names.

Withdrawing never loses history: a standard service leaves the list (its names stay in the
locales), an own one stays in the file with ``offered: false`` (its names stay for the
reports of earlier periods, which name every stored answer's service). Everything is checked
before the one write, which the start-up validation checks again (``municipality_edit``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.application.municipality_edit import write
from bot.application.municipality_file import read_file, standard_services
from bot.application.refusal import Refusal
from bot.config.settings import CODE_PATTERN
from bot.questionnaire.services import OTHER


@dataclass(frozen=True)
class NewService:
    """An own service to add: its code and its name in each of the municipality's languages."""

    code: str
    names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceChoice:
    """What the admin ticked: the standard and own codes offered, and perhaps a new one."""

    offered: frozenset[str]
    new: NewService | None = None


def choosable() -> tuple[str, ...]:
    """The standard programmes an admin may tick (``other`` is always offered, last)."""
    return tuple(code for code in standard_services() if code != OTHER)


def offered_now(path: Path) -> tuple[frozenset[str], list[dict[str, Any]]]:
    """As the file says: the codes offered, and its own services (code, names, offered)."""
    data = read_file(path)
    if data.services is None:
        return frozenset(choosable()), []
    offered: set[str] = set()
    own: list[dict[str, Any]] = []
    for entry in data.services:
        if isinstance(entry, str):
            offered.add(entry)
            continue
        own.append({"code": entry.code, "names": dict(entry.name), "offered": entry.offered})
        if entry.offered:
            offered.add(entry.code)
    return frozenset(offered), own


def set_services(path: Path, choice: ServiceChoice, languages: tuple[str, ...]) -> list[str]:
    """Writes the list ``choice`` asks for; returns what changed (``+code``, ``-code``),
    nothing written when nothing changes. ``Refusal`` before any write when it cannot be."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    before, own = offered_now(path)
    if choice.new is not None:
        _check_new(choice.new, languages, {s["code"] for s in own})
    wanted = set(choice.offered) | ({choice.new.code} if choice.new else set())
    if not wanted - {OTHER}:
        raise Refusal("staff.settings.services_none")
    entries = _entries(data.get("services"), wanted, choice.new)
    before, after = before - {OTHER}, frozenset(wanted) - {OTHER}
    changes = [f"+{c}" for c in sorted(after - before)] + [f"-{c}" for c in sorted(before - after)]
    if changes:
        data["services"] = entries
        write(path, data)
    return changes


def _entries(raw: list[Any] | None, wanted: set[str], new: NewService | None) -> list[Any]:
    """The file's order kept; withdrawn standard codes leave, own ones stay unoffered, newly
    ticked standard ones and the new service come last."""
    standard = choosable()
    entries: list[Any] = []
    listed: set[str] = set()
    for item in raw if raw is not None else list(standard):
        code = item if isinstance(item, str) else item.get("code")
        listed.add(code)
        if isinstance(item, str):
            if code in wanted or code == OTHER:  # "other" is offered last anyway
                entries.append(item)
        else:
            entries.append({**item, "offered": code in wanted})
    entries += [code for code in standard if code in wanted and code not in listed]
    if new is not None:
        entries.append({"code": new.code, "name": dict(new.names)})
    return entries


def _check_new(new: NewService, languages: tuple[str, ...], own: set[str]) -> None:
    if not re.fullmatch(CODE_PATTERN, new.code):
        raise Refusal("staff.settings.service_bad_code", code=new.code)
    if new.code in standard_services() or new.code in own:
        raise Refusal("staff.settings.service_taken", code=new.code)
    missing = [language for language in languages if not new.names.get(language, "").strip()]
    if missing:
        raise Refusal("staff.settings.service_unnamed", languages=", ".join(missing))
