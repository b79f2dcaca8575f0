"""Proving who one is: signing in and out, sessions, and the password and second factor
changed after the set-up. ``StaffAccounts`` (``staff_accounts``) adds the accounts
themselves and the audit log on top; the console and the command line use that one.

Sign-in failures are counted per account (never per address: no IP address is stored);
after ``FREE_FAILURES`` each further one makes the account wait longer, and after
``LOCK_AFTER`` it is locked for ``LOCK_FOR``. A session dies when its member of staff signs
out, changes the password, loses the role or leaves, and after ``idle`` without use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.application.refusal import Refusal
from bot.application.staff_roles import Role
from bot.application.staff_secrets import MIN_PASSWORD, Passwords, hashed, new_token, totp_step
from bot.application.staff_store import StaffStore, StaffStores
from bot.common.keyed_locks import KeyedLocks
from storage.staff import Account, AuditEntry, StaffSession

FREE_FAILURES = 3
LOCK_AFTER = 10
LOCK_FOR = timedelta(minutes=30)


def wait_after(failures: int) -> timedelta:
    """How long an account waits after its ``failures``-th wrong sign-in in a row:
    nothing at first (a typo), then 2, 4, 8 … seconds, then the lock."""
    if failures >= LOCK_AFTER:
        return LOCK_FOR
    if failures < FREE_FAILURES:
        return timedelta(0)
    return timedelta(seconds=2 ** (failures - FREE_FAILURES + 1))


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    WRONG = "wrong"
    WAIT = "wait"
    LOCKED = "locked"
    NEEDS_CODE = "needs_code"
    """An admin without a second factor (given the role before it was required): the
    password was right, but the console stays closed until one is enrolled."""


@dataclass(frozen=True)
class SignIn:
    outcome: Outcome
    token: str = ""
    """The new session's cookie value (signed in only)."""
    seconds: int = 0
    """How long to wait before trying again (``WAIT`` and ``LOCKED``)."""


@dataclass(frozen=True)
class Signed:
    """A live session: who, and the CSRF token every form of theirs carries."""

    account: Account
    session: StaffSession


