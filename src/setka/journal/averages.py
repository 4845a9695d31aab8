"""The weighted average and the suggested period mark — the documented rule.

average   = Σ(mark × weight of its kind) / Σ(weights), over the period's marks 1–5 that are not
            deleted (pass/fail marks do not count);
suggested = None ("н/а", not certified) when there are fewer marks than the year's
            ``min_marks_for_period``; otherwise the average rounded by the year's rule:
            ``half_up``: x.50 and more goes up (3.50 → 4, 3.49 → 3);
            ``sixty``:   x.60 and more goes up (3.60 → 4, 3.59 → 3).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

THRESHOLDS = {"half_up": Decimal("0.50"), "sixty": Decimal("0.60")}
TWO_PLACES = Decimal("0.01")


def weighted_average(marks: Iterable[tuple[int, Decimal]]) -> Decimal | None:
    total = Decimal(0)
    weights = Decimal(0)
    for value, weight in marks:
        total += Decimal(value) * weight
        weights += weight
    if not weights:
        return None
    return (total / weights).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def suggest_mark(
    average: Decimal | None, count: int, *, rounding: str, min_marks: int
) -> int | None:
    if average is None or count < max(min_marks, 1):
        return None
    whole = int(average)
    fraction = average - whole
    return min(5, max(1, whole + (1 if fraction >= THRESHOLDS[rounding] else 0)))
