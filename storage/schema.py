"""Tables. Responses hold no identifier of the citizen; the other tables hold only keyed hashes.

``responses`` is the anonymous dataset; submitted forms reach it only through the ballot box
(``storage.ballot``). ``drafts`` and ``submission_counts`` use two different HMACs of the
platform user (the latter also keyed by the day), so neither can be joined with the other,
and neither carries anything that could be joined with a response.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, MetaData, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "pk": "pk_%(table_name)s",
    "ix": "ix_%(table_name)s_%(column_0_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


HOME = "default"
"""The municipality of rows written before there were several (see migration 0009)."""


def municipality_column(primary_key: bool = False) -> Mapped[str]:
    """Which municipality a row belongs to; one municipality never reads another's rows."""
    return mapped_column(String(24), primary_key=primary_key, server_default=HOME)


class ResponseRow(Base):
    """A mixed form. No rowid on SQLite, and each day's rows rewritten shuffled whenever the
    box adds to that day (``storage.ballot``): nothing keeps their order of arrival."""

    __tablename__ = "responses"
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    questionnaire_version: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_on: Mapped[date] = mapped_column(Date, index=True)
    municipality: Mapped[str] = municipality_column()
    confirmed: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    """Begun with a slip from the desk (``desk_codes``) or typed in from paper by staff;
    never which slip."""


class DeskCodeRow(Base):
    """A slip's one-use code, as HMAC(secret, code) only, with its service and whether it
    was used. No time of printing or use, no rowid, and a service's rows written anew,
    shuffled, whenever one is used (``storage.codes``): nothing keeps which came when."""

    __tablename__ = "desk_codes"
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_with_rowid": False}

    municipality: Mapped[str] = municipality_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    service: Mapped[str] = mapped_column(String(64))
    spent: Mapped[bool] = mapped_column(Boolean)


class DraftRow(Base):
    __tablename__ = "drafts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    questionnaire_version: Mapped[str] = mapped_column(String(64))
    position: Mapped[str] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class SubmissionCountRow(Base):
    """How many forms a keyed hash of (day, channel, person) sent that day. No rowid, and the
    day's rows rewritten shuffled at every count (``storage.mixing``), so the rows never
    show in which order the day's senders sent."""

    __tablename__ = "submission_counts"
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_with_rowid": False}

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class SeenUpdateRow(Base):
    """An update already handled. ``seen_at`` is the day only (midnight UTC): the clean-up
    needs no more, and a finer time would be the moment of every "send"."""

    __tablename__ = "seen_updates"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    update_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class ApplicationsRow(Base):
    """How many applications a service received in a period: the response rate's denominator."""

    __tablename__ = "applications"

    municipality: Mapped[str] = municipality_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    period_end: Mapped[date] = mapped_column(Date, primary_key=True)
    service: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class CommentReviewRow(Base):
    """An analyst's word on a comment: corrected categories (win over the rules), publishable."""

    __tablename__ = "comment_reviews"

    response_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    """``""``: the response's main comment (suggestions); else the free text of that name."""
    categories: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    publishable: Mapped[bool] = mapped_column(Boolean, default=False)
    municipality: Mapped[str] = municipality_column()


class PeriodNotesRow(Base):
    __tablename__ = "period_notes"

    municipality: Mapped[str] = municipality_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    period_end: Mapped[date] = mapped_column(Date, primary_key=True)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    changes: Mapped[str | None] = mapped_column(Text, nullable=True)


class ImportedRowRow(Base):
    """SHA-256 of what the row stored (and which occurrence of it in the file it was): never
    of a column that is not stored, so the hash confirms nothing a reader cannot already see."""

    __tablename__ = "imported_rows"

    municipality: Mapped[str] = municipality_column(primary_key=True)
    row_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[date | None] = mapped_column(Date, nullable=True)
    """The first day of the marked row's month: retention deletes the marks of the rows whose
    texts it deleted (a mark made before migration 0017 has none, and is kept)."""


class PaperBatchRow(Base):
    """A staff member's open batch of paper forms (keyed by a keyed hash, like drafts)."""

    __tablename__ = "paper_batches"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    forms_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    entered: Mapped[int] = mapped_column(Integer, default=0)


class JobRunRow(Base):
    __tablename__ = "job_runs"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(32), primary_key=True)
    municipality: Mapped[str] = municipality_column(primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(DateTime)


class ReminderRow(Base):
    """One reminder per unfinished draft; the chat id is encrypted, never stored plain."""

    __tablename__ = "reminders"

    draft_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    sealed_chat: Mapped[str] = mapped_column(String(255))
    due_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    sent: Mapped[bool] = mapped_column(Boolean, default=False)
    municipality: Mapped[str] = municipality_column()


class BallotRow(Base):
    """A submitted form (or an opt-in) waiting to be mixed: no key, no time but the day.

    ``address`` is set only for an opt-in (the chat to write to).
    """

    __tablename__ = "ballot_box"
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    day: Mapped[date] = mapped_column(Date)
    municipality: Mapped[str] = municipality_column()


class SubscriberRow(Base):
    """Opted in to "you said, we did". Only the month is kept, so the row cannot be matched
    with a response by its submission day; no rowid, and a month's rows written anew in
    random order whenever opt-ins leave the box (``storage.ballot``)."""

    __tablename__ = "subscribers"
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_with_rowid": False}

    municipality: Mapped[str] = municipality_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    opted_in_month: Mapped[date] = mapped_column(Date)


class FormRow(Base):
    """A questionnaire staff loaded (XLSForm), one row per version. ``definition`` is the
    questionnaire as read (``bot.questionnaire.definition``); ``tag`` is the version stored
    with every response made on it."""

    __tablename__ = "forms"

    municipality: Mapped[str] = mapped_column(String(24), primary_key=True, default="default")
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)


class KioskRow(Base):
    """A municipality's own front-desk tablet, registered by staff: exempt from the web
    questionnaire's per-address limits. Only keyed hashes of its one-use link and of the
    token its cookie carries are kept; no address, no moment of use."""

    __tablename__ = "kiosks"

    municipality: Mapped[str] = mapped_column(String(24), primary_key=True, default="default")
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    link_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The one-use link's hash until the tablet opens it; then ``None``."""
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The hash of the token in the tablet's cookie, once it opened the link."""
    added_on: Mapped[date] = mapped_column(Date)
    week_of: Mapped[date | None] = mapped_column(Date, nullable=True)
    """The Monday of the week ``sent`` counts: a count only, never a moment finer."""
    sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ChangeRow(Base):
    """A "what we changed" entry (``bot.questionnaire.changes``): the municipality's own
    words about a decision, written by an analyst; nothing of any response."""

    __tablename__ = "changes"

    municipality: Mapped[str] = mapped_column(String(24), primary_key=True, default="default")
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    asked: Mapped[str] = mapped_column(Text)
    decided: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    on: Mapped[date] = mapped_column(Date)
    """The day its status was last set: a day only."""
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
