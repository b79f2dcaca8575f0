"""The audit log (admins): who did what, when; filtered, and exported as CSV. Reading and
exporting it are themselves written to it."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

from starlette.responses import Response

from bot.application.staff_accounts import Role
from bot.staff.guard import PAGES, Staff, staff_page
from storage.staff import AuditEntry, AuditFilter

KNOWN_ACTIONS = frozenset(
    {"signed_in", "sign_in_locked", "account_added", "account_removed", "setup_link_issued"}
)
"""Written outside any page's declaration (sign-in, the command line); the pages' own
actions are read from their ``@staff_page``."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell a spreadsheet would run as a formula (CSV injection) gets a leading apostrophe."""


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _filter(staff: Staff) -> AuditFilter:
    query = staff.request.query_params
    return AuditFilter(
        municipality=staff.municipality,
        who=query.get("who", "").strip().lower(),
        action=query.get("action", "").strip(),
        start=_day(query.get("from", "")),
        end=_day(query.get("to", "")),
    )


@staff_page("/audit", roles={Role.ADMIN}, audit="read_audit_log", nav="audit", order=90)
async def audit(staff: Staff) -> Response:
    wanted = _filter(staff)
    shown = wanted.limit or 0
    entries = await staff.accounts.audit_log(replace(wanted, limit=shown + 1))
    cut, entries = len(entries) > shown, entries[:shown]  # say so when there are more
    return staff.render(
        "audit.html.j2",
        entries=entries,
        cut=cut,
        wanted=wanted,
        named=lambda kind, code: named(staff, kind, code),
        actions=sorted(
            KNOWN_ACTIONS
            | {a for p in PAGES for a in (p.audit, p.audit_post) if a}
            | {e.action for e in entries}
        ),
        export=staff.url("/audit.csv")
        + (f"?{staff.request.url.query}" if staff.request.url.query else ""),
    )


def named(staff: Staff, kind: str, code: str) -> str:
    """An action's or role's name in the staff's words (the code itself if it has none)."""
    key = f"staff.{kind}.{code}"
    return staff.t(key) if staff.locale.has(key) else code


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def as_csv(entries: list[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["when_utc", "who", "role", "municipality", "action", "object"])
    for e in entries:
        row = [
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.who,
            e.role,
            e.municipality or "",
            e.action,
            e.object,
        ]
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


@staff_page("/audit.csv", roles={Role.ADMIN}, audit="export_audit_log")
async def audit_csv(staff: Staff) -> Response:
    entries = await staff.accounts.audit_log(replace(_filter(staff), limit=None))  # every line
    name = f"audit-{staff.municipality}.csv"
    return Response(
        "\ufeff" + as_csv(entries),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
