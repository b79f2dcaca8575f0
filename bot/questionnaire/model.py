"""Frozen values that describe a questionnaire and a citizen's progress through it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from bot.questionnaire.expressions import Expression
from bot.questionnaire.kinds.base import QuestionKind
from bot.questionnaire.kinds.registry import Kind as Kind  # the built-in kinds, kept here

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
"""An option code, several codes separated by spaces (``select_multiple``), a number as
typed and checked (``"3"``, ``"2.5"``) or free text; ``None``: the question was skipped."""


@dataclass(frozen=True)
class Condition:
    """Ask a question only when an earlier one was answered with a given code."""

    question: str
    equals: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    """What kind of question it is; everything that differs by kind asks it."""
    required: bool
    options: tuple[str, ...] = ()
    relevant: Expression | None = None
    max_length: int = 1000
    role: str | None = None
    constraint: Expression | None = None
    """Checked with ``.`` as the typed number (or text), e.g. ``. >= 1 and . <= 5``."""
    decimal: bool = False
    bounds: tuple[float, float, float] | None = None
    """A ``range`` asked by typing: start, end and step."""
    section: str = ""
    """The XLSForm group (its name) the question is in: a heading before its first
    question, and the section its report and export name (``sections.<name>`` texts)."""
    page: str = ""
    """The ``field-list`` group it is in (its name): the web shows that group's questions
    on one page."""
    calculation: Expression | None = None
    """A ``calculate``: never asked, its value worked out from the answers when read."""
    keep: bool = False
    """A ``calculate`` the form marks to keep (``feedback_keep``): stored with the answers."""

    @property
    def asked(self) -> bool:
        """Put to the citizen (a question or a note); a calculation never is."""
        return self.calculation is None

    @property
    def stored(self) -> bool:
        """Its value goes into the response: an answer, or a calculation marked to keep."""
        return self.kind.stores or (self.calculation is not None and self.keep)

    @property
    def ask_if(self) -> Condition | None:
        """The rule when it is the simple ``${q} = 'code'`` (the follow-up of a yes/no)."""
        if self.relevant is None:
            return None
        match self.relevant.tree:
            case ("cmp", "=", ("ref", name), ("lit", str() as code)):
                return Condition(str(name), code)
        return None


@dataclass(frozen=True)
class Questionnaire:
    version: str
    """The stored version tag (``<form id>_v<version>``), unique across forms and versions."""
    questions: tuple[Question, ...]
    form_id: str = ""
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)
    """The form's own texts by language (``questions.<id>.text``, ``options.<id>.<code>``…):
    a spreadsheet form carries them; they stand over the locale's."""
    default_language: str = "ka"

    @cached_property
    def _index(self) -> dict[str, int]:
        return {q.id: i for i, q in enumerate(self.questions)}

    def get(self, question_id: str) -> Question | None:
        index = self._index.get(question_id)
        return None if index is None else self.questions[index]

    def index(self, question_id: str) -> int:
        return self._index[question_id]

    def with_role(self, role: str) -> Question | None:
        """The question the data marks with ``role`` (e.g. ``service``), if any."""
        return next((q for q in self.questions if q.role == role), None)

    def role_id(self, role: str) -> str | None:
        question = self.with_role(role)
        return question.id if question else None

    def free_text(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind.free_text)

    def answerable(self) -> tuple[Question, ...]:
        """Every question that stores a value (notes store none; a calculation only when
        the form marks it to keep)."""
        return tuple(q for q in self.questions if q.stored)

    def first_choice(self) -> Question | None:
        """The question a link may pre-answer: the service, else the first ``select_one``."""
        return self.with_role(SERVICE) or next(
            (q for q in self.questions if q.kind.linkable and q.relevant is None), None
        )

    def applicable(self, answers: Mapping[str, Answer]) -> tuple[Question, ...]:
        """The questions this citizen is asked, given what they answered so far."""
        effective = Effective(self, answers)
        return tuple(q for q in self.questions if effective.asked(q))

    def applies(self, question: Question, answers: Mapping[str, Answer]) -> bool:
        return Effective(self, answers).asked(question)

    def texts_in(self, language: str) -> Mapping[str, str]:
        """The form's texts in ``language``, each missing one in the form's default."""
        default = self.texts.get(self.default_language, {})
        return {**default, **self.texts.get(language, {})}


class Effective(Mapping[str, Answer]):
    """The answers as rules see them: an answer to a question that no longer applies (a
    "yes" withdrawn earlier in the chain) counts as not given, as in ODK."""

    def __init__(self, questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> None:
        self._questionnaire, self._answers = questionnaire, answers
        self._asked: dict[str, bool] = {}
        self.failed: list[str] = []
        """Questions whose ``relevant`` could not be worked out: asked, as the rule says
        (``Expression.holds``); the engine tells the dialogue layer, which logs it once."""

    def asked(self, question: Question) -> bool:
        if question.relevant is None:
            return True
        if question.id not in self._asked:
            self._settle(question)
        return self._asked[question.id]

    def _settle(self, question: Question) -> None:
        """Works out the rules ``question``'s rule reads before the rule itself, with a
        stack of our own: a chain of follow-ups as long as the form costs no recursion,
        since every answer a rule then looks up is already known to apply or not."""
        pending = [question]
        while pending:
            top = pending[-1]
            waiting = self._unsettled(top)
            if waiting:
                pending += waiting
                continue
            pending.pop()
            if top.id not in self._asked and top.relevant is not None:
                verdict = top.relevant.verdict(self)
                if verdict is None:
                    self.failed.append(top.id)
                self._asked[top.id] = verdict is not False

    def _unsettled(self, question: Question) -> list[Question]:
        """The earlier questions with a rule ``question``'s rule reads, not yet worked out."""
        here = self._questionnaire.index(question.id)
        read = (self._questionnaire.get(name) for name in question.relevant.references)  # type: ignore[union-attr]
        return [
            q
            for q in read
            if q is not None
            and q.relevant is not None
            and q.id not in self._asked
            and self._questionnaire.index(q.id) < here
        ]

    def __getitem__(self, name: str) -> Answer:
        question = self._questionnaire.get(name)
        if question is not None and question.calculation is not None:
            value = self.calculated(question) if self.asked(question) else None
            if value is None:
                raise KeyError(name)
            return value
        value = self._answers[name]
        if question is not None and not self.asked(question):
            raise KeyError(name)
        return value

    def calculated(self, question: Question) -> Answer:
        """A ``calculate``'s value from the answers as rules see them (it reads only
        earlier questions, so this ends); ``None`` when it comes to nothing."""
        assert question.calculation is not None
        return question.calculation.value(self)

    def __iter__(self):  # type: ignore[no-untyped-def]
        computed = (q.id for q in self._questionnaire.questions if q.calculation is not None)
        return (name for name in (*self._answers, *computed) if name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True)
class Draft:
    """A questionnaire in progress: the answers so far and where the citizen is.

    ``position`` is a question id, ``SUMMARY`` or ``PICK`` (choosing an answer to change).
    """

    position: str
    answers: Mapping[str, Answer] = field(default_factory=dict)
