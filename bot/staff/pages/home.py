"""A municipality's home page: what the signed-in role can do here."""

from __future__ import annotations

from starlette.responses import Response

from bot.staff.guard import EVERY_ROLE, Staff, in_navigation, staff_page


@staff_page("/", roles=EVERY_ROLE)
async def home(staff: Staff) -> Response:
    reachable = [
        (staff.t(f"staff.{p.nav}.nav"), staff.t(f"staff.{p.nav}.about"), staff.url(p.path))
        for p in in_navigation(staff.account, staff.municipality)
    ]
    return staff.render(
        "home.html.j2", can=staff.t(f"staff.home.can.{staff.role.value}"), pages=reachable
    )
