"""The signed-in member of staff's own account: changing the password ends every other
session of theirs (a thief's too)."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from bot.application.refusal import Refusal
from bot.application.staff_secrets import MIN_PASSWORD
from bot.staff.guard import EVERY_ROLE, Staff, staff_page
from bot.staff.render import SESSION_COOKIE


@staff_page(
    "/password", roles=EVERY_ROLE, audit_post="change_own_password", methods=("GET", "POST")
)
async def password(staff: Staff) -> Response:
    if staff.request.method == "GET":
        return staff.render("password.html.j2", least=MIN_PASSWORD)
    new = staff.form.get("new", "")
    try:
        if new != staff.form.get("again", ""):
            raise Refusal("staff.setup.not_same")
        token = await staff.accounts.change_password(staff.account, staff.form.get("old", ""), new)
    except Refusal as refusal:
        problem = refusal.text(staff.locale)
        return staff.render("password.html.j2", status=400, least=MIN_PASSWORD, problem=problem)
    response = RedirectResponse(staff.url("/?changed=1"), status_code=303)
    staff.renderer.set_cookie(staff.request, response, SESSION_COOKIE, token)
    return response
