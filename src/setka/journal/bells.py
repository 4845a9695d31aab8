"""The bells of a year by shift: which bell a lesson takes (its group's shift and its number)
and whether two lessons of different shifts overlap in time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from setka.core.sqlrows import as_time

from .models import Bell

Slot = tuple[int, int]  # (shift, lesson number)

# The bell a lesson takes, for the hand-written reads of lessons: the bell of the lesson's year
# (``l``, a row of the lessons) for its group's shift (``g``, the lesson's group: a subgroup's
# shift is its class's, set when it is made and moved with the class) and its number, as
# ``"08:50:00|09:30:00"``; NULL when that shift has no bell of that number. The diary and the
# busy intervals (``journal.busy``) both read a lesson's times through this and
# :func:`bell_times`, so the two can never disagree.
LESSON_BELL_SQL = f"""(SELECT CAST(b.starts_at AS VARCHAR) || '|' || CAST(b.ends_at AS VARCHAR)
        FROM {Bell._meta.db_table} b
        WHERE b.year_id = l.year_id AND b.shift = g.shift AND b.number = l.number)"""  # noqa: S608


def bell_times(value: str | None) -> tuple[dt.time | None, dt.time | None]:
    """The value of :data:`LESSON_BELL_SQL` (``"08:50:00|09:30:00"``) → the two times; a lesson
    without a bell has none (the diary shows no times)."""
    if not value:
        return None, None
    starts, _sep, ends = value.partition("|")
    return as_time(starts), as_time(ends)


@dataclass
class BellSlots:
    bells: dict[Slot, Bell] = field(default_factory=dict)

    @classmethod
    def of_year(cls, year_id: int) -> BellSlots:
        return cls.of(Bell.objects.filter(year_id=year_id))

    @classmethod
    def of(cls, bells: Iterable[Bell]) -> BellSlots:
        return cls({(b.shift, b.number): b for b in bells})

    def get(self, shift: int, number: int) -> Bell | None:
        return self.bells.get((shift, number))

    def of_shift(self, shift: int) -> dict[int, Bell]:
        """The shift's bells by lesson number."""
        return {n: b for (s, n), b in self.bells.items() if s == shift}

    def overlap(self, a: Slot, b: Slot) -> bool:
        """Whether lessons in these slots happen at once: the same slot always does; other
        numbers of the same shift never do; across shifts, when both bells are known and
        their times overlap (without bells, shifts are taken to be apart)."""
        if a == b:
            return True
        if a[0] == b[0]:
            return False
        first, second = self.bells.get(a), self.bells.get(b)
        if first is None or second is None:
            return False
        return first.starts_at < second.ends_at and second.starts_at < first.ends_at
