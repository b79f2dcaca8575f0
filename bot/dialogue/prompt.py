"""What a citizen is asked, as data: each channel renders it its own way.

``Views`` fills a ``Prompt`` with texts already in the citizen's language; the chat
renderer (``bot.dialogue.chat``) makes of it the message and keyboard Telegram, Messenger
and the console send, and the web page lays the same fields out as HTML. Nothing reads a
rendered text back: a channel that needs the progress, the options or whether a
questionnaire is open asks the prompt.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class State(enum.Enum):
    """Where the citizen is, as a channel needs to know it."""

    INTRO = "intro"
    """A form's introduction, before its first question (a page shows its own welcome)."""
    QUESTION = "question"
    NOTE = "note"
    """Text to read, and a button to go on."""
    SUMMARY = "summary"
    PICK = "pick"
    """The list of answers, to choose one to change."""
    CLOSING = "closing"
    """The questionnaire was sent."""
    NOTHING_OPEN = "nothing_open"
    """No questionnaire is open: the message ends with a way to begin."""
    RESUME = "resume"
    """A questionnaire is open and a new one was asked for: go on, or begin anew."""
    LANGUAGES = "languages"
    FORMS = "forms"
    """The municipality's forms, to choose one."""
    FORMS_DATE = "forms_date"
    """The paper desk asks the date the forms were filled in."""


class Move(enum.Enum):
    """What a navigation button does, so a channel can place and style it."""

    BACK = "back"
    SKIP = "skip"
    DONE = "done"
    CONTINUE = "continue"
    SEND = "send"
    CHANGE = "change"
    TO_SUMMARY = "to_summary"
    RESUME = "resume"
    RESTART = "restart"
    BEGIN = "begin"
    BLANK = "blank"
    TODAY = "today"
    LANGUAGE = "language"
    SWITCH_LANGUAGE = "switch_language"
    SUBSCRIBE = "subscribe"


MAIN_MOVES = frozenset({Move.SEND, Move.CHANGE, Move.RESUME, Move.RESTART, Move.BEGIN})
"""Moves that are the answer itself rather than a way around (a page shows them as big
buttons among the choices)."""


@dataclass(frozen=True)
class Option:
    """One answer offered: its label, the engine input it stands for (as button data), and
    what may be typed instead (the option's number, a scale's digit)."""

    label: str
    data: str
    key: str | None = None


@dataclass(frozen=True)
class Nav:
    kind: Move
    label: str
    data: str


@dataclass(frozen=True)
class Progress:
    """The question's number (``3``, or ``3ა`` for a follow-up) of the numbered ones, and
    the line that says so in the citizen's language."""

    number: str
    total: int
    label: str


@dataclass(frozen=True)
class Prompt:
    """What the citizen is asked. Texts are in the citizen's language; empty when absent.

    ``navigation`` is in rows, as a chat keyboard lays it out; a page may flatten it.
    """

    state: State
    text: str
    progress: Progress | None = None
    title: str | None = None
    """A loaded form's title, for a channel with a page heading (the web)."""
    answers: tuple[str, ...] = ()
    """The summary's lines: each question's number, title and answer."""
    current: str = ""
    """The sentence naming the answer given before (a question asked again)."""
    hint: str = ""
    options: tuple[Option, ...] = ()
    navigation: tuple[tuple[Nav, ...], ...] = ()
    typed: bool = False
    """The question is answered by typing (a page shows a text box)."""
    dense: bool = False
    """Fast entry (the paper desk): the lines follow each other without a blank line."""
    question: str | None = None
    """The question asked (or the note shown), for a channel that moves on past it with
    the answer given before (the web page's Forward: ``Keep``)."""
    section: str = ""
    """The heading of the form's section (an XLSForm group) this question begins."""
    fields: tuple[Prompt, ...] = ()
    """Every question of its page (a ``field-list`` group) that applies so far, this one
    among them, each as its own prompt: the web shows them together; a chat asks them one
    by one and ignores them."""

    @property
    def open(self) -> bool:
        """A questionnaire is open and the citizen is inside it (a page offers to stop)."""
        return self.state in (State.QUESTION, State.SUMMARY, State.PICK)

    def moves(self) -> tuple[Nav, ...]:
        return tuple(nav for row in self.navigation for nav in row)
