"""A small formula evaluator: arithmetic, comparisons, ``&``, cell and range references and the
common aggregate functions (SUM, AVERAGE, MIN, MAX, COUNT, COUNTA, IF, ROUND, ABS, CONCATENATE).

Formulas are evaluated on every read rather than cached, so a result is always recomputed from
its current inputs.  Anything outside this subset evaluates to a Sheets error value such as
``#NAME?`` instead of raising, exactly as an unknown function does in the real product.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import a1

Scalar = float | str | bool | None


@dataclass(frozen=True)
class FormulaError(Exception):
    """A Sheets error value (``#DIV/0!``...) raised inside evaluation and turned into a result."""

    code: str
    message: str

    def as_error_value(self) -> dict[str, str]:
        kinds = {"#DIV/0!": "DIVIDE_BY_ZERO", "#REF!": "REF", "#NAME?": "NAME", "#VALUE!": "VALUE"}
        return {"type": kinds.get(self.code, "ERROR"), "message": self.message}


# Resolver(sheet title or None for the formula's own sheet, bounds) -> rows of scalars.
Resolver = Callable[[str | None, a1.Bounds], list[list[Scalar]]]

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<ref>(?:(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!)?\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?
           |(?:(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!)?\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3})
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>(),:;%])
    )""",
    re.VERBOSE,
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise FormulaError("#ERROR!", "Formula parse error.")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the token list, evaluating as it goes."""

    def __init__(self, tokens: list[tuple[str, str]], resolve: Resolver) -> None:
        self.tokens = tokens
        self.position = 0
        self.resolve = resolve

    def peek(self) -> str | None:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expect(self, text: str) -> None:
        if self.peek() != text:
            raise FormulaError("#ERROR!", "Formula parse error.")
        self.position += 1

    def expression(self) -> Any:
        left = self.concat()
        while self.peek() in {"=", "<>", "<", ">", "<=", ">="}:
            op = self.take()[1]
            left = _compare(op, _scalar(left), _scalar(self.concat()))
        return left

    def concat(self) -> Any:
        left = self.additive()
        while self.peek() == "&":
            self.take()
            left = _text(_scalar(left)) + _text(_scalar(self.additive()))
        return left

    def additive(self) -> Any:
        left = self.term()
        while self.peek() in {"+", "-"}:
            op = self.take()[1]
            right = _number(_scalar(self.term()))
            left = _number(_scalar(left)) + right if op == "+" else _number(_scalar(left)) - right
        return left

    def term(self) -> Any:
        left = self.power()
        while self.peek() in {"*", "/"}:
            op = self.take()[1]
            right = _number(_scalar(self.power()))
            if op == "*":
                left = _number(_scalar(left)) * right
            elif right == 0:
                raise FormulaError("#DIV/0!", "Function DIVIDE parameter 2 cannot be zero.")
            else:
                left = _number(_scalar(left)) / right
        return left

    def power(self) -> Any:
        base = self.unary()
        while self.peek() == "^":
            self.take()
            base = _number(_scalar(base)) ** _number(_scalar(self.unary()))
        return base

    def unary(self) -> Any:
        if self.peek() in {"-", "+"}:
            sign = self.take()[1]
            value = _number(_scalar(self.unary()))
            return -value if sign == "-" else value
        value = self.primary()
        if self.peek() == "%":
            self.take()
            value = _number(_scalar(value)) / 100
        return value

    def primary(self) -> Any:
        if self.position >= len(self.tokens):
            raise FormulaError("#ERROR!", "Formula parse error.")
        kind, text = self.take()
        if kind == "number":
            return float(text)
        if kind == "string":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            return self.reference(text)
        if kind == "name":
            return self.name(text)
        if text == "(":
            value = self.expression()
            self.expect(")")
            return value
        raise FormulaError("#ERROR!", "Formula parse error.")

    def reference(self, text: str) -> Any:
        parts = a1.split(text.replace("$", ""))
        bounds = a1.parse_cells(parts.cells or "")
        if bounds is None:
            raise FormulaError("#REF!", f"Unresolved reference {text}.")
        rows = self.resolve(parts.sheet, bounds)
        if ":" not in text:
            return rows[0][0] if rows and rows[0] else None
        return rows

    def name(self, text: str) -> Any:
        upper = text.upper()
        if upper in {"TRUE", "FALSE"} and self.peek() != "(":
            return upper == "TRUE"
        if self.peek() != "(":
            raise FormulaError("#NAME?", f"Unknown range name: '{text}'.")
        self.take()
        args: list[Any] = []
        while self.peek() != ")":
            args.append(self.expression())
            if self.peek() in {",", ";"}:
                self.take()
            elif self.peek() != ")":
                raise FormulaError("#ERROR!", "Formula parse error.")
        self.take()
        function = _FUNCTIONS.get(upper)
        if function is None:
            raise FormulaError("#NAME?", f"Unknown function: '{text}'.")
        return function(args)


