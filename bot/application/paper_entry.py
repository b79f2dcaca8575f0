"""A paper form typed in whole on one screen, checked as the chat checks it.

The clerk types every field of the form at once (digits and Tab, in the paper form's
numbering); this walks the questionnaire engine through those fields in order, exactly as if
each had been typed into the chat at the paper desk, so a constraint, a ``relevant`` rule and
a required question behave the same everywhere. A field the engine refuses gets its problem
and the walk goes on past it (as "left blank"), so the clerk sees every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.dialogue.views import Views
from bot.questionnaire import engine
from bot.questionnaire.model import SUMMARY, Answer, Question, Questionnaire

BLANK = "-"
"""Typed in a field the citizen left blank on paper: recorded as not answered (the paper
desk's "not answered" button), where an empty field is a field the clerk has not typed."""
NOT_ASKED = "not_asked"
"""A field filled in that the form's own rules skip (``9ა`` when 9 is "no")."""


@dataclass(frozen=True)
class Field:
    """One question as the clerk sees it: its number on paper, and what to type."""

    id: str
    number: str
    title: str
    options: tuple[tuple[str, str], ...]
    """(what to type, the option's words)."""
    typing: bool
    """A free text (a box of lines); a number or a day is a short field like a digit."""
    required: bool
    condition: str = ""
    """For a follow-up: the number of the question it depends on (asked only sometimes)."""


@dataclass(frozen=True)
class Checked:
    answers: dict[str, Answer] | None
    """What is stored (``None`` while any field has a problem)."""
    problems: dict[str, engine.Problem] = field(default_factory=dict)
    masked: int = 0
    """Personal details (phone numbers, e-mails…) replaced in the free texts."""


def fields(questionnaire: Questionnaire, views: Views) -> list[Field]:
    """Every question that stores an answer, in the paper form's order and numbering."""
    found = []
    for question in questionnaire.questions:
        if not question.kind.stores or not question.asked:
            continue
        depends = [r for r in question.relevant.references] if question.relevant else []
        condition = ", ".join(views.number(r) for r in depends if views.number(r))
        found.append(
            Field(
                question.id,
                views.number(question.id),
                views.t(f"questions.{question.id}.title"),
                _options(question, views),
                question.kind.free_text,
                question.required,
                condition,
            )
        )
    return found


def _options(question: Question, views: Views) -> tuple[tuple[str, str], ...]:
    """A scale is typed as its value (5 = very satisfied, as printed); a list by position."""
    scale = question.kind.name == "scale"
    return tuple(
        (code if scale else str(n), views.t(f"options.{question.id}.{code}"))
        for n, code in enumerate(question.options, start=1)
    )


def check(
    questionnaire: Questionnaire, views: Views, typed: Mapping[str, str], day: date
) -> Checked:
    """``typed``: question id -> what the clerk typed; ``day``: the date on the forms (a
    date question's "today", as at the desk)."""
    draft = engine.start(questionnaire)
    problems: dict[str, engine.Problem] = {}
    asked: set[str] = set()
    masked = 0
    while draft.position != SUMMARY:
        question = questionnaire.get(draft.position)
        assert question is not None
        asked.add(question.id)
        raw = typed.get(question.id, "").strip()
        given: engine.Input
        if not question.kind.stores or raw == BLANK:
            given = engine.Blank(question.id)
        elif not raw:
            given = engine.Skip(question.id)  # a required question refuses it
        else:
            understood = views.understand_paper(draft, raw)
            given, masked = understood.given, masked + understood.masked
        step = engine.advance(questionnaire, draft, given, today=day)
        if step.problem is not None or step.draft.position == draft.position:
            problems[question.id] = step.problem or engine.Problem("not_a_button", {})
            step = engine.advance(questionnaire, draft, engine.Blank(question.id), today=day)
        draft = step.draft
    if not problems:
        for name, raw in typed.items():
            if raw.strip() and name not in asked and questionnaire.get(name) is not None:
                problems[name] = engine.Problem(NOT_ASKED, {})
    if problems:
        return Checked(None, problems, masked)
    return Checked(engine.final_answers(questionnaire, draft.answers), {}, masked)
