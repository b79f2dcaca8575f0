"""The XLSForm expressions staff write in ``relevant`` and ``constraint``, evaluated safely.

Only the common shapes are understood: ``${q} = 'yes'``, ``selected(${q}, 'x')``,
comparisons, ``and``/``or``/``not(...)``, arithmetic, ``.`` (the answer being checked),
``count-selected``, ``string-length``. Anything else is refused when the form is loaded, so
a form never fails in front of a citizen. The text is parsed into a small tree once and
walked with the answers; nothing is ever handed to ``eval``.

Values follow XPath as ODK uses it: an unanswered question is the empty string, a
``select_multiple`` answer is its codes separated by spaces, and ``<``/``>`` compare numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Value = str | float | bool
Answers = Mapping[str, str | None]

TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<ref>\$\{\s*(?P<name>[A-Za-z_][\w.\-]*)\s*\})"
    r"|(?P<number>\d+(?:\.\d+)?|\.\d+)"
    r"|(?P<string>'[^']*'|\"[^\"]*\")"
    r"|(?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,)"
    r"|(?P<dot>\.)"
    r"|(?P<word>[A-Za-z][\w\-]*(?:\(\))?)"
    r")"
)
FUNCTIONS = {"selected": 2, "count-selected": 1, "string-length": 1, "not": 1, "number": 1}
CONSTANTS = {"true()": True, "false()": False}
COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}


class ExpressionError(ValueError):
    """An expression we do not understand; ``code`` names the reason (``forms.errors.``)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Expression:
    """A parsed expression: the text as written, its tree and the questions it reads."""

    text: str
    tree: tuple[object, ...]
    references: tuple[str, ...]
    uses_dot: bool = False
    """Reads ``.``, the answer being checked: only a constraint may."""

    def holds(self, answers: Answers, current: str | None = None) -> bool:
        return _truth(_eval(self.tree, answers, current))


def parse(text: str) -> Expression:
    tokens = _tokens(text)
    parser = _Parser(tokens)
    tree = parser.expression()
    if parser.position != len(tokens):
        raise ExpressionError("expression_syntax", tokens[parser.position][1])
    return Expression(text, tree, tuple(dict.fromkeys(parser.references)), parser.dot)


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError("expression_syntax", text[position:].strip()[:20])
        kind = match.lastgroup
        if kind == "name":
            kind = "ref"
        value = match.group("name") if kind == "ref" else match.group(kind or "")
        found.append((kind or "", value))
        position = match.end()
    if not found:
        raise ExpressionError("expression_syntax", "")
    return found


class _Parser:
    """Precedence, lowest first: or, and, comparisons, + -, * div mod, unary minus."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.position = tokens, 0
        self.references: list[str] = []
        self.dot = False

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("", "")

    def take(self, value: str) -> bool:
        if self.peek()[1] == value and self.peek()[0] in ("op", "word"):
            self.position += 1
            return True
        return False

    def expression(self) -> tuple[object, ...]:
        left = self.conjunction()
        while self.take("or"):
            left = ("or", left, self.conjunction())
        return left

    def conjunction(self) -> tuple[object, ...]:
        left = self.comparison()
        while self.take("and"):
            left = ("and", left, self.comparison())
        return left

    def comparison(self) -> tuple[object, ...]:
        left = self.sum()
        while self.peek()[0] == "op" and self.peek()[1] in COMPARISONS:
            operator = self.peek()[1]
            self.position += 1
            left = ("cmp", operator, left, self.sum())
        return left

    def sum(self) -> tuple[object, ...]:
        left = self.product()
        while self.peek() in (("op", "+"), ("op", "-")):
            operator = self.peek()[1]
            self.position += 1
            left = ("arith", operator, left, self.product())
        return left

    def product(self) -> tuple[object, ...]:
        left = self.unary()
        while self.peek() in (("op", "*"), ("word", "div"), ("word", "mod")):
            operator = self.peek()[1]
            self.position += 1
            left = ("arith", operator, left, self.unary())
        return left

    def unary(self) -> tuple[object, ...]:
        if self.take("-"):
            return ("arith", "-", ("lit", 0.0), self.unary())
        return self.atom()

    def atom(self) -> tuple[object, ...]:
        kind, value = self.peek()
        self.position += 1
        if kind == "ref":
            self.references.append(value)
            return ("ref", value)
        if kind == "dot":
            self.dot = True
            return ("dot",)
        if kind == "number":
            return ("lit", float(value))
        if kind == "string":
            return ("lit", value[1:-1])
        if kind == "op" and value == "(":
            inner = self.expression()
            if not self.take(")"):
                raise ExpressionError("expression_syntax", "(")
            return inner
        if kind == "word" and value in CONSTANTS:
            return ("lit", CONSTANTS[value])
        if kind == "word" and self.take("("):
            if value not in FUNCTIONS:
                raise ExpressionError("expression_function", value)
            arguments = [self.expression()]
            while self.take(","):
                arguments.append(self.expression())
            if not self.take(")") or len(arguments) != FUNCTIONS[value]:
                raise ExpressionError("expression_syntax", value)
            return ("call", value, *arguments)
        if kind == "word" and value.endswith("()") and value[:-2] in FUNCTIONS:
            raise ExpressionError("expression_syntax", value)
        if kind == "word":
            raise ExpressionError("expression_function", value)
        raise ExpressionError("expression_syntax", value or "…")


def _eval(tree: tuple[object, ...], answers: Answers, current: str | None) -> Value:
    match tree:
        case ("lit", value):
            return value  # type: ignore[return-value]
        case ("ref", name):
            return answers.get(str(name)) or ""
        case ("dot",):
            return current or ""
        case ("or", left, right):
            return _truth(_eval(left, answers, current)) or _truth(_eval(right, answers, current))  # type: ignore[arg-type]
        case ("and", left, right):
            return _truth(_eval(left, answers, current)) and _truth(  # type: ignore[arg-type]
                _eval(right, answers, current)  # type: ignore[arg-type]
            )
        case ("cmp", operator, left, right):
            return _compare(
                str(operator),
                _eval(left, answers, current),  # type: ignore[arg-type]
                _eval(right, answers, current),  # type: ignore[arg-type]
            )
        case ("arith", operator, left, right):
            a = _number(_eval(left, answers, current))  # type: ignore[arg-type]
            b = _number(_eval(right, answers, current))  # type: ignore[arg-type]
            return ARITHMETIC[str(operator)](a, b)
        case ("call", name, *arguments):
            values = [_eval(a, answers, current) for a in arguments]  # type: ignore[arg-type]
            return CALLS[str(name)](*values)
    raise ExpressionError("expression_syntax", repr(tree))


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
    "selected": lambda answer, code: str(code) in str(answer).split(),
    "count-selected": lambda answer: float(len(str(answer).split())),
    "string-length": lambda answer: float(len(str(answer))),
    "not": lambda value: not _truth(value),
    "number": _number,
}
