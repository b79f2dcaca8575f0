"""Staff accounts, sessions, set-up links and the audit log, on the unit of work's session
(``Database.staff()``; the in-memory fake is ``tests/support/memory_store.MemoryStaff``).

Only hashes of tokens are kept (a database reader cannot act as a member of staff); the
audit log names the member of staff and the object, never a citizen's answer or text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from storage.staff_schema import StaffAccountRow, StaffAuditRow, StaffSessionRow, StaffSetupRow


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    municipality: str | None
    """``None``: a national account."""
    role: str
    password_hash: str | None
    totp_secret: str | None
    failures: int
    locked_until: datetime | None
    added_on: date
    totp_step: int | None = None
    """The time-step of the last second-factor code accepted (no code is good twice)."""


@dataclass(frozen=True)
class StaffSession:
    token_hash: str
    account_id: str
    csrf: str
    seen_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    who: str
    role: str
    municipality: str | None
    action: str
    object: str = ""


@dataclass(frozen=True)
class AuditFilter:
    municipality: str | None = None
    """Only this municipality's entries (``None``: every one, for national use)."""
    who: str = ""
    action: str = ""
    start: date | None = None
    end: date | None = None
    limit: int | None = 500
    """The newest this many (``None``: every entry, for the CSV export)."""


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every moment here is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _account(row: Any) -> Account:
    return Account(
        row.id,
        row.email,
        row.municipality,
        row.role,
        row.password_hash,
        row.totp_secret,
        row.failures,
        _aware(row.locked_until),
        row.added_on,
        row.totp_step,
    )


class SqlStaff:
    """Every staff table on one session; nothing is kept without ``commit``."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def commit(self) -> None:
        await self._session.commit()

    # Accounts

    async def add_account(self, account: Account) -> None:
        values = {f: getattr(account, f) for f in Account.__dataclass_fields__}
        await self._session.execute(insert(StaffAccountRow).values(**values))

    async def account(self, account_id: str) -> Account | None:
        return await self._one(StaffAccountRow.id == account_id)

    async def account_by_email(self, email: str) -> Account | None:
        return await self._one(StaffAccountRow.email == email)

    async def _one(self, where: Any) -> Account | None:
        found = (await self._session.execute(select(StaffAccountRow).where(where))).first()
        return None if found is None else _account(found[0])

    async def accounts(self, municipality: str | None = None) -> list[Account]:
        """Every account, or one municipality's (national accounts are never one's)."""
        query = select(StaffAccountRow).order_by(StaffAccountRow.email)
        if municipality is not None:
            query = query.where(StaffAccountRow.municipality == municipality)
        return [_account(r[0]) for r in (await self._session.execute(query)).all()]

    async def change_account(self, account_id: str, **values: Any) -> bool:
        """Sets columns (``password_hash``, ``totp_secret``, ``failures``, ``locked_until``,
        ``role``) of one account."""
        result = await self._session.execute(
            update(StaffAccountRow).where(StaffAccountRow.id == account_id).values(**values)
        )
        return bool(result.rowcount)

    async def use_totp_step(self, account_id: str, step: int) -> bool:
        """Keeps ``step`` as the account's last accepted code, only when it is later than
        the one kept (in one statement: two requests with one code cannot both pass)."""
        row = StaffAccountRow
        result = await self._session.execute(
            update(row)
            .where(row.id == account_id, (row.totp_step.is_(None)) | (row.totp_step < step))
            .values(totp_step=step)
        )
        return bool(result.rowcount)

    async def remove_account(self, account_id: str) -> bool:
        """The account, its sessions and set-up links go; its audit entries stay."""
        await self.end_sessions(account_id)
        await self._session.execute(
            delete(StaffSetupRow).where(StaffSetupRow.account_id == account_id)
        )
        result = await self._session.execute(
            delete(StaffAccountRow).where(StaffAccountRow.id == account_id)
        )
        return bool(result.rowcount)

    # Sessions

    async def add_session(self, session: StaffSession) -> None:
        values = {f: getattr(session, f) for f in StaffSession.__dataclass_fields__}
        await self._session.execute(insert(StaffSessionRow).values(**values))

    async def session(self, token_hash: str) -> StaffSession | None:
        query = select(StaffSessionRow).where(StaffSessionRow.token_hash == token_hash)
        found = (await self._session.execute(query)).first()
        if found is None:
            return None
        row = found[0]
        return StaffSession(row.token_hash, row.account_id, row.csrf, _aware(row.seen_at))

    async def touch_session(self, token_hash: str, seen_at: datetime) -> None:
        await self._session.execute(
            update(StaffSessionRow)
            .where(StaffSessionRow.token_hash == token_hash)
            .values(seen_at=seen_at)
        )

    async def end_session(self, token_hash: str) -> None:
        await self._session.execute(
            delete(StaffSessionRow).where(StaffSessionRow.token_hash == token_hash)
        )

    async def end_sessions(self, account_id: str) -> None:
        await self._session.execute(
            delete(StaffSessionRow).where(StaffSessionRow.account_id == account_id)
        )

    # One-time set-up links

    async def add_setup(self, token_hash: str, account_id: str, expires_at: datetime) -> None:
        await self._session.execute(
            delete(StaffSetupRow).where(StaffSetupRow.account_id == account_id)
        )
        await self._session.execute(
            insert(StaffSetupRow).values(
                token_hash=token_hash, account_id=account_id, expires_at=expires_at
            )
        )

    async def setup_account(self, token_hash: str, now: datetime) -> str | None:
        """The account a set-up link stands for, while it has not expired."""
        query = select(StaffSetupRow).where(StaffSetupRow.token_hash == token_hash)
        found = (await self._session.execute(query)).first()
        if found is None or _aware(found[0].expires_at) <= now:
            return None
        return found[0].account_id

    async def use_setup(self, token_hash: str) -> bool:
        result = await self._session.execute(
            delete(StaffSetupRow).where(StaffSetupRow.token_hash == token_hash)
        )
        return bool(result.rowcount)

    # The audit log

    async def audit(self, entry: AuditEntry) -> None:
        values = {f: getattr(entry, f) for f in AuditEntry.__dataclass_fields__}
        await self._session.execute(insert(StaffAuditRow).values(**values))

    async def audit_log(self, wanted: AuditFilter) -> list[AuditEntry]:
        """Newest first."""
        row = StaffAuditRow
        query = select(row).order_by(row.at.desc(), row.id.desc()).limit(wanted.limit)
        if wanted.municipality is not None:
            query = query.where(row.municipality == wanted.municipality)
        if wanted.who:
            query = query.where(row.who == wanted.who)
        if wanted.action:
            query = query.where(row.action == wanted.action)
        if wanted.start is not None:
            query = query.where(row.at >= _midnight(wanted.start.toordinal()))
        if wanted.end is not None:
            query = query.where(row.at < _midnight(wanted.end.toordinal() + 1))
        found = (await self._session.execute(query)).all()
        return [
            AuditEntry(_aware(r.at), r.who, r.role, r.municipality, r.action, r.object)
            for (r,) in found
        ]


def _midnight(ordinal: int) -> datetime:
    """The day's start in UTC, as every stored moment is."""
    return datetime.fromordinal(ordinal).replace(tzinfo=UTC)
