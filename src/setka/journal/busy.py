"""When teachers, students and classes are busy: the journal's public seam for the other
modules (the programmes' "fits my timetable", the events' schedule builder). They call the
four functions below and never read the journal's tables themselves.

The rules, documented once:

- only held lessons make anyone busy: a cancelled lesson makes nobody busy, and a moved lesson
  counts at its new date and number (the lesson's row holds them; ``moved_from`` is history);
- a *teacher* is busy during the lessons they teach: the lessons naming them, unless someone
  substitutes them, and unless their teaching assignment of that group and subject ended
  before the lesson's day (and no later one holds it) — the lessons the timetable gave them
  after that are no longer theirs; a *substitute* is busy during the lessons they cover;
- a *student* is busy during the lessons of every group they are a member of on the lesson's
  day: their class, its subgroups, electives and network groups of other institutions;
- a *class* (any group) is busy during its own lessons and those of its subgroups;
- a lesson's time is its bell: the bell of the lesson's year for its group's shift and its
  number, read through the diary's own rule (``sql.LESSON_BELL``); a lesson whose shift
  has no bell of its number has no clock time (the diary shows none), so it takes its whole
  day, from midnight to midnight: the seam never answers "free" while a lesson is held;
- times are aware, in the municipality's time zone (``settings.TIME_ZONE``); intervals are
  half-open, so a webinar starting at the bell that ends a lesson does not overlap it.

Each function is one query whatever the length of the range and the number of ids: the
statements are ``journal.sql``'s ``BUSY_*``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from setka.core.sqlrows import as_date, rows

from . import sql
from .models import Lesson

MAX_DAYS = 400  # the longest range asked at once (a school year and its summer)


@dataclass(frozen=True, slots=True)
class Busy:
    start: dt.datetime  # aware, in the municipality's time zone (settings.TIME_ZONE)
    end: dt.datetime
    lesson_id: int
    institution_id: int
    group_id: int
    subject_id: int


# --- the seam ---------------------------------------------------------------------------------


def teachers_busy(
    person_ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[int, list[Busy]]:
    """Each teacher's busy intervals from ``first`` to ``last`` (inclusive): the lessons they
    teach and are not substituted at, and the lessons they substitute at."""
    return _busy(sql.BUSY_TEACHERS, person_ids, first, last)


def students_busy(
    person_ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[int, list[Busy]]:
    """Each student's busy intervals from ``first`` to ``last`` (inclusive): the lessons of
    every group (of any institution) they are a member of on the lesson's day."""
    return _busy(sql.BUSY_STUDENTS, person_ids, first, last)


def groups_busy(group_ids: Iterable[int], first: dt.date, last: dt.date) -> dict[int, list[Busy]]:
    """Each class's or group's busy intervals from ``first`` to ``last`` (inclusive): its own
    lessons and those of its subgroups."""
    return _busy(sql.BUSY_GROUPS, group_ids, first, last)


def overlaps(intervals: Sequence[Busy], start: dt.datetime, end: dt.datetime) -> list[Busy]:
    """The intervals that overlap ``start``–``end`` (aware; half-open, so touching is not
    overlapping), by start."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("overlaps() takes aware datetimes.")
    if end < start:
        raise ValueError("The end is before the start.")
    return sorted((b for b in intervals if b.start < end and start < b.end), key=_order)


# --- the work ---------------------------------------------------------------------------------


def _check_range(first: dt.date, last: dt.date) -> None:
    if last < first:
        raise ValueError(f"The range ends ({last}) before it starts ({first}).")
    if (last - first).days + 1 > MAX_DAYS:
        raise ValueError(f"The range is longer than {MAX_DAYS} days.")


def _order(b: Busy) -> tuple[dt.datetime, dt.datetime, int]:
    return b.start, b.end, b.lesson_id


def _span(day: dt.date, bell: str | None, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The lesson's bell on its day; its whole day when it has no bell."""
    starts_at, ends_at = sql.bell_times(bell)
    if starts_at is None or ends_at is None:
        midnight = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
        return midnight, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return (
        dt.datetime.combine(day, starts_at, tzinfo=zone),
        dt.datetime.combine(day, ends_at, tzinfo=zone),
    )


def _busy(
    statement: str, ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[int, list[Busy]]:
    _check_range(first, last)
    answer: dict[int, list[Busy]] = {i: [] for i in ids}
    if not answer:
        return answer
    params: dict[str, Any] = {"held": Lesson.Status.HELD.value, "first": first, "last": last}
    names = []
    for n, i in enumerate(answer):
        params[f"i{n}"] = i
        names.append(f"%(i{n})s")
    zone = timezone.get_default_timezone()
    seen: set[tuple[int, int]] = set()
    for owner, lesson_id, day, institution_id, group_id, subject_id, bell in rows(
        statement.replace("{ids}", ", ".join(names)), params
    ):
        if (owner, lesson_id) in seen:  # overlapping memberships of a student in one group
            continue
        seen.add((owner, lesson_id))
        start, end = _span(as_date(day), bell, zone)  # type: ignore[arg-type]
        answer[owner].append(Busy(start, end, lesson_id, institution_id, group_id, subject_id))
    for intervals in answer.values():
        intervals.sort(key=_order)
    return answer
