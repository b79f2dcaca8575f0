"""Frozen values that describe a questionnaire and a citizen's progress through it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

SUMMARY = "@summary"
PICK = "@pick"
LANGUAGE = "@language"
"""Where a draft keeps the language the citizen chose: never a question, so it never
reaches a response (``engine.final_answers`` keeps answers to questions only)."""

# Roles: what a question is for, so code asks the questionnaire instead of naming its ids.
SERVICE = "service"
"""Which service the form is about (deep links and QR codes pre-answer it)."""
GENDER = "gender"
SATISFACTION = "satisfaction"
"""The overall satisfaction scale (digest alerts, "you said, we did")."""
SUGGESTIONS = "suggestions"
"""Free-text suggestions, sorted into categories."""
NEEDS = "needs"
"""Free-text extra needs, asked after a yes/no question."""
ROLES = frozenset({SERVICE, GENDER, SATISFACTION, SUGGESTIONS, NEEDS})

Answer = str | None
"""An option code or free text; ``None`` means the citizen skipped the question."""


class Kind(StrEnum):
    CHOICE = "choice"
    SCALE = "scale"
    TEXT = "text"


@dataclass(frozen=True)
class Condition:
    """Ask a question only when an earlier one was answered with a given code."""

    question: str
    equals: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    required: bool
    options: tuple[str, ...] = ()
    ask_if: Condition | None = None
    max_length: int = 1000
    role: str | None = None

    def is_button_question(self) -> bool:
        return self.kind is not Kind.TEXT

    def scale_bounds(self) -> tuple[int, int]:
        numbers = sorted(int(code) for code in self.options)
        return numbers[0], numbers[-1]


@dataclass(frozen=True)
class Questionnaire:
    version: str
    questions: tuple[Question, ...]

    def get(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def with_role(self, role: str) -> Question | None:
        """The question the data marks with ``role`` (e.g. ``service``), if any."""
        return next((q for q in self.questions if q.role == role), None)

    def role_id(self, role: str) -> str | None:
        question = self.with_role(role)
        return question.id if question else None

    def free_text(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind is Kind.TEXT)

    def applicable(self, answers: Mapping[str, Answer]) -> tuple[Question, ...]:
        """The questions this citizen is asked, given what they answered so far."""
        return tuple(
            q
            for q in self.questions
            if q.ask_if is None or answers.get(q.ask_if.question) == q.ask_if.equals
        )


@dataclass(frozen=True)
class Draft:
    """A questionnaire in progress: the answers so far and where the citizen is.

    ``position`` is a question id, ``SUMMARY`` or ``PICK`` (choosing an answer to change).
    """

    position: str
    answers: Mapping[str, Answer] = field(default_factory=dict)
