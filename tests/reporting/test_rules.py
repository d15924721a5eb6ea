import pytest

from vhttdl.core.errors import InvalidInput
from vhttdl.reporting.models import ValidationRule
from vhttdl.reporting.rules import check_expression, evaluate_rules, operands, parse_expression


def rule(left, op, right, importance="error"):
    return ValidationRule(code="R", left=left, operator=op, right=right, importance=importance, message="Sai")


def test_parse_precedence_and_operands():
    node = parse_expression("#{A} + #{B.X} * (2 - 1) / -4")
    assert [(o.element, o.combo) for o in operands(node)] == [("A", None), ("B", "X")]


@pytest.mark.parametrize("bad", ["", "#{A} +", "(#{A}", "#{A} ** 2", "#{A} ; drop", "__import__('os')", "#{}"])
def test_syntax_errors(bad):
    with pytest.raises(InvalidInput):
        parse_expression(bad)


def test_check_expression_knows_elements_and_columns():
    known = {"A": {"default"}, "B": {"X", "Y"}}
    check_expression("#{A} + #{B.X}", known)
    with pytest.raises(InvalidInput, match="C"):
        check_expression("#{C}", known)
    with pytest.raises(InvalidInput, match="Z"):
        check_expression("#{B.Z}", known)


def test_totals_cells_and_missing():
    values = {("A", "default"): 10.0, ("B", "X"): 4.0, ("B", "Y"): 7.0}
    assert evaluate_rules([rule("#{A}", "==", "#{B}")], values)  # 10 != 11
    assert not evaluate_rules([rule("#{A}", "<=", "#{B}")], values)
    assert not evaluate_rules([rule("#{B.X} + 6", "==", "#{A}")], values)
    # Every operand empty: nothing to check yet.
    assert not evaluate_rules([rule("#{C}", ">", "#{D}")], values)
    # One side empty counts as 0.
    assert evaluate_rules([rule("#{C}", ">=", "#{A}")], values)
    # Division by zero skips.
    assert not evaluate_rules([rule("#{A} / #{C}", ">", "1")], values)
    failure = evaluate_rules([rule("#{A}", ">", "#{B}", "warning")], values)[0]
    assert not failure.is_error and "10" in failure.message() and "11" in failure.message()
