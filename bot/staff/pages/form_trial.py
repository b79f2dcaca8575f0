"""Trying a checked form before publishing it, as a citizen would answer it in a chat: one
question at a time, the same wording, options, rules and refusals (the dialogue's own
``Views`` and the pure engine), in the citizen's language.

Nothing is stored and nothing is sent: the steps taken so far travel in the page's own
hidden field and are replayed from the start at each press (the engine is pure, so the
replay always lands where the admin was). The page says plainly that it is a trial.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from starlette.responses import Response

from bot.application.staff_accounts import Role
from bot.dialogue import callbacks
from bot.dialogue.prompt import Prompt
from bot.dialogue.views import Views
from bot.questionnaire import engine
from bot.questionnaire.content import ContentError, bundled_locale, load_locale
from bot.questionnaire.i18n import Locale
from bot.questionnaire.model import Draft, Questionnaire
from bot.questionnaire.xlsform import LoadedForm
from bot.staff.guard import Staff, staff_page
from bot.staff.pages.forms import draft

MOST_STEPS = 400
"""More presses than any form needs; a longer trail is cut (the page stays small)."""
TYPED = "typed|"
"""A step that is text typed in the box (every other step is a button's own data)."""


@staff_page("/forms/try/{token}", roles={Role.ADMIN}, methods=("GET", "POST"))
async def trial(staff: Staff) -> Response:
    token = staff.request.path_params["token"]
    found = draft(staff, token)
    if found is None:
        return staff.render("form_trial.html.j2", status=404, gone=True)
    kept, loaded = found
    language = staff.request.query_params.get("in", "") or staff.form.get("in", "")
    languages = tuple(loaded.questionnaire.texts) or ("ka",)
    if language not in languages:
        language = loaded.questionnaire.default_language
    steps = _steps(staff)
    views = _views(staff, loaded, language)
    draft_now, problem, sent = _replay(staff, views, steps)
    if problem is not None:
        steps = steps[:-1]  # the refused step is not kept: the question is asked again
    prompt = None if sent else views.prompt(draft_now).prompt
    return staff.render(
        "form_trial.html.j2",
        name=kept.name,
        form=loaded,
        token=token,
        spoken=language,
        form_languages=languages,
        steps=json.dumps(steps, ensure_ascii=False),
        prompt=prompt,
        problem=views.problem(problem) if problem is not None else "",
        sent=sent,
        answers=_answers(views, loaded.questionnaire, draft_now) if sent else [],
        moves=_moves(prompt),
    )


def _steps(staff: Staff) -> list[str]:
    """The trail so far, then this press (a button's data, or the text typed)."""
    if staff.form.get("again"):
        return []
    try:
        trail = json.loads(staff.form.get("steps", "") or "[]")
    except ValueError:
        trail = []
    if not isinstance(trail, list):
        trail = []
    steps = [s for s in trail if isinstance(s, str) and s][: MOST_STEPS - 1]
    pressed = staff.form.get("press", "")
    if pressed:
        steps.append(pressed)
    elif "typed" in staff.form:
        steps.append(TYPED + staff.form.get("typed", "").strip())
    return steps


def _replay(
    staff: Staff, views: Views, steps: list[str]
) -> tuple[Draft, engine.Problem | None, bool]:
    """The draft after every step; the last step's refusal; whether the form was sent.
    Typed text is understood as the chat understands it (an option's name presses it)."""
    today = staff.place.today()  # type: ignore[attr-defined]
    questionnaire = views.questionnaire
    draft_now = engine.start(questionnaire)
    problem = None
    for index, step in enumerate(steps):
        if step.startswith(TYPED):
            given = views.understand(draft_now, step.removeprefix(TYPED)).given
        else:
            given = _input(step)
        if isinstance(given, engine.Submit):
            return draft_now, None, True
        if given is None:
            continue
        moved = engine.advance(questionnaire, draft_now, given, today)
        problem = moved.problem if index == len(steps) - 1 else None
        draft_now = moved.draft
    return draft_now, problem, False


def _input(step: str) -> Any:
    """A button's engine input (``None``: a button the trial does not know)."""
    action = callbacks.decode(step)
    engine_inputs = (
        engine.Choose, engine.Back, engine.Skip, engine.Keep, engine.Submit, engine.Toggle,
        engine.Done, engine.ChangeAnswer, engine.Pick,
    )  # fmt: skip
    return action if isinstance(action, engine_inputs) else None


def _views(staff: Staff, loaded: LoadedForm, language: str) -> Views:
    questionnaire = loaded.questionnaire
    base = staff.place.content.locale
    if language != staff.place.settings.language:
        base = _bundled(language)
    locale = base.with_texts(questionnaire.texts_in(language))
    return Views(questionnaire, locale, staff.place.settings.municipality_name)


@lru_cache(maxsize=8)
def _bundled(language: str) -> Locale:
    """The bot's own words in a language the municipality does not speak first."""
    try:
        return load_locale(bundled_locale(language))
    except (OSError, ValueError, ContentError):
        return load_locale(bundled_locale("ka"))


def _moves(prompt: Prompt | None) -> list[Any]:
    return list(prompt.moves()) if prompt is not None else []


def _answers(views: Views, questionnaire: Questionnaire, draft_now: Draft) -> list[str]:
    """What would be sent, each answer as the summary names it."""
    kept = engine.final_answers(questionnaire, draft_now.answers)
    lines = []
    for question in questionnaire.questions:
        if question.id in kept and question.asked:
            number = views.number(question.id)
            lines.append(f"{number}. {views.answer_label(question, kept[question.id])}")
    return lines
