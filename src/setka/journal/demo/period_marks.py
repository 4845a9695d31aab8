"""The marks of the periods that are over, from the marks the filler made: the suggestion
of the documented rule (``setka.journal.averages``) mostly; a teacher rounding up now and then
(an override); "н/а" where a student had too few marks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from ..averages import suggest_mark, weighted_average

if TYPE_CHECKING:
    from .fill import Filler

ROUND_UP = 0.25  # chance that a teacher gives the higher mark for an average of x.35–x.49


def period_marks(filler: Filler, teacher_of: dict[tuple[int, int], int]) -> list[tuple]:
    """Rows in the order of ``fill.PERIOD_MARK_FIELDS``."""
    rng = filler.rng
    year = filler.year
    rows = []
    for key, values in sorted(filler.period_values.items()):
        group_id, subject_id, student, period_id = key
        period = filler.periods[period_id]
        when = filler.moment(period.ends_on, dt.time(16, 0), rng.randint(0, 120))
        user = filler.users.get(teacher_of.get((group_id, subject_id), 0))
        start = (filler.institution_id, group_id, subject_id, student, period_id)
        if filler.specs[subject_id].pass_fail:
            passed = sum(values) * 2 >= len(values)
            rows.append((*start, None, passed, False, None, None, False, when, user))
            continue
        average = weighted_average(values)
        suggested = suggest_mark(
            average, len(values), rounding=year.rounding, min_marks=year.min_marks_for_period
        )
        if suggested is None or average is None:  # "н/а": too few marks
            rows.append((*start, None, None, True, average, None, False, when, user))
            continue
        value = suggested
        fraction = average - int(average)
        if rng.random() < ROUND_UP and Decimal("0.35") <= fraction < Decimal("0.5"):
            value = min(5, suggested + 1)
        rows.append(
            (*start, value, None, False, average, suggested, value != suggested, when, user)
        )
    return rows
