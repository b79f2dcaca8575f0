"""Texts (analysts, admins): the review queue of the citizens' free texts, those the
categoriser is unsure of first; each text's categories corrected in one form, and published
or withdrawn with a button of its own. Every listing and every change is in the audit log
(ids, periods and category codes only, never the words)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import Response

from bot.application.analyst import Analyst, AnalystError, Comment
from bot.application.refusal import Refusal
from bot.application.staff_accounts import Role
from bot.application.text_review import Wanted, analyst_of, chosen
from bot.staff.guard import Staff, staff_page

READERS = {Role.ANALYST, Role.ADMIN}
FILTERS = ("period", "service", "category", "form", "look")


async def _analyst(staff: Staff, form_id: str) -> Analyst:
    place = staff.place
    return await analyst_of(place.database, place.content, place.settings, place.code, form_id)


def _query(staff: Staff) -> dict[str, str]:
    query = staff.request.query_params
    return {name: query[name] for name in FILTERS if query.get(name)}


@staff_page("/texts", roles=READERS, audit="read_texts", nav="texts")
async def texts(staff: Staff) -> Response:
    query = _query(staff)
    problem, status = "", 200
    try:
        analyst = await _analyst(staff, query.get("form", ""))
    except Refusal as refusal:
        problem, status = refusal.text(staff.locale), 400
        query.pop("form")
        analyst = await _analyst(staff, "")
    current = staff.place.settings.quarters.containing(staff.place.today())
    try:
        period = analyst.period(query["period"]) if "period" in query else current
    except AnalystError as error:
        problem, status, period = error.text(staff.locale), 400, current
    wanted = Wanted(
        period,
        query.get("service", ""),
        query.get("category", ""),
        query.get("form", ""),
        look=bool(query.get("look")),
    )
    # A filter not understood lists nothing: the answer is an error (not audited), so a
    # listing under it would be citizens' texts read without an audit entry.
    rows = [] if problem else chosen(await analyst.comments(period), wanted)
    staff.audit_object = f"{period.label}: {len(rows)}" + (
        f", {wanted.form}" if wanted.form else ""
    )
    return staff.render(
        "texts.html.j2",
        status=status,
        problem=problem,
        rows=[_row(staff, analyst, c) for c in rows],
        wanted=wanted,
        period_text=query.get("period", period.label),
        services=[(code, _service(staff, analyst, code)) for code in analyst.services],
        categories=list(
            {**analyst.categoriser.labels, **analyst.labels_of(analyst.needs or "")}.items()
        ),
        forms=_forms(staff),
        action=staff.url("/texts/review") + (f"?{urlencode(query)}" if query else ""),
        saved=staff.request.query_params.get("saved", ""),
    )


def _row(staff: Staff, analyst: Analyst, comment: Comment) -> dict[str, object]:
    key = f"questions.{comment.field}.text"
    words = staff.place.content.locale
    field = words.t(key) if comment.field and words.has(key) else comment.field
    return {
        "c": comment,
        "anchor": "t-" + comment.id.replace("/", "-"),
        "field": field or staff.t("staff.texts.suggestion"),
        "service": _service(staff, analyst, comment.service) if comment.service else "",
        "categories": list(analyst.labels_of(comment.field).items()),  # a need: its own
    }


def _service(staff: Staff, analyst: Analyst, code: str) -> str:
    service = analyst.questionnaire.role_id("service") or "service"
    key = f"options.{service}.{code}"
    words = staff.place.content.locale
    return words.t(key) if words.has(key) else code


def _forms(staff: Staff) -> list[str]:
    """The loaded forms offered now (the built-in one is the filter's "any")."""
    catalogue = getattr(staff.place, "forms", None)
    builtin = staff.place.content.questionnaire.form_id
    active = catalogue.active if catalogue is not None else ()
    return [q.form_id for q in active if q.form_id and q.form_id != builtin]


@staff_page("/texts/review", roles=READERS, methods=("POST",))
async def review(staff: Staff) -> Response:
    """One text: ``do=correct`` saves its ticked categories, ``publish``/``withdraw`` its
    place in the public report; back to the same filtered queue, at the same text."""
    query = _query(staff)
    text_id = staff.form.get("text", "")
    do = staff.form.get("do", "")
    try:
        analyst = await _analyst(staff, query.get("form", ""))
        if do == "correct":
            offered = analyst.labels_of(analyst.field_of(text_id))
            ticked = [c for c in offered if staff.form.get(f"cat_{c}")]
            if not ticked:
                raise AnalystError("bad_category", code="", codes="")
            await analyst.correct(text_id, ",".join(ticked))
            await staff.audit("corrected_text", f"{text_id}: {','.join(ticked)}")
        elif do in ("publish", "withdraw"):
            await analyst.publish(text_id, do == "publish")
            await staff.audit("published_text" if do == "publish" else "withdrew_text", text_id)
        else:
            return staff.redirect("/texts")
    except (AnalystError, Refusal) as error:
        return staff.render(
            "texts_problem.html.j2",
            status=400,
            problem=_problem(staff, error, bool(do == "correct")),
            back=staff.url("/texts") + (f"?{urlencode(query)}" if query else ""),
        )
    anchor = "#t-" + text_id.replace("/", "-")
    return staff.redirect("/texts?" + urlencode({**query, "saved": text_id}) + anchor)


def _problem(staff: Staff, error: AnalystError | Refusal, correcting: bool) -> str:
    if isinstance(error, AnalystError) and error.key == "bad_category" and correcting:
        return staff.t("staff.texts.none_ticked")
    return error.text(staff.locale)
