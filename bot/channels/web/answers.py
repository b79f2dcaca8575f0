"""A posted page: the form turned into the event a chat message would be, the turn, and a
redirect to the page that follows (post/redirect/get).

Every answer is answered with ``303 See Other`` to the address of the next page
(``positions``), so Back and Forward move between addresses and a reload asks again without
sending anything. A page's form says which question it answers (``at``): posted from an
earlier question (the browser's Back, an old tab), the questionnaire first goes back to that
question, as the page's own Back would, and the answer then changes that answer; posted
from a page the questionnaire is no longer at and cannot go back to, nothing is applied.
A typed text carries no question of its own, so it is only ever taken at its own question.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.channels.web import positions
from bot.dialogue.callbacks import Language, decode, encode
from bot.dialogue.events import Event, Outcome, Press, Repeat, Start, Stop, Text
from bot.dialogue.prompt import Move, Prompt, State
from bot.questionnaire.inputs import Keep

Route = Callable[[Event], Awaitable[Outcome]]
WALK = 60
"""Steps back at most when a page from far earlier is asked for (a form of 60 questions)."""


def prompt_of(outcome: Outcome) -> Prompt | None:
    """The prompt the page shows: the last reply's."""
    return outcome.replies[-1].prompt if outcome.replies else None


def key_of(outcome: Outcome) -> str | None:
    return positions.key_of(prompt_of(outcome))


def nothing_open(outcome: Outcome) -> bool:
    """The citizen has no questionnaire open (asked by showing the current prompt)."""
    return any(r.prompt and r.prompt.state is State.NOTHING_OPEN for r in outcome.replies)


def sent(outcome: Outcome) -> bool:
    """The turn sent a questionnaire: it closes with the thanks."""
    return any(r.prompt and r.prompt.state is State.CLOSING for r in outcome.replies)


def earlier(key: str, than: str | None) -> bool:
    """Position ``key`` comes before ``than`` in the questionnaire."""
    mine, theirs = positions.order(key), positions.order(than or "")
    return mine is not None and theirs is not None and mine < theirs


async def go_back_to(key: str, outcome: Outcome, route: Route) -> Outcome:
    """Presses the page's own Back until the questionnaire is at ``key`` (or before it:
    a question that no longer applies), one turn each; the answers stay as they are."""
    for _ in range(WALK):
        here = key_of(outcome)
        if here == key or (here is not None and not earlier(key, here)):
            return outcome
        back = _back_of(prompt_of(outcome))
        if back is None:
            return outcome
        outcome = await route(Press(back))
    return outcome


async def go_forward_to(key: str, outcome: Outcome, route: Route) -> Outcome:
    """Moves on with the answers given before until the questionnaire is at ``key`` (the
    browser's Forward after its Back), one turn each; it stops at a question not yet
    answered, so Forward never leaves a question out."""
    for _ in range(WALK):
        here = key_of(outcome)
        if here is None or here == key or not earlier(here, key):
            return outcome
        onward = _onward_of(prompt_of(outcome))
        if onward is None:
            return outcome
        moved = await route(Press(onward))
        if key_of(moved) == here:  # not answered yet: the question stays
            return outcome
        outcome = moved
    return outcome


def _onward_of(prompt: Prompt | None) -> str | None:
    """What moves past this question with its answer: ``Keep`` for a question, the note's
    own "continue" for a note."""
    if prompt is None or prompt.question is None:
        return None
    if prompt.state is State.NOTE:
        return next((m.data for m in prompt.moves() if m.kind is Move.CONTINUE), None)
    return encode(Keep(prompt.question))


def _back_of(prompt: Prompt | None) -> str | None:
    if prompt is None:
        return None
    return next((m.data for m in prompt.moves() if m.kind in (Move.BACK, Move.TO_SUMMARY)), None)


def event_of(form: dict[str, str]) -> Event:
    """The form a page posted, as the event a chat message would be. A button pressed on
    the welcome (a language) is that press, not the start the page's hidden field says."""
    if form.get("stop"):
        return Stop()
    if form.get("b") and form["b"] != "start":
        return Press(form["b"])
    if "start" in form:
        return Start(form["start"].strip() or None)
    if "text" in form:
        return Text(form["text"].replace("\r\n", "\n"))
    return Repeat()


def chosen_language(event: Event) -> str | None:
    """The language a press chooses, if it is a choice of language."""
    action = decode(event.data) if isinstance(event, Press) else None
    return action.code if isinstance(action, Language) else None


def answers_a_question(event: Event) -> bool:
    """An event that belongs to the page it was posted from (an answer, a move)."""
    return isinstance(event, Press | Text) and chosen_language(event) is None


async def to_its_question(at: str, route: Route) -> tuple[bool, Outcome]:
    """Brings the questionnaire to the question the page was at; whether it is there."""
    shown = await route(Repeat())
    if nothing_open(shown):
        return False, shown
    if key_of(shown) != at and earlier(at, key_of(shown)):
        shown = await go_back_to(at, shown, route)
    return key_of(shown) == at, shown
