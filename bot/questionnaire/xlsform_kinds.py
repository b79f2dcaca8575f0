"""What kind of question a survey row asks, from its type, appearance and parameters.

A select becomes a choice, a multiple choice or a scale of buttons; a ``range`` a scale when
it is short and whole, else a typed number within bounds. Problems found on the way go to the
reader's list, so that all of a form's problems are reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bot.questionnaire.model import Kind
from bot.questionnaire.xlsform_sheets import LIST_TYPES, MAX_SCALE_BUTTONS, SURVEY, ChoiceLists

Resolved = tuple[Kind, tuple[str, ...], tuple[float, float, float] | None]
"""The kind, its options (codes) and, for a typed range, its start, end and step."""


class ProblemSink(Protocol):
    def __call__(
        self, sheet: str, row: int | None, column: str, code: str, /, **values: str
    ) -> None: ...


def question_type(row: Mapping[str, str]) -> tuple[str, str, str]:
    """The type as written (spaces tidied), its base and its list: ``select one yn`` and
    ``select_one yn`` are the same question on the list ``yn``."""
    written = " ".join(str(row.get("type", "")).split())
    base, _, list_name = (
        written.replace("select one ", "select_one ")
        .replace("select all that apply ", "select_multiple ")
        .partition(" ")
    )
    return written, base, list_name


def resolve_kind(
    problem: ProblemSink,
    number: int,
    base: str,
    list_name: str,
    appearance: str,
    row: Mapping[str, str],
    choices: ChoiceLists,
) -> Resolved:
    if base in LIST_TYPES:
        return _select(problem, number, base, list_name, appearance, choices)
    if base == "range":
        return _range(problem, number, row)
    if base in ("integer", "decimal"):
        return Kind.NUMBER, (), None
    return (Kind.NOTE if base == "note" else Kind.TEXT), (), None


def _select(
    problem: ProblemSink,
    number: int,
    base: str,
    list_name: str,
    appearance: str,
    choices: ChoiceLists,
) -> Resolved:
    if list_name not in choices:
        problem(SURVEY, number, "type", "choice_list", list=list_name)
        return Kind.CHOICE, (), None
    options = tuple(code for code, _, _ in choices[list_name])
    if base == "select_multiple":
        return Kind.MULTI, options, None
    if appearance == "likert":
        if not all(code.isdigit() for code in options):
            problem(SURVEY, number, "appearance", "likert_digits", list=list_name)
        return Kind.SCALE, options, None
    return Kind.CHOICE, options, None


def _range(problem: ProblemSink, number: int, row: Mapping[str, str]) -> Resolved:
    """A short whole-number range is a scale of buttons; a long one is typed."""
    values = dict(
        part.split("=", 1) for part in str(row.get("parameters", "")).split() if "=" in part
    )
    try:
        start = float(values.get("start", 1))
        end = float(values.get("end", 10))
        step = float(values.get("step", 1))
    except ValueError:
        start = end = step = 0.0
    if step <= 0 or end <= start:
        problem(SURVEY, number, "parameters", "range")
        return Kind.NUMBER, (), None
    count = round((end - start) / step) + 1
    if whole((start, end, step)) and count <= MAX_SCALE_BUTTONS:
        codes = tuple(str(int(start + i * step)) for i in range(count))
        return Kind.SCALE, codes, None
    return Kind.NUMBER, (), (start, end, step)


def whole(values: tuple[float, ...]) -> bool:
    """A range whose start, end and step are whole takes whole numbers; one with a fraction
    (``step=0.5``, ``start=0.5``) takes numbers with a decimal point."""
    return all(float(value).is_integer() for value in values)
