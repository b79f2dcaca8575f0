"""Button data: short strings (Telegram allows 64 bytes) that name the question they answer."""

from __future__ import annotations

from dataclasses import dataclass

from bot.questionnaire.engine import (
    Back,
    Blank,
    ChangeAnswer,
    Choose,
    Done,
    Input,
    Keep,
    Pick,
    Skip,
    Submit,
    Toggle,
)

SEPARATOR = "|"


@dataclass(frozen=True)
class Resume:
    pass


@dataclass(frozen=True)
class Restart:
    payload: str | None = None


@dataclass(frozen=True)
class Today:
    """Paper batch: the forms are dated today."""


@dataclass(frozen=True)
class Subscribe:
    """After sending: the citizen wants to hear what came of the feedback."""


@dataclass(frozen=True)
class Language:
    """The citizen chose a language (``payload``: the service from the link, kept)."""

    code: str
    payload: str | None = None


@dataclass(frozen=True)
class Languages:
    """Show the choice of languages again (to switch)."""


Action = Input | Resume | Restart | Today | Subscribe | Language | Languages


def encode(action: Action) -> str:
    match action:
        case Choose(question, code):
            return f"a|{question}|{code}"
        case Back(position):
            return f"b|{position}"
        case Skip(question):
            return f"s|{question}"
        case Keep(question):
            return f"k|{question}"
        case Blank(question):
            return f"n|{question}"
        case Pick(question):
            return f"p|{question}"
        case Toggle(question, code):
            return f"t|{question}|{code}"
        case Done(question):
            return f"d|{question}"
        case Submit():
            return "ok"
        case ChangeAnswer():
            return "chg"
        case Resume():
            return "go"
        case Restart(payload):
            return f"new|{payload or ''}"
        case Today():
            return "today"
        case Subscribe():
            return "sub"
        case Language(code, payload):
            return f"lang|{code}|{payload or ''}"
        case Languages():
            return "langs"
    raise TypeError(f"not a button action: {action!r}")


def decode(data: str) -> Action | None:
    """The action a button stands for, or ``None`` for anything we did not make."""
    parts = data.split(SEPARATOR)
    match parts:
        case ["a", question, code] if question and code:
            return Choose(question, code)
        case ["b", position] if position:
            return Back(position)
        case ["s", question] if question:
            return Skip(question)
        case ["k", question] if question:
            return Keep(question)
        case ["n", question] if question:
            return Blank(question)
        case ["p", question] if question:
            return Pick(question)
        case ["t", question, code] if question and code:
            return Toggle(question, code)
        case ["d", question] if question:
            return Done(question)
        case ["ok"]:
            return Submit()
        case ["chg"]:
            return ChangeAnswer()
        case ["go"]:
            return Resume()
        case ["new", payload]:
            return Restart(payload or None)
        case ["today"]:
            return Today()
        case ["sub"]:
            return Subscribe()
        case ["lang", code, payload] if code:
            return Language(code, payload or None)
        case ["langs"]:
            return Languages()
    return None
