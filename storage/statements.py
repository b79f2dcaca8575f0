"""The unit of work's statements, built once per dialect: Core statements against the tables
with bind parameters, so an answer costs no statement building and no ORM.

SQLAlchemy compiles each of these once and keeps the SQL in its cache under a key computed
once per statement object; building a new statement per call (as ``insert(...).values(...)``
does) would compute that key again every time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from sqlalchemy import (
    DateTime,
    String,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from storage.schema import (
    BallotRow,
    DraftRow,
    JobRunRow,
    PaperBatchRow,
    ReminderRow,
    ResponseRow,
    SeenUpdateRow,
    SubmissionCountRow,
    SubscriberRow,
)

drafts = DraftRow.__table__
reminders = ReminderRow.__table__
seen = SeenUpdateRow.__table__
counts = SubmissionCountRow.__table__
responses = ResponseRow.__table__
ballot_box = BallotRow.__table__
subscribers = SubscriberRow.__table__
job_runs = JobRunRow.__table__
paper_batches = PaperBatchRow.__table__


Prepare = Callable[[Any], Any]
Bind = tuple[str, Prepare, Any]
"""A positional parameter: its name, how its value is prepared, and the value it has when
the caller gives none (``REQUIRED``: it must be given)."""
REQUIRED = object()
_FOR_DRIVER: dict[tuple[int, str], tuple[str, list[Bind], list[Prepare | None]]] = {}
_ONCE: dict[int, Any] = {}
"""Statements built once (and kept here, so that no other object ever takes their id)."""


def once(*statements: Any) -> None:
    """Marks statements as built once for the life of the process: only such a statement
    may go to the driver by ``for_driver``, whose SQL is kept under the statement's id."""
    for statement in statements:
        if statement is not None:
            _ONCE[id(statement)] = statement


def built_once(statement: Any) -> bool:
    return id(statement) in _ONCE


def _same(value: Any) -> Any:
    return value


def for_driver(statement: Any, dialect: Any) -> tuple[str, list[Bind], list[Prepare | None]]:
    """The SQL for the driver itself of a statement built once (``once``), worked out once:
    its positional parameters in order, each with how SQLAlchemy would prepare its value
    (JSON serialised, a date as SQLite keeps it) and its own value if it has one (``count
    + 1``), and how each column it returns is read back (``None``: as it comes)."""
    key = (id(statement), dialect.name)
    if key not in _FOR_DRIVER:
        if not built_once(statement):  # its id could be another statement's later
            raise ValueError("only a statement built once goes to the driver")
        compiled = statement.compile(dialect=dialect)
        binds = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            processor = bind.type._cached_bind_processor(dialect)
            binds.append((name, processor or _same, REQUIRED if bind.required else bind.value))
        readers = [
            column[3]._cached_result_processor(dialect, None)
            for column in getattr(compiled, "_result_columns", ())
        ]
        _FOR_DRIVER[key] = (compiled.string, binds, readers)
    return _FOR_DRIVER[key]


def arguments(binds: list[Bind], params: dict[str, Any]) -> list[Any] | None:
    """The values in the driver's order; ``None`` when a parameter the SQL needs was not
    given (SQLAlchemy would leave its column out: such a call goes through SQLAlchemy)."""
    values = []
    for name, prepare, default in binds:
        value = params.get(name, default)
        if value is REQUIRED:
            return None
        values.append(prepare(value))
    return values


def given(binds: list[Bind], params: dict[str, Any]) -> list[Any]:
    """As ``arguments``, for a statement whose caller gives every parameter it needs."""
    values = arguments(binds, params)
    if values is None:
        raise ValueError("a parameter of the statement was not given")
    return values


def _key(name: str = "key") -> Any:
    return bindparam(name)


@dataclass(frozen=True)
class Statements:
    """Everything a turn runs, for one dialect."""

    first_delivery: Any
    lock: Any
    """PostgreSQL only (``None`` on SQLite, where the turn holds the write lock)."""
    record_and_lock: Any
    draft_load: Any
    draft_save: Any
    draft_create: Any
    """A draft saved only if there is none (PostgreSQL, under the lock: one read as absent)."""
    draft_delete: Any
    """The draft and, on PostgreSQL, its reminder in the same statement."""
    draft_count: Any
    reminder_plan: Any
    reminder_drop: Any
    """``None`` where ``draft_delete`` drops the reminder itself."""
    reminder_due: Any
    reminder_sent: Any
    count_on: Any
    response_add: Any
    ballot_withdraw: Any
    subscriber_remove: Any
    subscribers_of: Any
    run_claim: Any
    paper_get: Any
    paper_save: Any
    paper_end: Any


