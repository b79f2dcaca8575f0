"""A toy kind of question, the whole of it in this one module: "stars".

An XLSForm ``range`` with ``appearance: rating`` (as ODK Collect draws stars), one to three
stars by default (``parameters: end=5`` for five). The citizen presses ★, ★★ or ★★★, or
types the number or the stars; the report counts each and exports the number of stars. A
test registers it with one line (``registry.register(Stars())``) to show that a new kind
needs nothing else: no engine, view, importer or report change.
"""

from __future__ import annotations

from typing import ClassVar

from bot.questionnaire.inputs import Choose
from bot.questionnaire.kinds.base import (
    Answering,
    Exported,
    Hint,
    QuestionKind,
    Reading,
    ReportTable,
    Row,
)
from bot.questionnaire.kinds.scale import range_parameters
from bot.questionnaire.typed_answers import Problem, Question

STAR = "★"


class Stars(QuestionKind):
    name = "stars"
    types = frozenset({"range"})
    appearances = frozenset({"rating"})
    answering = Answering.BUTTONS
    inputs: ClassVar[frozenset[type]] = frozenset({Choose})
    report = ReportTable.COUNTS
    exported = Exported.INTEGER

    def takes(self, row: Row) -> bool:
        return row.base == "range" and row.appearance == "rating"

    def read(self, row: Row) -> Reading:
        parameters = range_parameters(row.cells) if row.cells.get("parameters") else None
        end = int(parameters[1]) if parameters else 3
        return Reading(tuple(str(n) for n in range(1, min(end, 5) + 1)))

    def own_label(self, code: str) -> str:
        return STAR * int(code)

    def typed(self, question: Question, text: str) -> str | Problem:
        typed = text.strip()
        count = str(len(typed)) if typed and set(typed) == {STAR} else typed
        if count in question.options:
            return count
        return Problem("scale_digit", {"low": 1, "high": len(question.options)})

    def codes(self, answer: str) -> tuple[str, ...] | None:
        return (answer,)

    def hints(self, question: Question) -> tuple[Hint, ...]:
        return (("prompt.scale_hint", {"low": 1, "high": len(question.options)}),)
