"""Reports (analysts and admins; viewers and national analysts read the public ones): any
quarter or period, internal or public, as Word, HTML, Excel (and PDF where the server can
print it), all made by the one report service (``bot.application.reports``), which refuses a
public report of anything but the municipality's quarters and years and audits every public
output against the earlier ones. Analysts edit the report's notes beside its HTML preview.

Internal reports, their preview and the digests carry the citizens' own words: they are for
analysts and admins only, and each reading is in the audit log.

Reading a page changes nothing: the preview counts the forms already mixed (the ballot box is
left to the minute's upkeep, so nobody can make one waiting form leave it and watch its
answers arrive), and a download, which writes the public ledger, is a POST with the page's
token and is audited only when a file was made.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

from starlette.responses import Response

from bot.application.refusal import Refusal
from bot.application.reports import STAFF_FORMATS, ReportOrder, can_print
from bot.application.staff_accounts import Role
from bot.application.text_review import analyst_of
from bot.questionnaire.periods import Period, PeriodError
from bot.staff.guard import Staff, staff_page

WRITERS = {Role.ANALYST, Role.ADMIN}
READERS = WRITERS | {Role.VIEWER, Role.NATIONAL}
TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
LANDMARK = re.compile(r"<(/?)(?:main|header|footer|nav)\b", re.IGNORECASE)
"""The report's own landmarks become plain blocks inside the console's page (one <main>)."""


def formats() -> tuple[str, ...]:
    """Word, HTML, Excel; PDF only where WeasyPrint and Pango are installed."""
    try:
        can_print(("pdf",))
    except Refusal:
        return STAFF_FORMATS
    return (*STAFF_FORMATS, "pdf")


def _order(staff: Staff, query: Mapping[str, str] | None = None) -> tuple[Period, bool]:
    """The asked period (the last complete quarter by default) and whether public (always,
    for a reader who may not read the internal report). ``PeriodError`` if unreadable."""
    query = staff.request.query_params if query is None else query
    quarters = staff.place.settings.quarters
    text = query.get("period", "").strip()
    period = quarters.parse(text) if text else quarters.last_complete(staff.place.today())
    public = query.get("kind") == "public" or staff.role not in WRITERS
    return period, public


@staff_page("/reports", roles=READERS, audit="read_reports", nav="reports")
async def reports(staff: Staff) -> Response:
    query = staff.request.query_params
    try:
        period, public = _order(staff)
        staff.place.reports.check(ReportOrder(period, public=public, formats=()))
        problem = ""
    except PeriodError:
        return await _page(staff, None, False, staff.t("staff.reports.bad_period"), 400)
    except Refusal as refusal:
        return await _page(staff, period, public, refusal.text(staff.locale), 400)
    staff.audit_object = f"{period.label}, {'public' if public else 'internal'}"
    return await _page(staff, period, public, problem, 200, saved=bool(query.get("saved")))


async def _page(
    staff: Staff, period: Period | None, public: bool, problem: str, status: int, **more: object
) -> Response:
    writer = staff.role in WRITERS
    notes, preview = (None, None), ""
    if period is not None and writer and not problem:
        place = staff.place
        analyst = await analyst_of(place.database, place.content, place.settings, place.code)
        notes = await analyst.notes(period)
        if not public:
            preview = await _preview(staff, period)
    query = {"period": period.label if period else "", "kind": "public" if public else ""}
    links = list(formats()) if period is not None and not problem else []
    quarters = staff.place.settings.quarters
    last = quarters.last_complete(staff.place.today())
    recent = [last]
    for _ in range(3):
        recent.append(recent[-1].previous())
    return staff.render(
        "reports.html.j2",
        status=status,
        problem=problem,
        period=period,
        period_text=staff.request.query_params.get("period", period.label if period else ""),
        public=public,
        writer=writer,
        links=links,
        download=staff.url("/reports/file"),
        recent=[(p.label, staff.url("/reports?" + urlencode({"period": p.label}))) for p in recent],
        year=quarters.year_containing(last.start).label,
        summary=notes[0] or "",
        changes=notes[1] or "",
        preview=preview,
        notes_action=staff.url("/reports/notes?" + urlencode(query)),
        digests=staff.url("/reports/digests"),
        **more,
    )


async def _preview(staff: Staff, period: Period) -> str:
    """The internal HTML report's body, shown as the page's own markup (its styles left out:
    the console's apply; no script can run under the console's policy)."""
    from markupsafe import Markup

    with tempfile.TemporaryDirectory() as folder:
        order = ReportOrder(period, formats=("html",), mix_all=False)
        made = await staff.place.reports.write(order, Path(folder))
        page = made[0].read_text("utf-8")
    found = BODY.search(page)
    return Markup(LANDMARK.sub(r"<\1div", found.group(1)) if found else "")


@staff_page("/reports/file", roles=READERS, audit_post="downloaded_report", methods=("GET", "POST"))
async def report_file(staff: Staff) -> Response:
    """A download (POST: a public one writes the ledger); a GET goes back to the page."""
    if staff.request.method == "GET":
        return staff.redirect("/reports")
    kind = staff.form.get("format", "")
    if kind not in formats():
        return await _page(staff, None, False, staff.t("staff.reports.bad_format"), 400)
    try:
        period, public = _order(staff, staff.form)
        order = ReportOrder(period, public=public, formats=(kind,), mix_all=False)
        with tempfile.TemporaryDirectory() as folder:
            made = await staff.place.reports.write(order, Path(folder))
            name, data = made[0].name, made[0].read_bytes()
    except PeriodError:
        return await _page(staff, None, False, staff.t("staff.reports.bad_period"), 400)
    except Refusal as refusal:
        return await _page(staff, None, False, refusal.text(staff.locale), 400)
    staff.audit_object = f"{period.label}, {'public' if public else 'internal'}, {name}"
    return Response(
        data,
        media_type=TYPES[kind],
        headers={
            "Content-Disposition": f'attachment; filename="{_ascii(name)}"',
            "Cache-Control": "no-store",
        },
    )


def _ascii(name: str) -> str:
    return "".join(ch if ch.isascii() and ch not in '"\\' else "_" for ch in name)


@staff_page(
    "/reports/notes", roles=WRITERS, audit_post="edited_report_notes", methods=("GET", "POST")
)
async def report_notes(staff: Staff) -> Response:
    """The report's summary and changes of the period: saved, then back beside the preview."""
    if staff.request.method == "GET":
        return staff.redirect("/reports")
    try:
        period, _public = _order(staff)
    except PeriodError:
        return await _page(staff, None, False, staff.t("staff.reports.bad_period"), 400)
    place = staff.place
    analyst = await analyst_of(place.database, place.content, place.settings, place.code)
    for kind in ("summary", "changes"):
        await analyst.set_note(period, kind, staff.form.get(kind, "").strip())
    staff.audit_object = period.label
    return staff.redirect("/reports?" + urlencode({"period": period.label, "saved": "1"}))
