"""The XLSForm expressions staff write in ``relevant`` and ``constraint``, evaluated safely.

Only the common shapes are understood: ``${q} = 'yes'``, ``selected(${q}, 'x')``,
comparisons, ``and``/``or``/``not(...)``, arithmetic, ``.`` (the answer being checked),
``count-selected``, ``string-length``, ``if(…, …, …)`` (a ``calculate``'s usual shape).
Anything else is refused when the form is loaded, so a form never fails in front of a
citizen. The text is read into a small tree once
(``expression_parser``) and walked with the answers; nothing is ever handed to ``eval``.

Neither the reading nor the walking recurses: both keep their own stack, so an expression of
a thousand terms or a hundred parentheses costs time in proportion to its length and never
Python's recursion limit. ``form add`` still refuses expressions beyond ``LIMITS`` (no
real form comes near them), and one that fails anyway when a citizen answers is taken as
holding (``Expression.verdict``): the citizen goes on, and the dialogue layer says so once in
the log.

Values follow XPath as ODK uses it: an unanswered question is the empty string, a
``select_multiple`` answer is its codes separated by spaces, and ``<``/``>`` compare numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.questionnaire.expression_parser import (
    LIMITS,
    ExpressionError,
    Limits,
    Node,
    read,
)

__all__ = ["LIMITS", "Expression", "ExpressionError", "Limits", "parse"]

Value = str | float | bool
Answers = Mapping[str, str | None]

ENTER, RIGHT, APPLY = 0, 1, 2
"""What the walk does with a node it takes off its stack: start on it, decide an ``and`` or
``or`` from its left side, or combine the values of its parts."""


@dataclass(frozen=True)
class Expression:
    """A parsed expression: the text as written, its tree and the questions it reads.

    Two expressions are the same when their texts are: the tree is left out of comparing and
    hashing, which would otherwise recurse as deep as the tree is."""

    text: str
    tree: Node = field(compare=False, repr=False)
    references: tuple[str, ...]
    uses_dot: bool = False
    """Reads ``.``, the answer being checked: only a constraint may."""

    def verdict(self, answers: Answers, current: str | None = None) -> bool | None:
        """True or false, or ``None`` when the expression cannot be worked out with these
        answers (``mod`` of a number too large to hold, say). Any error counts: a rule
        staff wrote must never stop a citizen, whatever it meets."""
        try:
            return _truth(_evaluate(self.tree, answers, current))
        except Exception:  # the caller decides what a failed rule means; see holds()
            return None

    def value(self, answers: Answers) -> str | None:
        """The value as a ``calculate`` keeps it: a number without a needless ``.0``, a
        truth as ``1``/``0``, text as it is; ``None`` when empty or not worked out."""
        try:
            value = _evaluate(self.tree, answers, None)
        except Exception:  # as verdict(): a calculation staff wrote never stops a citizen
            return None
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return None if math.isnan(value) or math.isinf(value) else f"{value:.10g}"
        return value or None

    def holds(self, answers: Answers, current: str | None = None) -> bool:
        """The verdict, with a rule that cannot be worked out taken as holding: a
        ``relevant`` then asks its question, a ``constraint`` accepts the answer."""
        return self.verdict(answers, current) is not False


def parse(text: str, limits: Limits | None = None) -> Expression:
    """``limits``: refuse an expression longer or deeper than these (``form add`` does; a
    form already stored is read back without them, so it keeps working)."""
    tree, references, dot = read(text, limits)
    return Expression(text, tree, references, dot)


def _evaluate(tree: Node, answers: Answers, current: str | None) -> Value:
    """The value of ``tree``, walked with a stack of our own (no recursion per term)."""
    values: list[Value] = []
    work: list[tuple[int, Node]] = [(ENTER, tree)]
    while work:
        stage, node = work.pop()
        if stage == ENTER:
            _enter(node, answers, current, values, work)
        elif stage == RIGHT:
            _right(node, values, work)
        else:
            values.append(_apply(node, values))
    (value,) = values
    return value


def _enter(
    node: Node,
    answers: Answers,
    current: str | None,
    values: list[Value],
    work: list[tuple[int, Node]],
) -> None:
    kind = node[0]
    if kind == "lit":
        values.append(node[1])  # type: ignore[arg-type]
    elif kind == "ref":
        values.append(answers.get(str(node[1])) or "")
    elif kind == "dot":
        values.append(current or "")
    elif kind in ("and", "or"):
        work += [(RIGHT, node), (ENTER, node[1])]  # type: ignore[list-item]
    elif kind in ("cmp", "arith", "call"):
        work.append((APPLY, node))
        work.extend((ENTER, part) for part in reversed(node[2:]))  # type: ignore[misc]
    else:
        raise ExpressionError("expression_syntax", str(kind))


def _right(node: Node, values: list[Value], work: list[tuple[int, Node]]) -> None:
    """``and``/``or`` with its left side known: decided already, or the right side decides
    (XPath's short circuit: the right side is not worked out when it cannot matter)."""
    left = _truth(values.pop())
    if left is (node[0] == "or"):
        values.append(left)
    else:
        work += [(APPLY, node), (ENTER, node[2])]  # type: ignore[list-item]


def _apply(node: Node, values: list[Value]) -> Value:
    kind = node[0]
    if kind in ("and", "or"):
        return _truth(values.pop())
    name = str(node[1])  # an operator's or function's name (an "and" holds a tree there)
    count = len(node) - 2
    parts = values[-count:]
    del values[-count:]
    if kind == "cmp":
        return _compare(name, parts[0], parts[1])
    if kind == "arith":
        return ARITHMETIC[name](_number(parts[0]), _number(parts[1]))
    return CALLS[name](*parts)


def _truth(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value != ""


def _number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(value.strip())
    except ValueError:
        return math.nan


def _compare(operator: str, left: Value, right: Value) -> bool:
    if operator in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = _truth(left) == _truth(right)
        elif isinstance(left, float) or isinstance(right, float):
            equal = _number(left) == _number(right)
        else:
            equal = left == right
        return equal if operator == "=" else not equal
    a, b = _number(left), _number(right)
    if math.isnan(a) or math.isnan(b):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]


def _divide(a: float, b: float) -> float:
    return a / b if b else math.nan


def _modulo(a: float, b: float) -> float:
    return math.fmod(a, b) if b else math.nan


ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": _divide,
    "mod": _modulo,
}
CALLS: dict[str, Callable[..., Value]] = {
    "if": lambda condition, then, otherwise: then if _truth(condition) else otherwise,
    "selected": lambda answer, code: str(code) in str(answer).split(),
    "count-selected": lambda answer: float(len(str(answer).split())),
    "string-length": lambda answer: float(len(str(answer))),
    "not": lambda value: not _truth(value),
    "number": _number,
}
