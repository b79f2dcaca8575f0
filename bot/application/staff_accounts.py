"""Staff accounts: added, given a role, set up by a one-time link, removed, and the audit
log; one service for the console and the command line. Signing in, sessions and passwords
are ``StaffSignIn``'s (``staff_sign_in``), which this service extends.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import replace
from datetime import timedelta

from bot.application.refusal import Refusal
from bot.application.staff_roles import ROLES, Role
from bot.application.staff_secrets import MIN_PASSWORD, hashed, new_token, totp_step
from bot.application.staff_sign_in import (
    FREE_FAILURES,
    LOCK_AFTER,
    LOCK_FOR,
    Outcome,
    Signed,
    SignIn,
    StaffSignIn,
    wait_after,
)
from bot.application.staff_store import StaffStore
from storage.staff import Account, AuditEntry, AuditFilter

__all__ = [
    "COMMAND_LINE",
    "FREE_FAILURES",
    "LOCK_AFTER",
    "LOCK_FOR",
    "ROLES",
    "SETUP_LIFETIME",
    "Outcome",
    "Role",
    "SignIn",
    "Signed",
    "StaffAccounts",
    "wait_after",
]

SETUP_LIFETIME = timedelta(days=3)
COMMAND_LINE = "command-line"
"""Who the audit log names for what ``feedback-bot staff`` did (whoever ran it on the server)."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class StaffAccounts(StaffSignIn):
    """The staff's accounts and the audit log, with signing in (``StaffSignIn``)."""

    # Accounts (the command line, the admin's staff page)

    async def add(self, email: str, role: Role, municipality: str | None) -> str:
        """A new account; returns its one-time set-up token (for the link)."""
        email = email.strip().lower()
        if not EMAIL.match(email):
            raise Refusal("staff.cli.bad_email", email=email)
        if (role is Role.NATIONAL) != (municipality is None):
            raise Refusal("staff.cli.national_only" if municipality else "staff.cli.needs_place")
        async with self.stores() as store:
            if await store.account_by_email(email) is not None:
                raise Refusal("staff.cli.exists", email=email)
            account = Account(
                secrets.token_hex(6),
                email,
                municipality,
                role,
                None,
                None,
                0,
                None,
                self.clock().date(),
            )
            await store.add_account(account)
            token = await self._setup(store, account.id)
            await store.commit()
        return token

    async def setup_link_again(self, email: str) -> tuple[str, Account]:
        """A new one-time link for an existing account (the earlier one stops working)."""
        async with self.stores() as store:
            account = await self._known(store, email)
            token = await self._setup(store, account.id)
            await store.commit()
        return token, account

    async def _setup(self, store: StaffStore, account_id: str) -> str:
        token = new_token()
        await store.add_setup(hashed(token), account_id, self.clock() + SETUP_LIFETIME)
        return token

    async def _known(self, store: StaffStore, email: str) -> Account:
        account = await store.account_by_email(email.strip().lower())
        if account is None:
            raise Refusal("staff.cli.unknown", email=email)
        return account

    async def accounts(self, municipality: str | None = None) -> list[Account]:
        async with self.stores() as store:
            return await store.accounts(municipality)

    async def remove(self, email: str) -> Account:
        """The account goes, and with it every session it had."""
        async with self.stores() as store:
            account = await self._known(store, email)
            await store.remove_account(account.id)
            await store.commit()
        return account

    async def change_role(self, email: str, role: Role) -> None:
        """A new role starts from a new sign-in: the old role's sessions end. An admin
        signs in with a second factor, so only an account that has one (or has not chosen
        its password yet: its set-up will ask for one) becomes an admin."""
        async with self.stores() as store:
            account = await self._known(store, email)
            if role is Role.ADMIN and account.password_hash and not account.totp_secret:
                raise Refusal("staff.people.admin_needs_code", email=account.email)
            await store.change_account(account.id, role=role)
            await store.end_sessions(account.id)
            await store.commit()

    async def unlock(self, email: str) -> Account:
        """Wrong passwords counted no more: anyone can lock an account by typing its
        address with ten wrong passwords, so an admin can open it again at once."""
        async with self.stores() as store:
            account = await self._known(store, email)
            await store.change_account(account.id, failures=0, locked_until=None)
            await store.commit()
        return account

    # Set-up (choosing a password, enrolling the second factor)

    async def setup_of(self, token: str) -> Account | None:
        async with self.stores() as store:
            found = await store.setup_account(hashed(token), self.clock())
            return None if found is None else await store.account(found)

    async def finish_setup(
        self, token: str, password: str, totp_secret: str | None, code: str
    ) -> Account:
        """Sets the password (and the second factor, when one was offered and confirmed);
        the link is used up and any earlier session ends."""
        if len(password) < MIN_PASSWORD:
            raise Refusal("staff.setup.too_short", least=MIN_PASSWORD)
        step = totp_step(totp_secret, code, self.clock()) if totp_secret else None
        if totp_secret and step is None:
            raise Refusal("staff.setup.bad_code")
        digest = await self.passwords.hashed(password)
        async with self.stores() as store:
            found = await store.setup_account(hashed(token), self.clock())
            account = None if found is None else await store.account(found)
            if account is None or not await store.use_setup(hashed(token)):
                raise Refusal("staff.setup.link_used")
            if account.role == Role.ADMIN and not totp_secret:
                raise Refusal("staff.setup.admin_needs_code")
            values = {
                "password_hash": digest,
                "failures": 0,
                "locked_until": None,
                "totp_secret": totp_secret or None,
                "totp_step": step,
            }
            await store.change_account(account.id, **values)
            await store.end_sessions(account.id)
            await store.commit()
        return replace(account, **values)

    # The audit log

    async def record(
        self, who: Account | str, action: str, municipality: str | None, what: str = ""
    ) -> None:
        """One line of the audit log: who (an account, or ``COMMAND_LINE``), what, when,
        where; never a citizen's words."""
        email, role = (who.email, who.role) if isinstance(who, Account) else (who, who)
        moment = self.clock().replace(microsecond=0)
        entry = AuditEntry(moment, email, role, municipality, action, what[:200])
        async with self.stores() as store:
            await store.audit(entry)
            await store.commit()

    async def audit_log(self, wanted: AuditFilter) -> list[AuditEntry]:
        async with self.stores() as store:
            return await store.audit_log(wanted)
