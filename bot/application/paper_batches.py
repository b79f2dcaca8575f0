"""Batches of paper forms from the staff console: held, saved together, taken back whole.

The forms a clerk types are held by the clerk's own page until the batch is saved (nothing
of them is on the server before that). Saving stores them with the forms' date, as the
paper desk does, confirmed, the day's responses rewritten shuffled (``storage.paper``).

Undo takes back the clerk's last batch. What it needs (the forms' answers, date and form)
is held in this process's memory only, never in the database or a log: a stored mark of
"these forms came in together, then" would keep what the ballot box exists to lose. So a
restart forgets it (the page then says undo is no longer possible), and a batch is taken
back only while nothing else replaced it as that clerk's last one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.application.refusal import Refusal
from bot.questionnaire.model import Answer
from storage import Database


@dataclass(frozen=True)
class Batch:
    version: str
    day: date
    forms: tuple[dict[str, Answer], ...]


class PaperBatches:
    """One per process: each clerk's last saved batch, by municipality and account."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, str], Batch] = {}

    def last(self, municipality: str, who: str) -> Batch | None:
        return self._last.get((municipality, who))

    async def save(
        self,
        database: Database,
        municipality: str,
        who: str,
        version: str,
        forms: Sequence[Mapping[str, Answer]],
        day: date,
    ) -> Batch:
        batch = Batch(version, day, tuple(dict(f) for f in forms))
        async with database.analysis(municipality) as analysis:
            await analysis.add_paper(version, list(batch.forms), day)
            await analysis.commit()
        self._last[(municipality, who)] = batch
        return batch

    async def undo(self, database: Database, municipality: str, who: str) -> Batch:
        """The last batch deleted whole; a ``Refusal`` when there is none, or when any of
        its forms is no longer stored."""
        batch = self._last.pop((municipality, who), None)
        if batch is None:
            raise Refusal("staff.paper.nothing_to_undo")
        async with database.analysis(municipality) as analysis:
            removed = await analysis.remove_paper(batch.version, list(batch.forms), batch.day)
            if removed is None:
                raise Refusal("staff.paper.undo_gone")
            await analysis.commit()
        return batch


LAST_BATCHES = PaperBatches()
"""The process's memory of last batches (the console runs in one process: single_process)."""
