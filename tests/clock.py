"""The tests' frozen clock.

The fixtures were written around one reference day, a Thursday in the second quarter of the
school year 2026/2027. The suite freezes "now" on a day of its own (``SETKA_TEST_TODAY``,
default: the reference day) and shifts every date of its fixtures by the same whole number
of weeks, so that the school year, its quarters and holidays always stand where the tests
expect them relative to "today", and weekdays stay what they were.

    SETKA_TEST_TODAY=2027-02-10 make test-fast   # the clock in the third quarter
    SETKA_TEST_TODAY=2027-09-15 make test-fast   # ... in the next school year

Write the dates of a test with ``d(2026, 11, 23)`` (the reference calendar, shifted), never
``dt.date(2026, 11, 23)``; "now" is ``at(day, hour, minute)`` or ``NOW``.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo

REFERENCE = dt.date(2026, 11, 26)
# The hour of the frozen "now", local time: a school day in progress (the 4th lesson).
HOUR = 11
TIME_ZONE = zoneinfo.ZoneInfo("Asia/Irkutsk")


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _chosen() -> dt.date:
    raw = os.environ.get("SETKA_TEST_TODAY", "").strip()
    if not raw:
        return REFERENCE
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise SystemExit(f"SETKA_TEST_TODAY={raw!r} is not a date (YYYY-MM-DD)") from exc


# The shift in whole weeks, so that weekdays stay; TODAY is the reference weekday of the
# chosen day's week.
SHIFT = _monday(_chosen()) - _monday(REFERENCE)
TODAY = REFERENCE + SHIFT
NOW = dt.datetime.combine(TODAY, dt.time(HOUR, 0), tzinfo=TIME_ZONE)


def d(year: int, month: int, day: int) -> dt.date:
    """A date of the reference calendar, moved to the frozen clock's calendar."""
    return dt.date(year, month, day) + SHIFT


def at(day: dt.date, hour: int = HOUR, minute: int = 0) -> dt.datetime:
    """An aware moment (the municipality's time zone) on a day of the tests."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TIME_ZONE)


def school_year_start(day: dt.date) -> int:
    """The calendar year in which the school year holding ``day`` began (1 July onwards)."""
    return day.year if day.month >= 7 else day.year - 1


def iso(year: int, month: int, day: int) -> str:
    """``d(...)`` as an ISO string, for URLs and JSON."""
    return d(year, month, day).isoformat()
