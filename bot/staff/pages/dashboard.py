"""Dashboard (viewers, analysts, admins, national analysts): the figures at a glance, each a
server-drawn SVG chart with its table beside it (no script).

Analysts and admins see the quarter so far in raw counts (they read the internal report
anyway) and how many texts wait for a look. Viewers and national analysts read none of the
texts and see nothing live: the last ended quarter as its public figures print it (``<k``,
``x``, audited against every earlier public output), since they may pass the page on and a
live count seen on two days would give away the form in between.
"""

from __future__ import annotations

from markupsafe import Markup
from starlette.responses import Response

from bot.application.dashboard import Dashboard, Elsewhere, Place, dashboard, national_row
from bot.application.public_dashboard import public_dashboard
from bot.application.staff_accounts import Role
from bot.staff.guard import Staff, staff_page

RAW = {Role.ANALYST, Role.ADMIN}


@staff_page(
    "/dashboard",
    roles={Role.VIEWER, Role.ANALYST, Role.ADMIN, Role.NATIONAL},
    nav="dashboard",
)
async def dashboard_page(staff: Staff) -> Response:
    from reporting.svg_charts import Bar, bar_chart

    place = staff.place
    raw = staff.role in RAW
    words = (staff.t("staff.dashboard.confirmed_one"), staff.t("staff.dashboard.open"))
    here = Place(place.database, place.content, place.settings, place.code)
    found: Dashboard = (
        await dashboard(here, place.today(), texts=True, confirmed_words=words)
        if raw
        else await public_dashboard(here, place.reports.public, place.today())
    )
    charts = {
        name: Markup(bar_chart(staff.t(f"staff.dashboard.{name}"), list(table.bars)))
        for name, table in (
            ("weeks", found.weeks),
            ("services", found.services),
            ("channels", found.channels),
            ("confirmed", found.confirmed),
        )
        if table is not None and not table.withheld and any(bar.value for bar in table.bars)
    }
    scales = [
        Markup(
            bar_chart(
                scale.title,
                [
                    Bar(s.quarter, s.percent, f"{s.percent}%" if s.percent is not None else "—")
                    for s in scale.shares
                ],
            )
        )
        if any(s.percent for s in scale.shares)
        else ""
        for scale in found.scales
    ]
    return staff.render(
        "dashboard.html.j2",
        everywhere=await _everywhere(staff) if staff.role is Role.NATIONAL else [],
        d=found,
        charts=charts,
        scale_charts=scales,
        small="1–2" if found.k == 3 else f"1–{(found.k or 3) - 1}",
        texts_link=staff.url("/texts?look=1") if raw else "",
    )


async def _everywhere(staff: Staff) -> list[Elsewhere]:
    """The national analyst's overview: every municipality's own quarter so far, suppressed,
    none of its texts (``Runtime.everywhere``; a place without it is alone)."""
    places = getattr(staff.place, "everywhere", None) or [staff.place]
    return [
        await national_row(Place(p.database, p.content, p.settings, p.code), p.today())
        for p in places
    ]
