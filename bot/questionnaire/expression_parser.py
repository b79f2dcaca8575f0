"""Reading an XLSForm expression into a tree, with a stack of our own (no recursion).

A shunting-yard reader: operands go to one stack, operators and open parentheses to
another, and an operator is combined with its operands as soon as a weaker one follows. So
``${a} + ${a} + … > 1`` of a thousand terms, or a hundred parentheses, is read in time in
proportion to its length and never meets Python's recursion limit; the size and depth
``form add`` allows are a choice (``LIMITS``), not a crash.

The tree is tuples: ``("lit", value)``, ``("ref", name)``, ``("dot",)``, ``("or", a, b)``,
``("and", a, b)``, ``("cmp", op, a, b)``, ``("arith", op, a, b)``,
``("call", name, *arguments)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Node = tuple[object, ...]
Token = tuple[str, str]

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
FUNCTIONS = {"if": 3, "selected": 2, "count-selected": 1, "string-length": 1, "not": 1, "number": 1}
CONSTANTS = {"true()": True, "false()": False}
COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}
PRECEDENCE = {"or": 1, "and": 2, **dict.fromkeys(COMPARISONS, 3), "+": 4, "-": 4}
PRECEDENCE |= {"*": 5, "div": 5, "mod": 5}
NEGATE = "neg"
"""Unary minus: binds tighter than any binary operator (``-${a} * 2`` is ``(-${a}) * 2``)."""


@dataclass(frozen=True)
class Limits:
    """How long and how deep an expression ``form add`` accepts. Real ODK and KoboToolbox
    forms stay far below: a ``relevant`` of ten ``selected()`` joined by ``or`` is 70 parts,
    and three or four levels of parentheses are rare."""

    tokens: int = 200
    """Parts: each name, number, text, operator, parenthesis and comma is one."""
    nesting: int = 20
    """Parentheses (a function's too) inside one another."""


LIMITS = Limits()


class ExpressionError(ValueError):
    """An expression we do not understand; ``code`` names the reason (``forms.errors.``),
    ``values`` what the reason's text needs besides ``detail``."""

    def __init__(self, code: str, detail: str = "", **values: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail, self.values = code, detail, values


@dataclass
class _Open:
    """A ``(`` waiting for its ``)``: a plain one (``function`` empty) or a call's."""

    function: str = ""
    arguments: int = 1
    operands: int = 0
    """How many operands were on the stack when it opened: its arguments come after."""


def read(text: str, limits: Limits | None = None) -> tuple[Node, tuple[str, ...], bool]:
    """The tree, the questions read (in order, once each) and whether ``.`` is read."""
    tokens = tokens_of(text)
    if limits is not None:
        _check(tokens, limits)
    return _Reader(tokens).run()


def tokens_of(text: str) -> list[Token]:
    found: list[Token] = []
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


def nesting(tokens: list[Token]) -> int:
    """The most parentheses open at once (a function's ``(`` is one)."""
    depth = deepest = 0
    for token in tokens:
        if token == ("op", "("):
            depth += 1
            deepest = max(deepest, depth)
        elif token == ("op", ")"):
            depth -= 1
    return deepest


def _check(tokens: list[Token], limits: Limits) -> None:
    """Depth first: a deep expression is long too, and its depth is what to mend."""
    deepest = nesting(tokens)
    if deepest > limits.nesting:
        raise ExpressionError("expression_nesting", str(deepest), limit=str(limits.nesting))
    if len(tokens) > limits.tokens:
        raise ExpressionError("expression_size", str(len(tokens)), limit=str(limits.tokens))


class _Reader:
    """One pass over the tokens; ``expecting`` says whether an operand or an operator may
    come next."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.operands: list[Node] = []
        self.operators: list[str | _Open] = []
        self.references: list[str] = []
        self.dot = False

    def run(self) -> tuple[Node, tuple[str, ...], bool]:
        position, expecting = 0, True
        while position < len(self.tokens):
            kind, value = self.tokens[position]
            if expecting:
                expecting, position = self._operand(position, kind, value)
            else:
                expecting = self._operator(kind, value)
                position += 1
        if expecting:
            raise ExpressionError("expression_syntax", "…")
        self._reduce_to_open()
        if self.operators:
            opened = self.operators[-1]
            raise ExpressionError("expression_syntax", getattr(opened, "function", "") or "(")
        (tree,) = self.operands
        return tree, tuple(dict.fromkeys(self.references)), self.dot

    def _operand(self, position: int, kind: str, value: str) -> tuple[bool, int]:
        """Where an operand must come: returns (still expecting one, the next position)."""
        if kind == "ref":
            self.references.append(value)
            self.operands.append(("ref", value))
        elif kind == "dot":
            self.dot = True
            self.operands.append(("dot",))
        elif kind == "number":
            self.operands.append(("lit", float(value)))
        elif kind == "string":
            self.operands.append(("lit", value[1:-1]))
        elif kind == "word" and value in CONSTANTS:
            self.operands.append(("lit", CONSTANTS[value]))
        elif (kind, value) == ("op", "-"):
            self.operators.append(NEGATE)
            return True, position + 1
        elif (kind, value) == ("op", "("):
            self.operators.append(_Open(operands=len(self.operands)))
            return True, position + 1
        elif kind == "word":
            return True, self._call(position, value)
        else:
            raise ExpressionError("expression_syntax", value or "…")
        return False, position + 1

    def _call(self, position: int, name: str) -> int:
        following = self.tokens[position + 1] if position + 1 < len(self.tokens) else None
        if following != ("op", "("):
            if name.endswith("()") and name[:-2] in FUNCTIONS:
                raise ExpressionError("expression_syntax", name)
            raise ExpressionError("expression_function", name)
        if name not in FUNCTIONS:
            raise ExpressionError("expression_function", name)
        self.operators.append(_Open(name, operands=len(self.operands)))
        return position + 2

    def _operator(self, kind: str, value: str) -> bool:
        """Where an operator must come: returns whether an operand is expected next."""
        if kind in ("op", "word") and value in PRECEDENCE:
            self._reduce_to_open(PRECEDENCE[value])
            self.operators.append(value)
            return True
        if (kind, value) == ("op", ","):
            opened = self._innermost()
            if not opened.function:
                raise ExpressionError("expression_syntax", ",")
            opened.arguments += 1
            return True
        if (kind, value) == ("op", ")"):
            self._close(self._innermost())
            return False
        raise ExpressionError("expression_syntax", value)

    def _innermost(self) -> _Open:
        """The ``(`` a ``,`` or ``)`` belongs to, with every operator after it applied."""
        self._reduce_to_open()
        if not self.operators:
            raise ExpressionError("expression_syntax", ")")
        opened = self.operators[-1]
        assert isinstance(opened, _Open)
        return opened

    def _close(self, opened: _Open) -> None:
        self.operators.pop()
        if not opened.function:
            return
        count = len(self.operands) - opened.operands
        if count != opened.arguments or count != FUNCTIONS[opened.function]:
            raise ExpressionError("expression_syntax", opened.function)
        arguments = self.operands[opened.operands :]
        del self.operands[opened.operands :]
        self.operands.append(("call", opened.function, *arguments))

    def _reduce_to_open(self, weakest: int = 0) -> None:
        """Applies the operators on top of the stack that bind at least as tightly as
        ``weakest`` (all, with 0), stopping at an open parenthesis: left to right."""
        while self.operators:
            top = self.operators[-1]
            if isinstance(top, _Open):
                return
            strength = 6 if top == NEGATE else PRECEDENCE[top]
            if strength < weakest:
                return
            self.operators.pop()
            self._apply(top)

    def _apply(self, operator: str) -> None:
        right = self.operands.pop()
        if operator == NEGATE:
            self.operands.append(("arith", "-", ("lit", 0.0), right))
            return
        left = self.operands.pop()
        if operator in ("or", "and"):
            self.operands.append((operator, left, right))
        elif operator in COMPARISONS:
            self.operands.append(("cmp", operator, left, right))
        else:
            self.operands.append(("arith", operator, left, right))