def evaluate(formula: str, resolve: Resolver) -> Scalar | FormulaError:
    """Evaluate ``=...`` and return a scalar result or the error value it produces."""
    try:
        parser = _Parser(_tokenize(formula.lstrip("=")), resolve)
        result = parser.expression()
        if parser.position != len(parser.tokens):
            raise FormulaError("#ERROR!", "Formula parse error.")
        value = _scalar(result)
        if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
            raise FormulaError("#NUM!", "Result is not a finite number.")
        return value
    except FormulaError as error:
        return error
    except (OverflowError, ValueError, RecursionError):
        return FormulaError("#ERROR!", "Formula parse error.")


def _scalar(value: Any) -> Scalar:
    # A range used where one value belongs reads its top-left cell.
    if isinstance(value, list):
        return value[0][0] if value and value[0] else None
    return value  # type: ignore[no-any-return]


def _number(value: Scalar) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value.replace(",", ""))
    except ValueError:
        raise FormulaError("#VALUE!", f"Function expects number values. But '{value}' is a text.") from None


def _text(value: Scalar) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _compare(op: str, left: Scalar, right: Scalar) -> bool:
    if isinstance(left, str) or isinstance(right, str):
        a: Any = _text(left).lower()
        b: Any = _text(right).lower()
    else:
        a, b = _number(left), _number(right)
    outcome: dict[str, bool] = {
        "=": a == b,
        "<>": a != b,
        "<": a < b,
        ">": a > b,
        "<=": a <= b,
        ">=": a >= b,
    }
    return outcome[op]


def _flatten(args: list[Any]) -> list[tuple[Scalar, bool]]:
    """Every argument value with a flag: True when it came from a range (text there is skipped)."""
    flat: list[tuple[Scalar, bool]] = []
    for arg in args:
        if isinstance(arg, list):
            flat.extend((cell, True) for row in arg for cell in row)
        else:
            flat.append((arg, False))
    return flat


def _numbers(args: list[Any]) -> list[float]:
    out: list[float] = []
    for value, from_range in _flatten(args):
        if (from_range and not isinstance(value, int | float)) or (isinstance(value, bool) and from_range):
            continue
        out.append(_number(value))
    return out


def _average(args: list[Any]) -> float:
    numbers = _numbers(args)
    if not numbers:
        raise FormulaError("#DIV/0!", "Evaluation of function AVERAGE caused a divide by zero error.")
    return sum(numbers) / len(numbers)


def _if(args: list[Any]) -> Scalar:
    if not 2 <= len(args) <= 3:
        raise FormulaError("#N/A", "Wrong number of arguments to IF.")
    condition = _scalar(args[0])
    truthy = bool(_number(condition)) if not isinstance(condition, str) else condition != ""
    return _scalar(args[1]) if truthy else (_scalar(args[2]) if len(args) == 3 else False)


def _round(args: list[Any]) -> float:
    digits = int(_number(_scalar(args[1]))) if len(args) > 1 else 0
    value = _number(_scalar(args[0]))
    # Spreadsheet rounding is half away from zero, not Python's banker's rounding.
    factor = 10.0**digits
    return math.floor(abs(value) * factor + 0.5) / factor * (1 if value >= 0 else -1)


_FUNCTIONS: dict[str, Callable[[list[Any]], Scalar]] = {
    "SUM": lambda args: sum(_numbers(args)),
    "AVERAGE": _average,
    "MIN": lambda args: min(_numbers(args), default=0.0),
    "MAX": lambda args: max(_numbers(args), default=0.0),
    "COUNT": lambda args: float(len(_numbers(args))),
    "COUNTA": lambda args: float(sum(1 for value, _ in _flatten(args) if value not in (None, ""))),
    "IF": _if,
    "ROUND": _round,
    "ABS": lambda args: abs(_number(_scalar(args[0]))),
    "CONCATENATE": lambda args: "".join(_text(value) for value, _ in _flatten(args)),
    "LEN": lambda args: float(len(_text(_scalar(args[0])))),
}
