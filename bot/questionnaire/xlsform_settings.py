"""The form's name, version and title from its settings sheet, as KoboToolbox and ODK write them.

Our ids and versions are stricter than theirs: an id goes into Telegram links and file names,
a version into a 20-character column. Forms from elsewhere write ``form_id: Spec test`` or
``XLDateAmbiguous-v1``, and a KoboToolbox version is a moment (``2022-04-11 16:26:28.971000``,
or ``1 (2021-03-04 12:34:56)``). Refusing them made a clerk mend what nobody asked them to,
so they are made ours the way an id from a file name is: ``Spec_test``, and the version's
moment written as ODK advises (``20220411162628``), the rest of it kept as text. Only what
cannot be made ours without losing it stays refused: an id with letters outside Latin ones
(``ბაღი`` and ``სკოლა`` would both become ``form_``), the same in a version, and a version
still longer than 20.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.questionnaire.kinds.base import ProblemSink
from bot.questionnaire.xlsform_sheets import FORM_ID, SETTINGS, VERSION
from bot.questionnaire.xlsform_workbook import from_file_name

_MOMENT = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d))?(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?"
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Identity:
    form_id: str
    written_id: str | None
    """The id as the sheet or the file name wrote it, when it had to be made an id."""
    version: str | None
    """As text; ``None`` lets the store number the versions."""
    title: str


def form_identity(settings: Mapping[str, object], file_name: str, problem: ProblemSink) -> Identity:
    """The form's identity; what cannot be kept is one problem at its settings cell."""
    named = settings.get("form_id") or settings.get("id_string")
    form_id, written_id = _form_id(str(named).strip() if named else None, file_name)
    if not FORM_ID.match(form_id):
        problem(SETTINGS, 2, "form_id", "form_id", value=written_id or form_id)
    written = str(settings.get("version") or "").strip()
    version = as_version(written) if written else None
    if version is not None and not VERSION.match(version):
        problem(SETTINGS, 2, "version", "version", value=written[:40])
    title = str(settings.get("form_title") or "").strip() or form_id
    return Identity(form_id, written_id, version, title)


def _form_id(named: str | None, file_name: str) -> tuple[str, str | None]:
    """The id and, when it had to be made, what was written. An id written with letters
    outside Latin ones is left as written (refused): made an id, it would lose them."""
    written = named if named is not None else file_name
    if FORM_ID.match(written) or (named is not None and not written.isascii()):
        return written, None
    made = from_file_name(written)
    return made, (written if made != written else None)


def as_version(written: str) -> str:
    """``2022-04-11 16:26:28.971000`` is ``20220411162628``; ``1 (2021-03-04 12:34)`` is
    ``1_202103041234``; ``2.5``, ``v3`` and ``2025-01-15`` stay as they are."""
    if VERSION.match(written) or not written.isascii():
        return written  # ours already, or what only the clerk can say in Latin letters
    compact = _MOMENT.sub(lambda m: "".join(part or "" for part in m.groups()), written)
    return _UNSAFE.sub("_", compact).strip("_")
