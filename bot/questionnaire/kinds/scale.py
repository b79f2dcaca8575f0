"""A scale of buttons (``select_one`` with ``likert``, or a short whole ``range``): pressed,
or typed as its digit; reported with its mean and top two boxes."""

from __future__ import annotations

from collections.abc import Mapping
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
from bot.questionnaire.typed_answers import Problem, Question
from bot.questionnaire.xlsform_parameters import ParameterError, range_values
from bot.questionnaire.xlsform_sheets import MAX_SCALE_BUTTONS, SURVEY


class Scale(QuestionKind):
    name = "scale"
    types = frozenset({"select_one", "range"})
    appearances = frozenset({"likert"})
    answering = Answering.BUTTONS
    inputs: ClassVar[frozenset[type]] = frozenset({Choose})
    scored = True
    report = ReportTable.COUNTS
    exported = Exported.INTEGER

    def takes(self, row: Row) -> bool:
        if row.base == "range":
            return scale_codes(range_parameters(row.cells)) is not None
        return row.base == "select_one" and row.appearance == "likert"

    def read(self, row: Row) -> Reading:
        if row.base == "range":
            return Reading(scale_codes(range_parameters(row.cells)) or ())
        options = row.listed()
        if not all(code.isdigit() for code in options):
            row.problem(SURVEY, row.number, "appearance", "likert_digits", list=row.list_name)
        return Reading(options)

    def options_problem(self, options: tuple[str, ...]) -> str | None:
        if not options:
            return super().options_problem(options)
        return None if all(code.isdigit() for code in options) else "scale options must be digits"

    def typed(self, question: Question, text: str) -> str | Problem:
        digit = text.strip()
        if digit in question.options:
            return digit
        low, high = bounds(question)
        return Problem("scale_digit", {"low": low, "high": high})

    def option_key(self, code: str, number: int) -> str:
        return code

    def option_label(self, code: str, label: str) -> str:
        return f"{code} — {label}" if label != code else label

    def codes(self, answer: str) -> tuple[str, ...] | None:
        return (answer,)

    def hints(self, question: Question) -> tuple[Hint, ...]:
        low, high = bounds(question)
        return (("prompt.scale_hint", {"low": low, "high": high}),)


def bounds(question: Question) -> tuple[int, int]:
    """The scale's lowest and highest number."""
    numbers = sorted(int(code) for code in question.options)
    return numbers[0], numbers[-1]


def range_parameters(cells: Mapping[str, str]) -> tuple[float, float, float] | None:
    """A ``range``'s start, end and step as pyxform reads them (``xlsform_parameters``);
    ``None`` when they are not numbers, or the step or the span is not positive."""
    try:
        start, end, step = (float(value) for value in range_values(cells))
    except ParameterError:
        return None
    if step <= 0 or end <= start:
        return None
    return start, end, step


def scale_codes(parameters: tuple[float, float, float] | None) -> tuple[str, ...] | None:
    """A short whole-number range is a scale of buttons: its codes; a long one is typed."""
    if parameters is None or not whole(parameters):
        return None
    start, end, step = parameters
    count = round((end - start) / step) + 1
    if count > MAX_SCALE_BUTTONS:
        return None
    return tuple(str(int(start + i * step)) for i in range(count))


def whole(values: tuple[float, ...]) -> bool:
    """A range whose start, end and step are whole takes whole numbers; one with a fraction
    (``step=0.5``, ``start=0.5``) takes numbers with a decimal point."""
    return all(float(value).is_integer() for value in values)
