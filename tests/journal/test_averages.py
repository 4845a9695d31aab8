from decimal import Decimal

import pytest

from setka.journal.averages import suggest_mark, weighted_average


def test_weighted_average_uses_weights():
    assert weighted_average([(5, Decimal(1)), (3, Decimal(3))]) == Decimal("3.50")


def test_weighted_average_of_nothing_is_none():
    assert weighted_average([]) is None


@pytest.mark.parametrize(
    ("average", "rule", "expected"),
    [
        ("3.50", "half_up", 4),
        ("3.49", "half_up", 3),
        ("3.59", "sixty", 3),
        ("3.60", "sixty", 4),
        ("4.99", "half_up", 5),
        ("1.20", "half_up", 1),
    ],
)
def test_suggest_mark_rounds_by_the_rule(average, rule, expected):
    assert suggest_mark(Decimal(average), 5, rounding=rule, min_marks=3) == expected


def test_suggest_mark_needs_minimum_number_of_marks():
    assert suggest_mark(Decimal("4.50"), 2, rounding="half_up", min_marks=3) is None
