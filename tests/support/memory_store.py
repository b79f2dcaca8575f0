"""The dialogue's unit of work in memory: the same contract as ``storage.transaction``.

Changes are made on a copy and kept only on ``commit``, as a database transaction would.
Like PostgreSQL's turns, nothing is locked: a commit whose drafts another unit changed
since this one began raises the port's ``StaleDraft`` and keeps nothing
(``tests/integration/test_turn_contract.py`` holds it to that).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot.dialogue.store import StaleDraft
from bot.questionnaire.changes import ChangeEntry, Status, newest_first
from bot.questionnaire.model import Answer, Draft
from bot.questionnaire.slip_codes import CLAIMED, UNKNOWN, USED, Claim
from storage.staff import Account, AuditEntry, AuditFilter, StaffSession


@dataclass
class State:
    drafts: dict[str, tuple[str, Draft, datetime]] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)
    box: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[tuple[str, date], int] = field(default_factory=dict)
    reminders: dict[str, tuple[str, datetime, bool]] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)
    subscribers: set[tuple[str, str]] = field(default_factory=set)
    runs: set[tuple[str, str]] = field(default_factory=set)
    paper: dict[str, tuple[date | None, int]] = field(default_factory=dict)
    kiosks: dict[str, str | None] = field(default_factory=dict)
    """A kiosk's one-use link hash -> its token's hash once a tablet enrolled."""
    codes: dict[str, tuple[str, bool]] = field(default_factory=dict)
    """A slip's keyed code -> (its service, used)."""
    changes: dict[str, ChangeEntry] = field(default_factory=dict)


class _Drafts:
    def __init__(self, state: State) -> None:
        self.s = state
        self.touched: set[str] = set()
        """Drafts this unit read or wrote: checked at the commit."""
        self.written: set[str] = set()

    async def lock(self, key: str) -> None:
        return None

    async def load(self, key: str, fresh_since: datetime) -> tuple[str, Draft] | None:
        self.touched.add(key)
        found = self.s.drafts.get(key)
        if found is None:
            return None
        version, draft, updated = found
        if updated < fresh_since:
            await self.delete(key)
            return None
        return version, draft

    async def save(self, key: str, version: str, draft: Draft, now: datetime) -> None:
        self.touched.add(key)
        self.written.add(key)
        self.s.drafts[key] = (version, Draft(draft.position, dict(draft.answers)), now)

    async def delete(self, key: str) -> bool:
        self.touched.add(key)
        self.written.add(key)
        self.s.reminders.pop(key, None)
        return self.s.drafts.pop(key, None) is not None

    async def count(self) -> int:
        return len(self.s.drafts)


class _Responses:
    def __init__(self, state: State) -> None:
        self.s = state

    async def add(
        self, version: str, channel: str, answers: Mapping[str, Answer], submitted_on: date
    ) -> str:
        response_id = uuid.uuid4().hex
        self.s.responses.append(
            {"id": response_id, "version": version, "channel": channel, "answers": dict(answers),
             "submitted_on": submitted_on}
        )  # fmt: skip
        return response_id

    async def drop_in_box(
        self,
        version: str,
        channel: str,
        answers: Mapping[str, Answer],
        day: date,
        confirmed: bool = False,
    ) -> None:
        self.s.box.append(
            {"version": version, "channel": channel, "answers": dict(answers), "day": day,
             "confirmed": confirmed}
        )  # fmt: skip


class _Counts:
    def __init__(self, state: State) -> None:
        self.s = state

    async def on(self, key: str, day: date) -> int:
        return self.s.counts.get((key, day), 0)

    async def add(self, key: str, day: date) -> None:
        self.s.counts[(key, day)] = self.s.counts.get((key, day), 0) + 1


class _Codes:
    def __init__(self, state: State) -> None:
        self.s = state

    async def claim(self, key: str) -> Claim:
        found = self.s.codes.get(key)
        if found is None:
            return Claim(UNKNOWN)
        service, spent = found
        if spent:
            return Claim(USED, service)
        self.s.codes[key] = (service, True)
        return Claim(CLAIMED, service)


