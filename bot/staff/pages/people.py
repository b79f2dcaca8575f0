"""Staff (admins): the municipality's console accounts and their roles, as
``feedback-bot staff add|list|remove`` keeps them (``StaffAccounts``).

Adding an account shows its one-time set-up link on the page, for the admin to hand over
(the console sends no e-mail: ``feedback-bot staff add`` does, where SMTP is configured).
A new role or a removal ends the account's sessions at once; a locked account (ten
wrong passwords, which anyone who knows the address can type) can be unlocked. An admin
changes every
account of the municipality but their own (so a municipality is never left without one by
a slip of the hand). Each change is written to the audit log.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.responses import Response

from bot.application.refusal import Refusal
from bot.application.staff_accounts import SETUP_LIFETIME, Role
from bot.staff.guard import Staff, staff_page
from storage.staff import Account, AuditFilter

ADMINS = {Role.ADMIN}
GIVEN = (Role.ADMIN, Role.ANALYST, Role.CLERK, Role.VIEWER)
"""The roles an admin gives (a national account is made on the server)."""


@staff_page("/people", roles=ADMINS, nav="people", order=80)
async def people(staff: Staff) -> Response:
    return await _page(staff, notice=await _notice(staff))


async def _notice(staff: Staff) -> str:
    """What the redirect after a change says, only when it is true: a link with any text
    in ``?changed=`` must not make the console say something it did not do."""
    query = staff.request.query_params
    ours = {a.email for a in await _ours(staff)}
    for done in ("changed", "unlocked"):
        if query.get(done) in ours:
            return staff.t(f"staff.people.{done}", email=query[done])
    gone = query.get("removed", "")
    if gone and gone not in ours:
        today = staff.accounts.clock().date()
        wanted = AuditFilter(staff.municipality, action="account_removed", start=today)
        if any(e.object == gone for e in await staff.accounts.audit_log(wanted)):
            return staff.t("staff.people.removed", email=gone)
    return ""


async def _ours(staff: Staff) -> list[Account]:
    found = await staff.accounts.accounts(staff.municipality)
    return [a for a in found if a.municipality == staff.municipality]


async def _page(staff: Staff, status: int = 200, **values: Any) -> Response:
    people = await _ours(staff)
    now = staff.accounts.clock()
    return staff.render(
        "people.html.j2",
        status=status,
        people=people,
        locked={a.id for a in people if a.locked_until and a.locked_until > now},
        roles=GIVEN,
        days=SETUP_LIFETIME.days,
        **values,
    )


def _done(staff: Staff, what: str, email: str) -> Response:
    return staff.redirect("/people?" + urlencode({what: email}))


def _role(staff: Staff) -> Role:
    try:
        role = Role(staff.form.get("role", ""))
    except ValueError:
        raise Refusal("staff.people.bad_role") from None
    if role not in GIVEN:
        raise Refusal("staff.people.bad_role")
    return role


@staff_page("/people/add", roles=ADMINS, methods=("POST",))
async def add(staff: Staff) -> Response:
    email = staff.form.get("email", "").strip().lower()
    try:
        role = _role(staff)
        token = await staff.accounts.add(email, role, staff.municipality)
    except Refusal as refusal:
        return await _page(staff, status=400, problem=refusal.text(staff.locale), email=email)
    await staff.audit("account_added", f"{email} ({role.value})")
    link = setup_link(staff, token)
    return await _page(staff, added=email, added_role=role, link=link)


async def _member(staff: Staff) -> Account:
    """The account named by the form: of this municipality, and not the admin's own."""
    email = staff.form.get("email", "").strip().lower()
    found = await staff.accounts.accounts(staff.municipality)
    account = next(
        (a for a in found if a.email == email and a.municipality == staff.municipality), None
    )
    if account is None:
        raise Refusal("staff.people.unknown")
    if account.id == staff.account.id:
        raise Refusal("staff.people.not_yourself")
    return account


@staff_page("/people/role", roles=ADMINS, methods=("POST",))
async def change_role(staff: Staff) -> Response:
    try:
        account, role = await _member(staff), _role(staff)
        await staff.accounts.change_role(account.email, role)
    except Refusal as refusal:
        return await _page(staff, status=400, problem=refusal.text(staff.locale))
    await staff.audit("account_role_changed", f"{account.email}: {account.role} -> {role.value}")
    return _done(staff, "changed", account.email)


@staff_page("/people/remove", roles=ADMINS, methods=("POST",))
async def remove(staff: Staff) -> Response:
    try:
        account = await _member(staff)
        await staff.accounts.remove(account.email)
    except Refusal as refusal:
        return await _page(staff, status=400, problem=refusal.text(staff.locale))
    await staff.audit("account_removed", account.email)
    return _done(staff, "removed", account.email)


@staff_page("/people/unlock", roles=ADMINS, methods=("POST",))
async def unlock(staff: Staff) -> Response:
    try:
        account = await staff.accounts.unlock((await _member(staff)).email)
    except Refusal as refusal:
        return await _page(staff, status=400, problem=refusal.text(staff.locale))
    await staff.audit("account_unlocked", account.email)
    return _done(staff, "unlocked", account.email)


def setup_link(staff: Staff, token: str) -> str:
    """As ``feedback-bot staff add`` prints it: the public address's scheme and host, else
    the address the admin reached the console by."""
    public = staff.place.settings.web_base_url
    if public:
        parts = urlsplit(public)
        return f"{parts.scheme}://{parts.netloc}/staff/setup/{token}"
    base = staff.request.base_url
    return f"{base.scheme}://{base.netloc}/staff/setup/{token}"
