"""A ``field-list`` group as one web page: every question of the group on one form, posted
at once and answered one by one, as a chat would answer them.

Each field is named by its question: ``f|<id>`` (the option pressed, a radio button),
``m|<id>|<n>`` (a ticked box of a multiple choice: typed as its numbers, "1,3"), ``x|<id>``
(typed); ``k|<id>`` marks a question answered before. ``page`` lists the questions in
order. The turns stop at the first answer refused, and the page is shown again at that
question with the reason; a question that no longer applies when its turn comes is passed
over; a field left empty is a skip (refused when the question is required, as the chat's
"skip" is), or, answered before, keeps that answer (the page's Back brings a citizen to a
page they filled in). Nothing here names a kind of question: a field is what its prompt
offers (options, ticks, typing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from bot.dialogue.callbacks import decode, encode
from bot.dialogue.events import Event, Outcome, Press, Repeat, Text
from bot.dialogue.prompt import Move, Prompt, State
from bot.questionnaire.inputs import Done, Keep, Skip, Toggle

PAGE = "page"
"""The form field listing the page's questions; its button's value too."""
Route = Callable[[Event], Awaitable[Outcome]]
WALK = 60
"""Steps back at most to a page question answered before (as ``answers.WALK``)."""


@dataclass(frozen=True)
class Choice:
    label: str
    name: str
    value: str


@dataclass(frozen=True)
class Field:
    """One question of the page, as the form shows it."""

    id: str
    progress: str
    text: str
    hint: str
    choices: tuple[Choice, ...]
    several: bool
    typed: bool
    note: bool
    answered: bool
    """Answered before: left empty, the answer stays."""


def fields_of(asked: Prompt) -> tuple[Field, ...]:
    """The page's questions, or none when the prompt is no ``field-list`` page."""
    return tuple(_field(prompt) for prompt in asked.fields if prompt.question)


def first_of(asked: Prompt) -> Prompt:
    """The page's first question: the page stands where it does (its form's ``at``, its
    Back), whichever of its questions the questionnaire is at."""
    return asked.fields[0] if asked.fields else asked


def _field(prompt: Prompt) -> Field:
    question = str(prompt.question)
    several = any(isinstance(decode(o.data), Toggle) for o in prompt.options)
    choices = tuple(
        Choice(o.label, f"m|{question}|{o.key}", "1")
        if several
        else Choice(o.label, f"f|{question}", o.data)
        for o in prompt.options
    )
    hint = "\n".join(part for part in (prompt.current, prompt.hint) if part)
    progress = prompt.progress.label if prompt.progress else ""
    note = prompt.state is State.NOTE
    answered = bool(prompt.current)
    return Field(
        question, progress, prompt.text, hint, choices, several, prompt.typed, note, answered
    )


def events_of(form: Mapping[str, str]) -> list[tuple[str, list[Event]]] | None:
    """The turns a posted page stands for, question by question; ``None``: no such page."""
    if PAGE not in form:
        return None
    steps: list[tuple[str, list[Event]]] = []
    for question in form[PAGE].split():
        typed = form.get(f"x|{question}", "").strip()
        ticked = [name.rsplit("|", 1)[1] for name in form if name.startswith(f"m|{question}|")]
        if typed:
            events: list[Event] = [Text(typed.replace("\r\n", "\n"))]
        elif form.get(f"f|{question}"):
            events = [Press(form[f"f|{question}"])]
        elif ticked:
            events = [Text(",".join(ticked))]
        elif form.get(f"n|{question}"):  # a note: read
            events = [Press(encode(Done(question)))]
        elif form.get(f"k|{question}"):
            events = [Press(encode(Keep(question)))]
        else:
            events = [Press(encode(Skip(question)))]
        steps.append((question, events))
    return steps


async def answer_page(
    steps: list[tuple[str, list[Event]]], answered: frozenset[str], route: Route
) -> Outcome:
    """Each question's turn while the questionnaire is at it; the first refusal ends the
    page (its outcome says why, and asks that question again). An answer moves on to the
    first question not yet answered: a page question ``answered`` before is walked back to,
    so that its field is taken too."""
    order = [question for question, _ in steps]
    outcome = await route(Repeat())
    for question, events in steps:
        if _at(outcome) != question and question in answered:
            outcome = await _back_to(question, order, outcome, route)
        if _at(outcome) != question:
            continue
        for event in events:
            outcome = await route(event)
        if _at(outcome) == question:
            break
    return outcome


async def _back_to(question: str, order: list[str], outcome: Outcome, route: Route) -> Outcome:
    """The questionnaire's own Back, one turn each, until it is at ``question``. It stops
    short where the question is passed (it no longer applies: an earlier question of the
    page, or the question before the page, is reached): the page is then shown again."""
    reached_page = False
    for _ in range(WALK):
        here = _at(outcome)
        if here == question:
            break
        if here in order:
            if order.index(here) < order.index(question):
                break
            reached_page = True
        elif reached_page:
            break
        prompt = outcome.replies[-1].prompt if outcome.replies else None
        moves = prompt.moves() if prompt is not None else ()
        back = next((m.data for m in moves if m.kind is Move.BACK), None)
        if back is None:
            break
        outcome = await route(Press(back))
    return outcome


def answered_of(form: Mapping[str, str]) -> frozenset[str]:
    """The page's questions answered before it was shown."""
    return frozenset(name.split("|", 1)[1] for name in form if name.startswith("k|"))


def _at(outcome: Outcome) -> str | None:
    prompt = outcome.replies[-1].prompt if outcome.replies else None
    return prompt.question if prompt is not None else None
