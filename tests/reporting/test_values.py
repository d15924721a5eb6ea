import pytest

from vhttdl.core.errors import InvalidInput
from vhttdl.reporting.models import DataElement
from vhttdl.reporting.values import clean_value, display_value

T = DataElement.ValueType


def element(value_type):
    return DataElement(code="E", name="Lượt khách", value_type=value_type)


@pytest.mark.parametrize(
    ("value_type", "raw", "value", "numeric"),
    [
        (T.NON_NEGATIVE_INTEGER, "1.234", "1234", 1234.0),
        (T.NON_NEGATIVE_INTEGER, "1,234,567", "1234567", 1234567.0),
        (T.NON_NEGATIVE_INTEGER, " 12 ", "12", 12.0),
        (T.NON_NEGATIVE_INTEGER, 7.0, "7", 7.0),
        (T.INTEGER, "-5", "-5", -5.0),
        (T.NUMBER, "1.234,5", "1234.5", 1234.5),
        (T.NUMBER, "1,234.5", "1234.5", 1234.5),
        (T.NUMBER, "12,5", "12.5", 12.5),
        (T.NUMBER, "0.25", "0.25", 0.25),
        (T.PERCENTAGE, "99,5", "99.5", 99.5),
        (T.PERCENTAGE, "0", "0", 0.0),
        (T.BOOLEAN, "Có", "true", 1.0),
        (T.BOOLEAN, "không", "false", 0.0),
        (T.BOOLEAN, True, "true", 1.0),
        (T.TEXT, "  Ghi chú  ", "Ghi chú", None),
    ],
)
def test_clean(value_type, raw, value, numeric):
    clean = clean_value(element(value_type), raw)
    assert (clean.value, clean.numeric) == (value, numeric)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_means_delete(raw):
    assert clean_value(element(T.NUMBER), raw).is_empty


@pytest.mark.parametrize(
    ("value_type", "raw", "code"),
    [
        (T.NON_NEGATIVE_INTEGER, "abc", "not_a_number"),
        (T.NON_NEGATIVE_INTEGER, "-3", "negative_value"),
        (T.NON_NEGATIVE_INTEGER, "3,5", "not_a_number"),
        (T.NON_NEGATIVE_INTEGER, 3.5, "not_an_integer"),
        (T.NUMBER, "1.2.3,4,5", "not_a_number"),
        (T.NUMBER, "nan", "not_a_number"),
        (T.NUMBER, "1e20", "number_out_of_range"),
        (T.NUMBER, True, "not_a_number"),
        (T.PERCENTAGE, "101", "percentage_out_of_range"),
        (T.PERCENTAGE, "-1", "percentage_out_of_range"),
        (T.BOOLEAN, "có lẽ", "not_a_boolean"),
        (T.TEXT, "x" * 1001, "text_too_long"),
    ],
)
def test_bad_values_name_the_indicator(value_type, raw, code):
    with pytest.raises(InvalidInput) as exc:
        clean_value(element(value_type), raw)
    assert exc.value.code == code
    assert "Lượt khách" in exc.value.message
    assert exc.value.details["data_element"] == "E"


def test_display_boolean():
    assert display_value(element(T.BOOLEAN), "true") == "Có"
    assert display_value(element(T.NUMBER), "12.5") == "12.5"