@cache
def statements_for(dialect: str) -> Statements:
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    d, r = drafts.c, reminders.c

    first_delivery = (
        insert(seen)
        .values(
            channel=bindparam("channel"),
            update_key=bindparam("update_key"),
            seen_at=bindparam("seen_at"),
        )
        .on_conflict_do_nothing()
    )
    lock = record_and_lock = None
    if dialect == "postgresql":
        lock = select(func.pg_advisory_xact_lock(bindparam("lock_id")))
        # The draft's advisory lock and the update's record in one round trip. The lock is
        # taken first (the record is inserted from the row the lock returns), so two
        # processes given the same update queue on the lock and never on each other's
        # record; the draft is read by the next statement, whose snapshot comes after it.
        locked = lock.cte("locked")
        update_row = select(
            bindparam("channel", type_=String()),
            bindparam("update_key", type_=String()),
            bindparam("seen_at", type_=DateTime()),
        ).select_from(locked)
        recorded = (
            insert(seen)
            .from_select(["channel", "update_key", "seen_at"], update_row)
            .on_conflict_do_nothing()
            .returning(seen.c.update_key)
            .cte("recorded")
        )
        record_and_lock = select(func.count()).select_from(recorded)

    save = insert(drafts)
    save = save.on_conflict_do_update(
        index_elements=[d.key],
        set_={
            "questionnaire_version": save.excluded.questionnaire_version,
            "position": save.excluded.position,
            "answers": save.excluded.answers,
            "updated_at": save.excluded.updated_at,
        },
    )
    plan = insert(reminders)
    plan = plan.on_conflict_do_update(
        index_elements=[r.draft_key],
        set_={"sealed_chat": plan.excluded.sealed_chat, "due_at": plan.excluded.due_at},
        where=r.sent.is_(False),
    )
    reminder_drop = delete(reminders).where(r.draft_key == _key())
    draft_delete = delete(drafts).where(d.key == _key())
    if dialect == "postgresql":  # one round trip for both (SQLite has no DELETE in WITH)
        draft_delete = draft_delete.add_cte(reminder_drop.cte("reminder_dropped"))
    paper_save = insert(paper_batches)
    paper_save = paper_save.on_conflict_do_update(
        index_elements=[paper_batches.c.key],
        set_={
            "forms_date": paper_save.excluded.forms_date,
            "entered": paper_save.excluded.entered,
        },
    )
    built = Statements(
        first_delivery=first_delivery,
        lock=lock,
        record_and_lock=record_and_lock,
        # FOR UPDATE (PostgreSQL): a turn under the advisory lock reads the draft's newest
        # version and holds its row, so a checked save (storage.checked) cannot land between
        # its reading and its writing; SQLite's turn holds the database's write lock.
        draft_load=select(d.questionnaire_version, d.position, d.answers, d.updated_at)
        .where(d.key == _key())
        .with_for_update(),
        draft_save=save,
        draft_create=insert(drafts).on_conflict_do_nothing(index_elements=[d.key]).returning(d.key),
        draft_delete=draft_delete,
        draft_count=select(func.count()).select_from(drafts),
        reminder_plan=plan,
        reminder_drop=None if dialect == "postgresql" else reminder_drop,
        # The due time follows the draft's own last answer (``updated_at``): an answer writes
        # the draft only, and ``due_at`` (the first moment it could be due) narrows the search.
        reminder_due=select(r.draft_key, r.sealed_chat, d.updated_at)
        .join_from(reminders, drafts, d.key == r.draft_key)
        .where(
            r.due_at <= bindparam("now"),
            r.sent.is_(False),
            r.municipality == bindparam("municipality"),
        )
        .order_by(d.updated_at)
        .limit(bindparam("limit")),
        reminder_sent=update(reminders)
        .where(r.draft_key == _key(), r.sent.is_(False))
        .values(sent=True, sealed_chat=""),
        count_on=select(counts.c.count).where(
            counts.c.key == _key(), counts.c.day == bindparam("day")
        ),
        response_add=responses.insert(),
        ballot_withdraw=delete(ballot_box).where(
            ballot_box.c.kind == bindparam("kind"),
            ballot_box.c.channel == bindparam("channel"),
            ballot_box.c.address == bindparam("address"),
            ballot_box.c.municipality == bindparam("municipality"),
        ),
        subscriber_remove=delete(subscribers).where(
            subscribers.c.channel == bindparam("channel"),
            subscribers.c.chat_id == bindparam("chat"),
            subscribers.c.municipality == bindparam("municipality"),
        ),
        subscribers_of=select(subscribers.c.chat_id).where(
            subscribers.c.channel == bindparam("channel"),
            subscribers.c.municipality == bindparam("municipality"),
        ),
        run_claim=insert(job_runs).on_conflict_do_nothing(),
        paper_get=select(paper_batches.c.forms_date, paper_batches.c.entered).where(
            paper_batches.c.key == _key()
        ),
        paper_save=paper_save,
        paper_end=delete(paper_batches)
        .where(paper_batches.c.key == _key())
        .returning(paper_batches.c.entered),
    )
    once(*(getattr(built, field.name) for field in fields(built)))
    return built
