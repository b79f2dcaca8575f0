"""Answers typed instead of pressed: an option's number, several numbers, a number.

Pure functions of the text and the question; the engine records what they return or refuses
with the problem they name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

SEPARATORS = re.compile(r"[\s,;]+")
NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


class Question(Protocol):
    """A question as typed answers and kinds read it (``model.Question`` is one): named here
    so that neither imports the model, which imports the kinds."""

    @property
    def id(self) -> str: ...
    @property
    def options(self) -> tuple[str, ...]: ...
    @property
    def required(self) -> bool: ...
    @property
    def decimal(self) -> bool: ...
    @property
    def bounds(self) -> tuple[float, float, float] | None: ...
    @property
    def max_length(self) -> int: ...


@dataclass(frozen=True)
class Problem:
    """Why an input was refused; ``code`` names a locale text under ``problem.``."""

    code: str
    values: Mapping[str, int | str] = field(default_factory=dict)


def position(text: str, count: int) -> int | None:
    """A typed "3", "3." or "3)" as a 0-based index into a list of ``count``; else ``None``."""
    digits = text.strip().rstrip(".)")
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= count:
        return int(digits) - 1
    return None


def options(text: str, question: Question) -> str | None:
    """ "1,3", "1 3" or "1, 3": exactly these options, in the list's order (codes joined by
    spaces); ``None`` when a piece is not an option's number."""
    pieces = [p for p in SEPARATORS.split(text.strip()) if p]
    chosen = [position(piece, len(question.options)) for piece in pieces]
    if not pieces or any(index is None for index in chosen):
        return None
    picked = sorted({index for index in chosen if index is not None})
    return " ".join(question.options[index] for index in picked)


SIGNIFICANT_DIGITS = 15
"""A number with more digits than this would be stored changed (a float keeps ~15)."""


def number(text: str, question: Question) -> tuple[str, Problem | None]:
    """The number as stored (``3``, ``2.5``; a comma is a decimal point), or the problem.

    A number longer than a float holds exactly is refused rather than stored as another
    figure (``12345678901234567`` would come back as ``…568``; 310 digits as infinity)."""
    typed = text.strip().replace(" ", "")
    if not NUMBER.match(typed) or (("," in typed or "." in typed) and not question.decimal):
        return "", Problem("decimal_expected" if question.decimal else "integer_expected")
    amount = Decimal(typed.replace(",", ".")).normalize()
    _sign, digits, exponent = amount.as_tuple()
    width = len(digits) + max(int(exponent), 0)  # a whole number keeps its zeros
    if width > SIGNIFICANT_DIGITS:
        return "", _unfit(question)
    value = float(amount)
    if question.bounds is not None:
        low, high, step = question.bounds
        steps = (value - low) / step if step else 0.0
        if not low <= value <= high or abs(steps - round(steps)) > 1e-9:
            return "", _unfit(question)
    return _stored(amount), None


def _unfit(question: Question) -> Problem:
    """A number the question cannot take: its range when it has one, else how to write one."""
    if question.bounds is None:
        return Problem("decimal_expected" if question.decimal else "integer_expected")
    low, high, _step = question.bounds
    return Problem("out_of_range", {"low": shown(low), "high": shown(high)})


def _stored(amount: Decimal) -> str:
    """``3``, not ``3.0`` or ``3E+1``; ``2.5`` as typed, without trailing zeros."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount, "f")


def shown(value: float) -> str:
    """A number as stored and shown: ``3``, not ``3.0``; ``2.5`` as typed."""
    return str(int(value)) if value == int(value) else repr(value)
