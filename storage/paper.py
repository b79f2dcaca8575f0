"""Paper forms typed in at the staff console: a batch stored at once, and taken back whole.

A batch is stored as the paper desk stores a form (``storage.ballot.add_responses``): every
response of its day is written anew, shuffled, with it, so nothing keeps the order the clerk
typed them in. Taking a batch back finds its forms by what they hold, never by an id or a
mark kept from the moment they were saved: the database keeps nothing that says which forms
came in together. Two forms with the same answers on the same day are the same to every
report, so removing either is removing "that form".
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Text, cast, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.ballot import add_responses
from storage.schema import ResponseRow

PAPER = "paper"


async def add_paper(
    session: AsyncSession,
    municipality: str,
    version: str,
    forms: Sequence[Mapping[str, Any]],
    day: date,
) -> None:
    """The batch's forms, confirmed (a clerk held each one, as at the paper desk)."""
    rows = [
        {
            "id": uuid.uuid4().hex,
            "questionnaire_version": version,
            "channel": PAPER,
            "answers": dict(answers),
            "submitted_on": day,
            "municipality": municipality,
            "confirmed": True,
        }
        for answers in forms
    ]
    if rows:
        await add_responses(session, rows)


async def remove_paper(
    session: AsyncSession,
    municipality: str,
    version: str,
    forms: Sequence[Mapping[str, Any]],
    day: date,
) -> int | None:
    """Deletes one stored paper form of ``day`` per item of ``forms`` with exactly its
    answers, and says how many; ``None`` (and nothing deleted) when any is no longer there
    (taken back already, or deleted by retention): a batch goes back whole or not at all."""
    query = select(ResponseRow.id, cast(ResponseRow.answers, Text)).where(
        ResponseRow.municipality == municipality,
        ResponseRow.channel == PAPER,
        ResponseRow.questionnaire_version == version,
        ResponseRow.submitted_on == day,
    )
    stored = [(row[0], json.loads(row[1])) for row in (await session.execute(query)).all()]
    chosen: list[str] = []
    for answers in forms:
        wanted = json.loads(json.dumps(dict(answers)))  # as the JSON column gives it back
        match = next((i for i, a in stored if a == wanted and i not in chosen), None)
        if match is None:
            return None
        chosen.append(match)
    if chosen:
        await session.execute(delete(ResponseRow).where(ResponseRow.id.in_(chosen)))
    return len(chosen)
