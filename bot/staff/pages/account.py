"""The signed-in member of staff's own account: changing the password ends every other
session of theirs (a thief's too); adding the second factor (TOTP) that the set-up only
offered, which an account needs before an admin can make it an admin."""

from __future__ import annotations

from typing import Any

from starlette.responses import RedirectResponse, Response

from bot.application.refusal import Refusal
from bot.application.staff_secrets import MIN_PASSWORD, new_totp_secret, totp_uri
from bot.staff.guard import EVERY_ROLE, Staff, staff_page
from bot.staff.render import SESSION_COOKIE
from bot.staff.signing import qr_svg


def _page(staff: Staff, status: int = 200, secret: str = "", **values: Any) -> Response:
    """The password form, and the enrolment (a fresh secret, or the one being confirmed)
    while the account has no second factor."""
    if not staff.account.totp_secret:
        secret = secret or new_totp_secret()
        values |= {"secret": secret, "qr": qr_svg(totp_uri(secret, staff.account.email))}
    return staff.render("password.html.j2", status=status, least=MIN_PASSWORD, **values)


@staff_page(
    "/password", roles=EVERY_ROLE, audit_post="change_own_password", methods=("GET", "POST")
)
async def password(staff: Staff) -> Response:
    if staff.request.method == "GET":
        added = staff.request.query_params.get("code") == "1" and staff.account.totp_secret
        return _page(staff, added=bool(added))
    new = staff.form.get("new", "")
    try:
        if new != staff.form.get("again", ""):
            raise Refusal("staff.setup.not_same")
        token = await staff.accounts.change_password(staff.account, staff.form.get("old", ""), new)
    except Refusal as refusal:
        return _page(staff, 400, problem=refusal.text(staff.locale))
    response = RedirectResponse(staff.url("/?changed=1"), status_code=303)
    staff.renderer.set_cookie(staff.request, response, SESSION_COOKIE, token)
    return response


@staff_page("/password/code", roles=EVERY_ROLE, audit_post="added_second_factor", methods=("POST",))
async def second_factor(staff: Staff) -> Response:
    secret = staff.form.get("totp_secret", "")
    try:
        await staff.accounts.add_second_factor(
            staff.account, staff.form.get("password", ""), secret, staff.form.get("code", "")
        )
    except Refusal as refusal:
        return _page(staff, 400, secret=secret, code_problem=refusal.text(staff.locale))
    return staff.redirect("/password?code=1")
