"""Validation rules: `left operator right` over element expressions, as DHIS2 writes them.

An expression is numbers, `#{ELEMENT}` (the element's total over its option combos),
`#{ELEMENT.COMBO}` (one cell), `+ - * /` and parentheses, e.g. `#{DIGITISED} <= #{TOTAL}` or
`#{ARRIVALS} == #{ARRIVALS.OVERNIGHT} + #{ARRIVALS.SAMEDAY}`.

Missing values: a rule whose operands are all empty is skipped (nothing to check yet); otherwise
an empty cell counts as 0. A division by zero skips the rule. Parsing never uses `eval`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from vhttdl.core.errors import InvalidInput

if TYPE_CHECKING:
    from vhttdl.reporting.models import ValidationRule

_TOKEN = re.compile(r"\s*(?:(#\{[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)?\})|(\d+(?:\.\d+)?)|([-+*/()]))")
_COMPARE = {
    "==": lambda a, b: abs(a - b) < 1e-9,
    "!=": lambda a, b: abs(a - b) >= 1e-9,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b + 1e-9,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a + 1e-9 >= b,
}


class _DivisionByZero(Exception):
    pass


@dataclass(frozen=True)
class Operand:
    element: str
    combo: str | None  # None: the element's total


def _tokens(expression: str) -> list[str]:
    text = expression.strip()
    out: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise InvalidInput(
                _("Biểu thức «%(expr)s» có ký tự không hợp lệ ở vị trí %(pos)s.")
                % {"expr": expression, "pos": position + 1},
                code="invalid_expression",
            )
        out.append(match.group(1) or match.group(2) or match.group(3))
        position = match.end()
    if not out:
        raise InvalidInput(_("Biểu thức trống."), code="invalid_expression")
    return out


class _Parser:
    """Recursive descent.

    expr := term (('+'|'-') term)* ; term := factor (('*'|'/') factor)* ;
    factor := number | reference | '-' factor | '(' expr ')'
    """

    def __init__(self, expression: str):
        self.expression = expression
        self.tokens = _tokens(expression)
        self.position = 0

    def fail(self) -> InvalidInput:
        return InvalidInput(
            _("Biểu thức «%(expr)s» sai cú pháp.") % {"expr": self.expression}, code="invalid_expression"
        )

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise self.fail()
        self.position += 1
        return token

    def parse(self):
        node = self.expr()
        if self.peek() is not None:
            raise self.fail()
        return node

    def expr(self):
        node = self.term()
        while self.peek() in {"+", "-"}:
            node = (self.take(), node, self.term())
        return node

    def term(self):
        node = self.factor()
        while self.peek() in {"*", "/"}:
            node = (self.take(), node, self.factor())
        return node

    def factor(self):
        item = self.take()
        if item == "-":
            return ("neg", self.factor())
        if item == "(":
            node = self.expr()
            if self.take() != ")":
                raise self.fail()
            return node
        if item.startswith("#{"):
            inner = item[2:-1]
            element, _dot, combo = inner.partition(".")
            return Operand(element, combo or None)
        if item[0].isdigit():
            return float(item)
        raise self.fail()


def parse_expression(expression: str):
    return _Parser(expression).parse()


def operands(node) -> list[Operand]:
    if isinstance(node, Operand):
        return [node]
    if isinstance(node, tuple):
        return [o for part in node[1:] for o in operands(part)]
    return []


def _evaluate(node, value_of) -> float:
    if isinstance(node, float):
        return node
    if isinstance(node, Operand):
        return value_of(node) or 0.0
    op = node[0]
    if op == "neg":
        return -_evaluate(node[1], value_of)
    left, right = _evaluate(node[1], value_of), _evaluate(node[2], value_of)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        raise _DivisionByZero
    return left / right


def check_expression(expression: str, known: dict[str, set[str]]) -> list[Operand]:
    """Parse and check that every `#{...}` names a known element (and option combo of it)."""
    found = operands(parse_expression(expression))
    for operand in found:
        if operand.element not in known:
            raise InvalidInput(
                _("Biểu thức «%(expr)s»: không có chỉ tiêu mã %(code)s.")
                % {"expr": expression, "code": operand.element},
                code="unknown_element",
            )
        if operand.combo is not None and operand.combo not in known[operand.element]:
            raise InvalidInput(
                _("Biểu thức «%(expr)s»: chỉ tiêu %(code)s không có cột %(combo)s.")
                % {"expr": expression, "code": operand.element, "combo": operand.combo},
                code="unknown_combo",
            )
    return found


@dataclass(frozen=True)
class RuleResult:
    rule: ValidationRule
    left: float
    right: float

    @property
    def is_error(self) -> bool:
        return self.rule.importance == "error"

    def message(self, language: str | None = None) -> str:
        text = self.rule.message_en if language == "en" and self.rule.message_en else self.rule.message
        return f"{text} ({_fmt(self.left)} {self.rule.get_operator_display()} {_fmt(self.right)})"


def _fmt(number: float) -> str:
    """The number in the reader's format ("1.147.390", "12,5"), never in exponent form ("1.14739e+06")."""
    from django.utils.formats import number_format

    rounded = round(number, 6)
    value = int(rounded) if rounded == int(rounded) else Decimal(repr(rounded)).normalize()
    return number_format(value, decimal_pos=None, use_l10n=True, force_grouping=True)


def evaluate_rules(
    rules: list[ValidationRule], values: dict[tuple[str, str], float | None]
) -> list[RuleResult]:
    """The rules that fail for `values` ({(element, combo): number}); skipped rules are not listed."""
    totals: dict[str, float] = {}
    present: set[str] = set()
    for (element, _combo), number in values.items():
        if number is not None:
            totals[element] = totals.get(element, 0.0) + number
            present.add(element)

    def value_of(operand: Operand) -> float | None:
        if operand.combo is None:
            return totals.get(operand.element)
        return values.get((operand.element, operand.combo))

    failures: list[RuleResult] = []
    for rule in rules:
        try:
            left_node, right_node = parse_expression(rule.left), parse_expression(rule.right)
        except InvalidInput:
            continue  # a rule saved before a metadata change; the designer page flags it
        used = operands(left_node) + operands(right_node)
        if used and all(value_of(o) is None for o in used):
            continue
        try:
            left, right = _evaluate(left_node, value_of), _evaluate(right_node, value_of)
        except _DivisionByZero:
            continue
        if not _COMPARE[rule.operator](left, right):
            failures.append(RuleResult(rule, left, right))
    return failures