class _Reminders:
    def __init__(self, state: State) -> None:
        self.s = state

    async def plan(self, draft_key: str, sealed_chat: str, due_at: datetime) -> None:
        current = self.s.reminders.get(draft_key)
        if current is None or not current[2]:
            self.s.reminders[draft_key] = (sealed_chat, due_at, False)

    async def drop(self, draft_key: str) -> None:
        self.s.reminders.pop(draft_key, None)

    async def due(self, now: datetime, limit: int = 200) -> list[tuple[str, str, datetime]]:
        due = [
            (key, sealed, self.s.drafts[key][2])
            for key, (sealed, at, sent) in self.s.reminders.items()
            if at <= now and not sent and key in self.s.drafts
        ]
        return sorted(due, key=lambda found: found[2])[:limit]

    async def mark_sent(self, draft_key: str) -> bool:
        current = self.s.reminders.get(draft_key)
        if current is None or current[2]:
            return False
        self.s.reminders[draft_key] = ("", current[1], True)
        return True


class _Deliveries:
    def __init__(self, state: State) -> None:
        self.s = state

    async def first(
        self, channel: str, update_key: str, now: datetime, lock: str | None = None
    ) -> bool:
        if (channel, update_key) in self.s.seen:
            return False
        self.s.seen.add((channel, update_key))
        return True


class _Subscribers:
    def __init__(self, state: State) -> None:
        self.s = state

    async def subscribe(self, channel: str, chat: str, day: date) -> None:
        self.s.subscribers.add((channel, chat))

    async def unsubscribe(self, channel: str, chat: str) -> bool:
        if (channel, chat) not in self.s.subscribers:
            return False
        self.s.subscribers.discard((channel, chat))
        return True

    async def of(self, channel: str) -> list[str]:
        return [chat for c, chat in self.s.subscribers if c == channel]


class _Runs:
    def __init__(self, state: State) -> None:
        self.s = state

    async def claim(self, kind: str, period: str, now: datetime) -> bool:
        if (kind, period) in self.s.runs:
            return False
        self.s.runs.add((kind, period))
        return True


class _Paper:
    def __init__(self, state: State) -> None:
        self.s = state

    async def get(self, key: str) -> tuple[date | None, int] | None:
        return self.s.paper.get(key)

    async def save(self, key: str, forms_date: date | None, entered: int) -> None:
        self.s.paper[key] = (forms_date, entered)

    async def end(self, key: str) -> int | None:
        found = self.s.paper.pop(key, None)
        return None if found is None else found[1]


class _Kiosks:
    def __init__(self, state: State) -> None:
        self.s = state

    async def enrol(self, link_hash: str, token_hash: str) -> bool:
        if link_hash not in self.s.kiosks or self.s.kiosks[link_hash] is not None:
            return False
        self.s.kiosks[link_hash] = token_hash
        return True

    async def known(self, token_hash: str) -> bool:
        return token_hash in self.s.kiosks.values()

    async def count_sent(self, token_hash: str, week_of: date) -> None:
        return None  # the fake keeps no counts: the SQL repository's are tested end to end


class _Changes:
    def __init__(self, state: State) -> None:
        self.s = state

    async def add(
        self, asked: str, decided: str, status: Status, on: date, categories: Sequence[str]
    ) -> str:
        entry = uuid.uuid4().hex[:6]
        self.s.changes[entry] = ChangeEntry(entry, asked, decided, status, on, tuple(categories))
        return entry

    async def set_status(self, entry: str, status: Status, on: date) -> bool:
        found = self.s.changes.get(entry)
        if found is None:
            return False
        self.s.changes[entry] = replace(found, status=status, on=on)
        return True

    async def all(self) -> list[ChangeEntry]:
        return newest_first(list(self.s.changes.values()))


class MemoryUnitOfWork:
    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._state = copy.deepcopy(store.state)
        self._began = dict(store.versions)
        state = self._state
        self.drafts, self.responses, self.counts = _Drafts(state), _Responses(state), _Counts(state)
        self.reminders, self.deliveries = _Reminders(state), _Deliveries(state)
        self.subscribers, self.runs, self.paper = _Subscribers(state), _Runs(state), _Paper(state)
        self.kiosks = _Kiosks(state)
        self.codes = _Codes(state)
        self.changes = _Changes(state)

    async def commit(self) -> None:
        versions = self._store.versions
        if any(versions.get(k, 0) != self._began.get(k, 0) for k in self.drafts.touched):
            raise StaleDraft()
        for key in self.drafts.written:
            versions[key] = versions.get(key, 0) + 1
        self._store.state = copy.deepcopy(self._state)
        self._store.commits += 1


