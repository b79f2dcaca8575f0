"""The "what we changed" entries: the service the command line calls, and the staff console will.

An analyst writes what residents asked, what the municipality decided, where it stands and
which categories of suggestions it answers; the results page, its Atom feed and the
subscribers' quarterly news print the entries (``bot.application.results``). The service
checks what is typed and says what is wrong as a ``Refusal`` (one line of the locale), so
every front door refuses the same things the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import yaml

from bot.application.refusal import Refusal
from bot.dialogue.store import UnitOfWorkFactory
from bot.questionnaire.changes import ChangeEntry, Status

ANNOUNCED = "news_entry"
"""The job runs' kind that records each entry the subscribers' news has told."""
LONGEST = 600
"""Characters of "asked" or "decided": a few plain sentences, as a page and a chat show them."""


@cache
def category_labels() -> Mapping[str, str]:
    """The suggestion categories' codes and Georgian names (``locales/categories.ka.yaml``),
    read without building the categoriser."""
    from reporting.categories import default_rules_path

    raw = yaml.safe_load(default_rules_path().read_text("utf-8"))
    return {str(code): str(text) for code, text in raw["labels"].items()}


@dataclass
class Changes:
    """One municipality's entries: ``transaction`` opens its unit of work."""

    transaction: UnitOfWorkFactory
    today: Callable[[], date]

    async def add(
        self, asked: str, decided: str, status: str, categories: Sequence[str] = ()
    ) -> str:
        """The new entry's id, dated today."""
        asked, decided = _text(asked, "asked"), _text(decided, "decided")
        chosen, codes = _status(status), _categories(categories)
        async with self.transaction() as uow:
            entry = await uow.changes.add(asked, decided, chosen, self.today(), codes)
            await uow.commit()
        return entry

    async def set_status(self, entry: str, status: str) -> None:
        """Moves an entry on (planned, in progress, done), dated today."""
        chosen = _status(status)
        async with self.transaction() as uow:
            if not await uow.changes.set_status(entry.strip(), chosen, self.today()):
                raise Refusal("changes_unknown", id=entry)
            await uow.commit()

    async def to_announce(self, since: date, now: datetime) -> list[ChangeEntry]:
        """The entries written or moved on since ``since`` (the reported quarter's start)
        that no earlier news told, newest first; each is marked told here, in its status.

        A day is all an entry keeps, and the news goes out a day or more into the next
        quarter, so "since the quarter began" alone told an entry written before the news
        was sent in two quarters' news. The job runs record (``news_entry``, id and status)
        remembers what was told: an entry once, and again only when it moves on."""
        async with self.transaction() as uow:
            fresh = [entry for entry in await uow.changes.all() if entry.on >= since]
            told = [e for e in fresh if await uow.runs.claim(ANNOUNCED, _told(e), now)]
            await uow.commit()
        return told

    async def all(self) -> list[ChangeEntry]:
        """Newest first."""
        async with self.transaction() as uow:
            return await uow.changes.all()


def _told(entry: ChangeEntry) -> str:
    return f"{entry.id}:{entry.status.value}"


def _text(value: str, field: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise Refusal(f"changes_empty_{field}")
    if len(text) > LONGEST:
        raise Refusal("changes_too_long", most=LONGEST)
    return text


def _status(value: str) -> Status:
    found = Status.typed(value)
    if found is None:
        raise Refusal("changes_bad_status", value=value)
    return found


def _categories(values: Sequence[str]) -> tuple[str, ...]:
    known = category_labels()
    codes = [code.strip() for value in values for code in value.split(",") if code.strip()]
    for code in codes:
        if code not in known:
            raise Refusal("changes_bad_category", value=code, known=", ".join(known))
    return tuple(dict.fromkeys(codes))