class StaffSignIn:
    """Sign-in and sessions over the staff's stores (see the module's docstring)."""

    def __init__(
        self,
        stores: StaffStores,
        clock: Callable[[], datetime],
        idle: timedelta = timedelta(minutes=30),
        passwords: Passwords | None = None,
    ) -> None:
        self.stores = stores
        self.clock = clock
        self.idle = idle
        self.passwords = passwords or Passwords()
        self.attempts = KeyedLocks()
        """The sign-ins under way, by e-mail address."""

    # Signing in and out

    async def sign_in(self, email: str, password: str, code: str = "") -> SignIn:
        """One attempt at a time per account in this process, so attempts sent together
        are counted one by one (each waits for the one before, and its delay)."""
        email = email.strip().lower()
        async with self.attempts.one_at_a_time(email):
            return await self._sign_in(email, password, code)

    async def _sign_in(self, email: str, password: str, code: str) -> SignIn:
        now = self.clock()
        async with self.stores() as store:
            account = await store.account_by_email(email)
        if account is not None and account.locked_until and account.locked_until > now:
            seconds = int((account.locked_until - now).total_seconds()) + 1
            locked = account.failures >= LOCK_AFTER
            return SignIn(Outcome.LOCKED if locked else Outcome.WAIT, seconds=seconds)
        right = await self.passwords.checked(account.password_hash if account else None, password)
        if account is None:
            return SignIn(Outcome.WRONG)
        step = totp_step(account.totp_secret, code, now) if right and account.totp_secret else None
        right = right and (step is not None or not account.totp_secret)
        async with self.stores() as store:
            if right and step is not None:
                right = await store.use_totp_step(account.id, step)
            if not right:
                return await self._failed(store, account, now)
            if account.role == Role.ADMIN and not account.totp_secret:
                await store.audit(_entry(now, account, "sign_in_needs_code"))
                await store.commit()
                return SignIn(Outcome.NEEDS_CODE)
            await store.change_account(account.id, failures=0, locked_until=None)
            token = await self._new_session(store, account.id, now)
            await store.audit(_entry(now, account, "signed_in"))
            await store.commit()
        return SignIn(Outcome.SIGNED_IN, token)

    async def _failed(self, store: StaffStore, account: Account, now: datetime) -> SignIn:
        failures = account.failures + 1
        wait = wait_after(failures)
        until = now + wait if wait else None
        await store.change_account(account.id, failures=failures, locked_until=until)
        if failures >= LOCK_AFTER:  # the admins see that someone tried this account
            await store.audit(_entry(now, account, "sign_in_locked"))
        await store.commit()
        if failures >= LOCK_AFTER:
            return SignIn(Outcome.LOCKED, seconds=int(wait.total_seconds()))
        return SignIn(Outcome.WRONG, seconds=int(wait.total_seconds()))

    async def _new_session(self, store: StaffStore, account_id: str, now: datetime) -> str:
        token = new_token()
        await store.add_session(StaffSession(hashed(token), account_id, new_token(), now))
        return token

    async def signed(self, token: str) -> Signed | None:
        """The live session a cookie carries, or ``None`` (unknown, idle too long, or its
        account gone); its idle time starts again."""
        now = self.clock()
        async with self.stores() as store:
            session = await store.session(hashed(token))
            if session is None:
                return None
            account = await store.account(session.account_id)
            if account is None or session.seen_at + self.idle < now:
                await store.end_session(session.token_hash)
                await store.commit()
                return None
            await store.touch_session(session.token_hash, now)
            await store.commit()
        return Signed(account, session)

    async def sign_out(self, token: str) -> None:
        async with self.stores() as store:
            await store.end_session(hashed(token))
            await store.commit()

    async def change_password(self, account: Account, old: str, new: str) -> str:
        """Every session of the account ends (a thief's too); returns the new session's
        token for the browser that changed it. A wrong old password counts as a failed
        sign-in (one at a time, the same waits and lock), so a stolen session cannot guess
        it without limit; at the lock every session of the account ends."""
        async with self.attempts.one_at_a_time(account.email):
            await self._check_old(account.id, old)
        if len(new) < MIN_PASSWORD:
            raise Refusal("staff.setup.too_short", least=MIN_PASSWORD)
        digest = await self.passwords.hashed(new)
        async with self.stores() as store:
            await store.change_account(account.id, password_hash=digest)
            await store.end_sessions(account.id)
            token = await self._new_session(store, account.id, self.clock())
            await store.commit()
        return token

    async def _check_old(self, account_id: str, old: str) -> None:
        now = self.clock()
        async with self.stores() as store:
            account = await store.account(account_id)
        if account is None:
            raise Refusal("staff.password.wrong_old")
        if account.locked_until and account.locked_until > now:
            seconds = int((account.locked_until - now).total_seconds()) + 1
            raise Refusal("staff.sign_in.wait", seconds=seconds)
        if await self.passwords.checked(account.password_hash, old):
            if account.failures:
                async with self.stores() as store:
                    await store.change_account(account.id, failures=0, locked_until=None)
                    await store.commit()
            return
        async with self.stores() as store:
            failed = await self._failed(store, account, now)
            if failed.outcome is Outcome.LOCKED:
                await store.end_sessions(account.id)
                await store.commit()
        if failed.seconds:
            raise Refusal("staff.sign_in.wait", seconds=failed.seconds)
        raise Refusal("staff.password.wrong_old")

    async def add_second_factor(
        self, account: Account, password: str, secret: str, code: str
    ) -> None:
        """A second factor added after the set-up (before a promotion to admin, say): the
        password again, so a session left open is not enough, and a code proving the
        phone holds ``secret``."""
        if account.totp_secret:
            raise Refusal("staff.password.has_code")
        if not await self.passwords.checked(account.password_hash, password):
            raise Refusal("staff.password.wrong_old")
        step = totp_step(secret, code, self.clock())
        if step is None:
            raise Refusal("staff.setup.bad_code")
        async with self.stores() as store:
            await store.change_account(account.id, totp_secret=secret, totp_step=step)
            await store.commit()


def _entry(now: datetime, account: Account, action: str) -> AuditEntry:
    return AuditEntry(
        now.replace(microsecond=0), account.email, account.role, account.municipality, action
    )
