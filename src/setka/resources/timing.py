"""Time of bookings: the municipality's time zone, bookable hours, and the words for a slot.

Bookable hours are per weekday windows in the municipality's local time; a booking lies
inside one window of its local day (so it never spans midnight)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from django.utils.translation import gettext as _

WEEKDAYS = range(7)
_WINDOW = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")


@lru_cache(maxsize=64)
def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def local(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return moment.astimezone(tz)


def aware(day: dt.date, time: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=tz)


def day_bounds(first: dt.date, last: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The moments [start of ``first``, start of the day after ``last``) in local time."""
    return aware(first, dt.time(0), tz), aware(last + dt.timedelta(days=1), dt.time(0), tz)


def within_hours(
    windows: Iterable[tuple[int, dt.time, dt.time]],
    start: dt.datetime,
    end: dt.datetime,
    tz: dt.tzinfo,
) -> bool:
    """Does [start, end) lie inside one window (weekday, from, until) of its local day?"""
    a, b = local(start, tz), local(end, tz)
    if a.date() != b.date():
        return False
    return any(
        weekday == a.weekday() and begins <= a.time() and b.time() <= ends
        for weekday, begins, ends in windows
    )


def when_text(start: dt.datetime, end: dt.datetime, tz: dt.tzinfo) -> str:
    """``03.12.2026, 10:00–11:30`` in local time (the same in every language)."""
    a, b = local(start, tz), local(end, tz)
    return f"{a:%d.%m.%Y}, {a:%H:%M}–{b:%H:%M}"


def parse_windows(text: str) -> list[tuple[dt.time, dt.time]]:
    """``"8:00–13:00, 14:00-17:30"`` → windows of a day; raises ValueError with a message."""
    out: list[tuple[dt.time, dt.time]] = []
    for part in (p for p in re.split(r"[,;]", text or "") if p.strip()):
        match = _WINDOW.match(part)
        if not match:
            raise ValueError(_("Write the hours as 8:00–17:00 (several separated by commas)."))
        h1, m1, h2, m2 = (int(x) for x in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise ValueError(_("There is no such time of day: %(text)s.") % {"text": part.strip()})
        begins = dt.time(h1, m1)
        ends = dt.time(23, 59) if h2 == 24 else dt.time(h2, m2)
        if ends <= begins:
            raise ValueError(
                _("The hours %(text)s end before they begin.") % {"text": part.strip()}
            )
        out.append((begins, ends))
    out.sort()
    for (_a, first_end), (second_start, _b) in pairwise(out):
        if second_start < first_end:
            raise ValueError(_("The hours of one day overlap."))
    return out


def windows_text(windows: Iterable[tuple[dt.time, dt.time]]) -> str:
    return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in windows)
