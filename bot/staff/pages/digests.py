"""The last weekly digests (analysts, admins), as the staff chats and e-mail got them: made
again by the same code (``bot.application.digests``), shown as plain text. They quote the
citizens' words, so reading them is in the audit log. Reading them leaves the ballot box to
the minute's upkeep: a page that mixed it could show one waiting form's answers arriving."""

from __future__ import annotations

from datetime import timedelta

from starlette.responses import Response

from bot.application.digests import digest_for, plain_text
from bot.application.staff_accounts import Role
from bot.questionnaire.periods import Period, last_week
from bot.staff.guard import Staff, staff_page

WEEKS = 4


@staff_page("/reports/digests", roles={Role.ANALYST, Role.ADMIN}, audit="read_digests")
async def digests(staff: Staff) -> Response:
    place = staff.place
    week = last_week(place.today())
    found = []
    for _ in range(WEEKS):
        messages = await digest_for(
            place.content,
            place.database,
            week,
            municipality=place.code,
            language=place.settings.language,
            headline=place.settings.headline_counts,
            mix=False,
        )
        found.append((week, "\n\n".join(plain_text(m) for m in messages)))
        week = Period(week.start - timedelta(days=7), week.end - timedelta(days=7))
    first, last = found[-1][0], found[0][0]
    staff.audit_object = f"{first.start.isoformat()}..{last.end.isoformat()}"
    return staff.render("digests.html.j2", weeks=found, back=staff.url("/reports"))
