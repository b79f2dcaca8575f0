"""Paper forms (clerks): the whole form on one screen, typed with digits and Tab.

Each form is checked as the chat checks it (``bot.application.paper_entry``) and held in the
page; "finish" shows the batch before anything is stored; saving stores the batch with the
date on the forms, as the paper desk does; the last batch can be taken back. Saving and
undoing are written to the audit log with the count, the date and the form, never answers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.responses import Response

from bot.application.paper_batches import LAST_BATCHES
from bot.application.paper_entry import check, fields
from bot.application.refusal import Refusal
from bot.application.staff_accounts import Role
from bot.questionnaire.model import Questionnaire
from bot.staff.guard import Staff, staff_page
from bot.staff.paper_forms import (
    Entry,
    earliest_day,
    held_json,
    parse_day,
    read_entry,
    said,
    shown,
    summary_rows,
)

CLERKS = {Role.CLERK, Role.ADMIN}


@staff_page("/paper", roles=CLERKS, nav="paper", methods=("GET", "POST"))
async def paper(staff: Staff) -> Response:
    form = _form(staff, staff.form.get("version") or staff.request.query_params.get("form", ""))
    views = staff.place.forms.views(form, staff.language)  # type: ignore[attr-defined]
    asked = fields(form, views)
    if staff.request.method == "GET":
        entry = Entry(shown(staff.place.today()), form.version, [], {})  # type: ignore[attr-defined]
        return _page(staff, form, entry, notice=_notice(staff))
    entry = read_entry(staff.form, asked)
    action = staff.form.get("do", "hold")
    today = staff.place.today()  # type: ignore[attr-defined]
    earliest = earliest_day(today, staff.place.settings.texts_kept_months)
    day = parse_day(entry.day_text, today, earliest)
    if action == "undo":
        return await _undo(staff)
    if action.startswith("drop:"):
        held = [h for i, h in enumerate(entry.held) if f"drop:{i}" != action]
        return _page(staff, form, Entry(entry.day_text, form.version, held, {}), review=True)
    if action == "back":
        return _page(staff, form, Entry(entry.day_text, form.version, entry.held, {}))
    typed_any = any(v.strip() for v in entry.typed.values())
    if day is None:
        problem = staff.t("staff.paper.bad_day", earliest=shown(earliest))
        return _page(staff, form, entry, status=400, day_problem=problem)
    if action in ("hold", "review") and (typed_any or action == "hold"):
        result = check(form, views, entry.typed, day)
        if result.answers is None:
            problems = {
                f.id: said(result.problems[f.id], f, views, staff.locale)
                for f in asked
                if f.id in result.problems
            }
            return _page(staff, form, entry, status=400, problems=problems)
        entry = Entry(entry.day_text, form.version, [*entry.held, entry.typed], {})
        if action == "hold":
            notice = staff.t("staff.paper.held", number=len(entry.held))
            return _page(staff, form, entry, notice=notice)
    if action == "save":
        return await _save(staff, form, views, entry, day)
    return _page(staff, form, entry, review=True)


async def _save(staff: Staff, form: Questionnaire, views: Any, entry: Entry, day: date) -> Response:
    """Every held form checked again (the page carried them); one that fails stops all."""
    answers = []
    for item in entry.held:
        result = check(form, views, item, day)
        if result.answers is None:
            problem = staff.t("staff.paper.held_broken", number=len(answers) + 1)
            return _page(staff, form, entry, status=400, review=True, problem=problem)
        answers.append(result.answers)
    if not answers:
        return _page(staff, form, entry, status=400, problem=staff.t("staff.paper.nothing_held"))
    who = staff.account.email
    await LAST_BATCHES.save(
        staff.place.database, staff.municipality, who, form.version, answers, day
    )
    await staff.audit("saved_paper_batch", _object(staff, len(answers), day, form))
    return staff.redirect(f"/paper?saved={len(answers)}&form={form.form_id or form.version}")


async def _undo(staff: Staff) -> Response:
    try:
        batch = await LAST_BATCHES.undo(
            staff.place.database, staff.municipality, staff.account.email
        )
    except Refusal as refusal:
        return staff.redirect(f"/paper?problem={refusal.key.rsplit('.', 1)[-1]}")
    form = _form(staff, "")
    await staff.audit("undid_paper_batch", _object(staff, len(batch.forms), batch.day, form))
    return staff.redirect(f"/paper?undone={len(batch.forms)}")


def _object(staff: Staff, count: int, day: date, form: Questionnaire) -> str:
    return staff.t(
        "staff.paper.audit_object",
        count=count,
        day=day.isoformat(),
        form=form.form_id or form.version,
    )


def _form(staff: Staff, wanted: str) -> Questionnaire:
    catalogue = staff.place.forms  # type: ignore[attr-defined]
    found = (catalogue.offered(wanted) or catalogue.version(wanted)) if wanted else None
    return found or catalogue.default or staff.place.content.questionnaire


def _notice(staff: Staff) -> str:
    query = staff.request.query_params
    saved, undone = query.get("saved", ""), query.get("undone", "")
    if saved.isdigit():
        return staff.t("staff.paper.saved", count=int(saved))
    if undone.isdigit():
        return staff.t("staff.paper.undone", count=int(undone))
    return ""


def _page(
    staff: Staff, form: Questionnaire, entry: Entry, status: int = 200, **values: Any
) -> Response:
    views = staff.place.forms.views(form, staff.language)  # type: ignore[attr-defined]
    asked = fields(form, views)
    problem_key = staff.request.query_params.get("problem", "")
    if problem_key in ("nothing_to_undo", "undo_gone") and "problem" not in values:
        values["problem"] = staff.t(f"staff.paper.{problem_key}")
    last = LAST_BATCHES.last(staff.municipality, staff.account.email)
    catalogue = staff.place.forms  # type: ignore[attr-defined]
    return staff.render(
        "paper.html.j2",
        status=status,
        entry=entry,
        fields=asked,
        held=held_json(entry.held),
        rows=summary_rows(asked, entry.held),
        form=form,
        forms=[
            (q.form_id or q.version, views_title(catalogue, q, staff.language))
            for q in catalogue.active
        ],
        last=last,
        last_day=shown(last.day) if last else "",
        problems=values.pop("problems", {}),
        review=values.pop("review", False),
        **values,
    )


def views_title(catalogue: Any, form: Questionnaire, language: str) -> str:
    """A loaded form's title, or its id (the built-in form: the console's own name for it)."""
    heading = catalogue.views(form, language).heading
    return heading or form.form_id or form.version
