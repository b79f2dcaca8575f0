"""The quarter's post for the municipality's Facebook page (analysts and admins): the
1200×630 picture and its Georgian text, as ``feedback-bot publish-card`` writes them, both
from ``bot.application.card``'s ``Cards`` (the quarter's public figures, audited against
every earlier public output and kept in the ledger as the card).

Only an ended quarter has a card: a quarter still open would print figures that change day
by day. A download writes the ledger, so it is a POST with the page's token (reading the page
changes nothing); each is in the audit log (the quarter and which file: nothing else).
"""

from __future__ import annotations

from starlette.responses import Response

from bot.application.card import Cards
from bot.application.refusal import Refusal
from bot.application.results import address
from bot.application.staff_accounts import Role
from bot.questionnaire.periods import PeriodError
from bot.staff.guard import Staff, staff_page

FILES = {"png": "image/png", "txt": "text/plain; charset=utf-8"}


@staff_page("/card", roles={Role.ANALYST, Role.ADMIN}, audit=None, methods=("GET", "POST"))
async def card(staff: Staff) -> Response:
    """The form (a quarter, the last ended one by default) and its two downloads."""
    place = staff.place
    cards = Cards(place.reports, address(place.settings, place.municipality.scope))
    posted = staff.request.method == "POST"
    query = staff.form if posted else staff.request.query_params
    typed = query.get("quarter", "").strip() or cards.example()
    problem = ""
    if posted and query.get("file") in FILES:
        try:
            post = await cards.post(place.settings.quarters.parse(typed))
        except PeriodError:
            problem = staff.t("staff.card.bad_quarter", example=cards.example())
        except Refusal as refusal:
            problem = refusal.text(staff.locale)
        else:
            kind = query["file"]
            await staff.audit("downloaded_card", f"{post.period.label}, {kind}")
            body = post.png if kind == "png" else post.text.encode("utf-8")
            name = f"card_{post.period.label}.{kind}"
            disposition = f'attachment; filename="{name}"'
            headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
            return Response(body, media_type=FILES[kind], headers=headers)
    return staff.render(
        "card.html.j2",
        status=400 if problem else 200,
        quarter=typed,
        problem=problem,
        links=list(FILES),
        download=staff.url("/card"),
    )
