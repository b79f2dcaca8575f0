"""A number typed in digits (``integer``, ``decimal``, or a ``range`` too long or too fine
for buttons), checked against its range; reported by value or range, with its mean."""

from __future__ import annotations

from bot.questionnaire.kinds.base import Exported, Hint, QuestionKind, Reading, ReportTable, Row
from bot.questionnaire.kinds.scale import range_parameters, whole
from bot.questionnaire.typed_answers import Problem, Question, number
from bot.questionnaire.xlsform_parameters import ParameterError, range_values
from bot.questionnaire.xlsform_sheets import SURVEY


class Number(QuestionKind):
    name = "number"
    types = frozenset({"integer", "decimal", "range"})
    report = ReportTable.NUMBERS
    exported = Exported.REAL  # real numbers, so a spreadsheet's AVERAGE works

    def read(self, row: Row) -> Reading:
        if row.base != "range":
            return Reading(decimal=row.base == "decimal")
        try:
            range_values(row.cells)
        except ParameterError as error:  # the cell itself: say what is wrong in it
            row.problem(SURVEY, row.number, "parameters", error.code, **error.values)
            return Reading()
        bounds = range_parameters(row.cells)
        if bounds is None:
            row.problem(SURVEY, row.number, "parameters", "range")
            return Reading()
        return Reading(bounds=bounds, decimal=not whole(bounds))

    def typed(self, question: Question, text: str) -> str | Problem:
        value, problem = number(text, question)
        return value if problem is None else problem

    def hints(self, question: Question) -> tuple[Hint, ...]:
        if question.bounds is not None:
            low, high, _ = question.bounds
            return (("prompt.range_hint", {"low": f"{low:g}", "high": f"{high:g}"}),)
        return (("prompt.decimal_hint" if question.decimal else "prompt.integer_hint", {}),)
