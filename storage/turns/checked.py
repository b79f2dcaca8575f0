"""An answer on PostgreSQL in two statements: read, then write only if nothing changed.

The write compares the version of the draft's row with the one read: PostgreSQL's ``xmin``,
the transaction that wrote the row, which every write changes (``updated_at`` would not:
two answers may come within one tick of the clock). An ``UPDATE … WHERE`` and a ``FOR
UPDATE`` read both see the row's newest version, waiting for a writer in progress, so a
draft changed or deleted meanwhile is never written over or brought back. The update is
recorded from the saved row, so it is recorded exactly when the answer was saved; recording
it twice is an error that undoes the whole statement (see ``storage.turns.postgres``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from sqlalchemy import DateTime, String, bindparam, cast, func, literal_column, select
from sqlalchemy.dialects import postgresql

from storage.schema import DraftRow, SeenUpdateRow
from storage.statements import once

drafts = DraftRow.__table__
seen = SeenUpdateRow.__table__
COLUMNS = ["key", "questionnaire_version", "position", "answers", "updated_at"]


@dataclass(frozen=True)
class Checked:
    seen_and_load: Any
    """Whether the update was seen, the draft's row and its version (no lock, no write)."""
    update_if_unchanged: Any
    """The draft saved and the update recorded, if the row is still the version read. One
    row: how many updates were recorded (0 or 1), the saved row's new version, then what
    ``seen_and_load`` gives as the statement found things (the draft someone else saved,
    when it was not the version read: worked out again from it, with no read)."""
    insert_if_absent: Any
    """The draft saved and the update recorded, if there is still no draft (as above)."""
    record_if_unchanged: Any
    """The update recorded if the draft is still as read; its row stays locked until the
    transaction ends."""


@cache
def checked() -> Checked:
    d = drafts.c
    version = cast(literal_column("drafts.xmin"), String())
    was = bindparam("was", type_=String())
    update = (
        bindparam("channel", type_=String()),
        bindparam("update_key", type_=String()),
        bindparam("seen_at", type_=DateTime()),
    )
    seen_before = (
        select(literal_column("1"))
        .where(seen.c.channel == update[0], seen.c.update_key == update[1])
        .exists()
    )
    one = select(literal_column("1").label("one")).subquery("one")
    found = (
        seen_before.label("seen"),
        d.questionnaire_version,
        d.position,
        d.answers,
        d.updated_at,
        version.label("version"),
    )
    beside_the_draft = one.outerjoin(drafts, d.key == bindparam("key"))
    seen_and_load = select(*found).select_from(beside_the_draft)

    values = {
        "questionnaire_version": bindparam("questionnaire_version", type_=String()),
        "position": bindparam("position", type_=String()),
        "answers": bindparam("answers", type_=d.answers.type),
        "updated_at": bindparam("updated_at", type_=DateTime()),
    }
    updated = (
        drafts.update()
        .where(d.key == bindparam("key"), version == was, ~seen_before)
        .values(**values)
        .returning(d.key, version.label("version"))
    )
    row = select(bindparam("key", type_=String()), *values.values()).where(~seen_before)
    inserted = (
        postgresql.insert(drafts)
        .from_select(COLUMNS, row)
        .on_conflict_do_nothing(index_elements=[d.key])
        .returning(d.key, version.label("version"))
    )

    def recorded_after(saved: Any) -> Any:
        saved = saved.cte("saved")
        record = (
            postgresql.insert(seen)
            .from_select(["channel", "update_key", "seen_at"], select(*update).select_from(saved))
            .returning(seen.c.update_key)
            .cte("recorded")
        )
        recorded = select(func.count()).select_from(record).scalar_subquery()
        saved_version = select(saved.c.version).scalar_subquery()
        return select(recorded, saved_version, *found).select_from(beside_the_draft)

    current = select(version.label("version")).where(d.key == bindparam("key")).with_for_update()
    unchanged = select(current.cte("current").c.version).scalar_subquery()
    record_if_unchanged = (
        postgresql.insert(seen)
        .from_select(
            ["channel", "update_key", "seen_at"],
            select(*update).where(unchanged.is_not_distinct_from(was)),
        )
        .returning(seen.c.update_key)
    )
    built = Checked(
        seen_and_load, recorded_after(updated), recorded_after(inserted), record_if_unchanged
    )
    once(*(getattr(built, field.name) for field in fields(built)))
    return built
