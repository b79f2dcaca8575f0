"""A question's ``parameters`` cell, read by pyxform's own parser.

``start=0 end=4 step=1``, ``START=0 END=4 STEP=1``, ``start = 0 end = 4`` and
``start=0;end=4;step=1`` are the same range to pyxform, so they are to us: a form that gives a
parameter never gets a default in its place. A cell pyxform cannot read, a parameter a
``range`` does not take, or a value that is not a number is a problem named in the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

RANGE_PARAMETERS = ("start", "end", "step")
"""What a ``range`` takes here (pyxform also knows ``tick_interval``, ``placeholder`` and
``tick_labelset``, for ODK's slider drawing, which a chat has no use for; they are
accepted and have no effect)."""
RANGE_DRAWING = ("tick_interval", "placeholder", "tick_labelset")
RANGE_DEFAULTS = {"start": "1", "end": "10", "step": "1"}
"""pyxform's own defaults (``QUESTION_TYPE_DICT["range"]``), for what a form leaves out."""


class ParameterError(ValueError):
    """The cell cannot be read (``code`` under ``forms.errors.``, with its values)."""

    def __init__(self, code: str, **values: str) -> None:
        super().__init__(code)
        self.code, self.values = code, values


def parameters(cells: Mapping[str, str]) -> dict[str, str]:
    """The cell's parameters as pyxform reads them: names in lower case, separated by
    spaces, commas or semicolons, spaces allowed around ``=``."""
    from lark.exceptions import LarkError
    from pyxform.errors import PyXFormError
    from pyxform.parsing.parameters import parse

    raw = str(cells.get("parameters", "")).strip()
    try:
        return parse(raw, 0)
    except (PyXFormError, LarkError):
        raise ParameterError("parameters_syntax", text=" ".join(raw.split())) from None


def range_values(cells: Mapping[str, str]) -> tuple[Decimal, Decimal, Decimal]:
    """A ``range``'s start, end and step, defaults only for what the form left out."""
    given = parameters(cells)
    unknown = sorted(set(given) - set(RANGE_PARAMETERS) - set(RANGE_DRAWING))
    if unknown:
        raise ParameterError("parameter_unknown", name=unknown[0], allowed="start, end, step")
    values = []
    for name in RANGE_PARAMETERS:
        text = given.get(name, RANGE_DEFAULTS[name])
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ParameterError("parameter_number", name=name, value=text) from None
        if not value.is_finite():
            raise ParameterError("parameter_number", name=name, value=text)
        values.append(value)
    start, end, step = values
    return start, end, step
