"""«Fits my timetable»: which offers clash with a student's own lessons. The student's busy
time comes only from the journal's seam (``journal.busy.students_busy``): the lessons of
every group they are in, network groups of other institutions included.

A weekly timetable repeats, so two weeks from today tell the pattern: an offer's weekly slot
clashes when a lesson of that weekday overlaps it; a slot on a date inside those two weeks is
checked against that very day, a later one against its weekday's pattern."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from setka.journal import busy

WINDOW_DAYS = 14

Span = tuple[dt.time, dt.time]


class Timetable:
    """A student's lessons of the next two weeks, by weekday and by date (local times)."""

    def __init__(self, person_id: int, day: dt.date) -> None:
        self.first = day
        self.last = day + dt.timedelta(days=WINDOW_DAYS - 1)
        intervals = busy.students_busy([person_id], self.first, self.last)[person_id]
        zone = timezone.get_default_timezone()
        self.by_weekday: dict[int, list[Span]] = defaultdict(list)
        self.by_date: dict[dt.date, list[Span]] = defaultdict(list)
        for interval in intervals:
            start = interval.start.astimezone(zone)
            end = interval.end.astimezone(zone)
            if end.date() != start.date():  # a lesson without a bell takes its whole day
                span = (dt.time.min, dt.time.max)
            else:
                span = (start.time(), end.time())
            self.by_date[start.date()].append(span)
            self.by_weekday[start.isoweekday()].append(span)

    def clashes(
        self, weekday: int | None, date: dt.date | None, starts: dt.time, ends: dt.time
    ) -> bool:
        if date is not None and self.first <= date <= self.last:
            spans = self.by_date.get(date, [])
        else:
            key = weekday if weekday is not None else (date.isoweekday() if date else None)
            spans = self.by_weekday.get(key, []) if key is not None else []
        return any(s < ends and starts < e for s, e in spans)


def clashing_offers(
    person_id: int,
    slots: Iterable[tuple[int, int | None, dt.date | None, dt.time, dt.time]],
    day: dt.date,
) -> set[int]:
    """The ids of the offers one of whose ``slots`` (offer id, weekday, date, from, until)
    overlaps a lesson of the student. One query (the journal's seam)."""
    timetable = Timetable(person_id, day)
    return {
        offer_id
        for offer_id, weekday, date, starts, ends in slots
        if timetable.clashes(weekday, date, starts, ends)
    }