class MemoryStore:
    """Hands out units of work over one in-memory state (``store.state`` after commits)."""

    def __init__(self) -> None:
        self.state = State()
        self.commits = 0
        self.versions: dict[str, int] = {}
        """Each draft's count of committed writes (what a commit checks)."""

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[MemoryUnitOfWork]:
        yield MemoryUnitOfWork(self)

    @asynccontextmanager
    async def staff(self) -> AsyncIterator[MemoryStaff]:
        """The staff console's store, as ``Database.staff()`` gives it."""
        yield MemoryStaff(self)


@dataclass
class StaffState:
    accounts: dict[str, Account] = field(default_factory=dict)
    sessions: dict[str, StaffSession] = field(default_factory=dict)
    setups: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)


class MemoryStaff:
    """``storage.staff.SqlStaff`` in memory: changes are kept only on ``commit``."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self.s: StaffState = copy.deepcopy(getattr(store, "staff_state", StaffState()))

    async def commit(self) -> None:
        self._store.staff_state = copy.deepcopy(self.s)  # type: ignore[attr-defined]

    async def add_account(self, account: Account) -> None:
        if any(a.email == account.email for a in self.s.accounts.values()):
            raise ValueError("an account with this e-mail exists")
        self.s.accounts[account.id] = account

    async def account(self, account_id: str) -> Account | None:
        return self.s.accounts.get(account_id)

    async def account_by_email(self, email: str) -> Account | None:
        return next((a for a in self.s.accounts.values() if a.email == email), None)

    async def accounts(self, municipality: str | None = None) -> list[Account]:
        found = [a for a in self.s.accounts.values() if municipality in (None, a.municipality)]
        return sorted(found, key=lambda a: a.email)

    async def change_account(self, account_id: str, **values: Any) -> bool:
        if account_id not in self.s.accounts:
            return False
        self.s.accounts[account_id] = replace(self.s.accounts[account_id], **values)
        return True

    async def use_totp_step(self, account_id: str, step: int) -> bool:
        account = self.s.accounts.get(account_id)
        if account is None or (account.totp_step is not None and account.totp_step >= step):
            return False
        self.s.accounts[account_id] = replace(account, totp_step=step)
        return True

    async def remove_account(self, account_id: str) -> bool:
        await self.end_sessions(account_id)
        self.s.setups = {k: v for k, v in self.s.setups.items() if v[0] != account_id}
        return self.s.accounts.pop(account_id, None) is not None

    async def add_session(self, session: StaffSession) -> None:
        self.s.sessions[session.token_hash] = session

    async def session(self, token_hash: str) -> StaffSession | None:
        return self.s.sessions.get(token_hash)

    async def touch_session(self, token_hash: str, seen_at: datetime) -> None:
        if token_hash in self.s.sessions:
            self.s.sessions[token_hash] = replace(self.s.sessions[token_hash], seen_at=seen_at)

    async def end_session(self, token_hash: str) -> None:
        self.s.sessions.pop(token_hash, None)

    async def end_sessions(self, account_id: str) -> None:
        self.s.sessions = {k: v for k, v in self.s.sessions.items() if v.account_id != account_id}

    async def add_setup(self, token_hash: str, account_id: str, expires_at: datetime) -> None:
        self.s.setups = {k: v for k, v in self.s.setups.items() if v[0] != account_id}
        self.s.setups[token_hash] = (account_id, expires_at)

    async def setup_account(self, token_hash: str, now: datetime) -> str | None:
        found = self.s.setups.get(token_hash)
        return found[0] if found is not None and found[1] > now else None

    async def use_setup(self, token_hash: str) -> bool:
        return self.s.setups.pop(token_hash, None) is not None

    async def audit(self, entry: AuditEntry) -> None:
        self.s.audit.append(entry)

    async def audit_log(self, wanted: AuditFilter) -> list[AuditEntry]:
        found = [
            e
            for e in reversed(self.s.audit)
            if wanted.municipality in (None, e.municipality)
            and wanted.who in ("", e.who)
            and wanted.action in ("", e.action)
            and (wanted.start is None or e.at.date() >= wanted.start)
            and (wanted.end is None or e.at.date() <= wanted.end)
        ]
        return found[: wanted.limit]
