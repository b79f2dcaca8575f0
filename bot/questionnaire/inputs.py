"""What a citizen can do at a prompt, as the engine takes it: press an option, type, go back…

Inputs carry the question they were meant for, so a button pressed on an old message is
recognised as stale. They live apart from the engine so that a kind of question
(``bot.questionnaire.kinds``) can name the inputs it takes without importing the engine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choose:
    question: str
    code: str


@dataclass(frozen=True)
class Typed:
    text: str


@dataclass(frozen=True)
class Back:
    position: str


@dataclass(frozen=True)
class Skip:
    question: str


@dataclass(frozen=True)
class Blank:
    """A question left empty on a paper form: recorded as unanswered, even if required."""

    question: str


@dataclass(frozen=True)
class Toggle:
    """A ``select_multiple`` option pressed: on if it was off, off if it was on."""

    question: str
    code: str


@dataclass(frozen=True)
class Done:
    """The choice of several options is complete (or a note was read)."""

    question: str


@dataclass(frozen=True)
class Keep:
    """Go on past a question already answered, with the answer given before (a browser's
    Forward after its Back: the page moves on as if the same answer were given again)."""

    question: str


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class ChangeAnswer:
    pass


@dataclass(frozen=True)
class Pick:
    question: str


Input = Choose | Typed | Back | Skip | Blank | Keep | Submit | ChangeAnswer | Pick | Toggle | Done
