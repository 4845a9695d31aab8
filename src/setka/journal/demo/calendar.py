"""The school calendar of the demo: the dates of an academic year by the pattern of the
federal basic curriculum (ФОП): four quarters split by autumn (9 days at the end of October),
winter (from 29 December to the second Sunday of January) and spring (9 days at the end of
March) breaks, and the public holidays inside the quarters. Approximate, like any real
municipality's own calendar, but right for any year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

D = dt.date
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Calendar:
    name: str  # "2026/2027"
    starts_on: D
    ends_on: D
    periods: list[tuple[D, D]]
    holidays: list[tuple[str, D, D]]


def _weekday_on_or_after(day: D, weekday: int) -> D:
    """The first ``weekday`` (ISO: 1 = Monday … 7 = Sunday) on or after ``day``."""
    return day + dt.timedelta(days=(weekday - day.isoweekday()) % 7)


def _first_school_day(day: D) -> D:
    return _weekday_on_or_after(day, 1) if day.isoweekday() > 5 else day


def _last_school_day(day: D) -> D:
    while day.isoweekday() > 5:
        day -= DAY
    return day


def _public(name: str, day: D) -> list[tuple[str, D, D]]:
    """A public holiday; one on a weekend moves to the next Monday (as in the Labour Code)."""
    out = [(name, day, day)]
    if day.isoweekday() > 5:
        monday = _weekday_on_or_after(day, 1)
        out.append((f"{name} (перенос выходного дня)", monday, monday))
    return out


def school_year(year: int) -> Calendar:
    """The calendar of the school year that begins on 1 September ``year``: quarters."""
    starts = _first_school_day(D(year, 9, 1))
    autumn = _weekday_on_or_after(D(year, 10, 24), 6)  # a Saturday, 24-30 October
    winter = D(year, 12, 29)
    winter_end = _weekday_on_or_after(D(year + 1, 1, 8), 7)
    spring = _weekday_on_or_after(D(year + 1, 3, 22), 6)  # a Saturday, 22-28 March
    periods = [
        (starts, autumn - DAY),
        (autumn + 9 * DAY, winter - DAY),
        (winter_end + DAY, spring - DAY),
        (spring + 9 * DAY, _last_school_day(D(year + 1, 5, 26))),
    ]
    holidays = [
        ("Осенние каникулы", autumn, autumn + 8 * DAY),
        ("Зимние каникулы", winter, winter_end),
        ("Весенние каникулы", spring, spring + 8 * DAY),
        *_public("День народного единства", D(year, 11, 4)),
        *_public("День защитника Отечества", D(year + 1, 2, 23)),
        *_public("Международный женский день", D(year + 1, 3, 8)),
        *_public("Праздник Весны и Труда", D(year + 1, 5, 1)),
        *_public("День Победы", D(year + 1, 5, 9)),
    ]
    # A public holiday inside a break is no extra day off.
    holidays = [h for h in holidays if not _inside_break(h, holidays[:3])]
    return Calendar(
        name=f"{year}/{year + 1}",
        starts_on=starts,
        ends_on=D(year + 1, 5, 31),
        periods=periods,
        holidays=sorted(holidays, key=lambda h: h[1]),
    )


def _inside_break(holiday: tuple[str, D, D], breaks: list[tuple[str, D, D]]) -> bool:
    name, start, end = holiday
    return any(b[0] != name and b[1] <= start and end <= b[2] for b in breaks)


def additional_education_year(year: int) -> Calendar:
    """An institution of additional education: two half-years, open in the school breaks
    except the New Year holidays."""
    starts = _first_school_day(D(year, 9, 1))
    new_year_end = _weekday_on_or_after(D(year + 1, 1, 8), 7)
    holidays = [
        ("Новогодние каникулы", D(year, 12, 30), new_year_end),
        *_public("День народного единства", D(year, 11, 4)),
        *_public("День защитника Отечества", D(year + 1, 2, 23)),
        *_public("Международный женский день", D(year + 1, 3, 8)),
        *_public("Праздник Весны и Труда", D(year + 1, 5, 1)),
        *_public("День Победы", D(year + 1, 5, 9)),
    ]
    return Calendar(
        name=f"{year}/{year + 1}",
        starts_on=starts,
        ends_on=D(year + 1, 5, 31),
        periods=[(starts, D(year, 12, 29)), (new_year_end + DAY, D(year + 1, 5, 31))],
        holidays=sorted(holidays, key=lambda h: h[1]),
    )


def bells(start: dt.time) -> list[tuple[int, dt.time, dt.time]]:
    """Eight 40-minute lessons from ``start``: 10-minute breaks, 15 and 20 after the 2nd and
    the 3rd lesson (the meal breaks), 15 after the 4th."""
    breaks = [10, 15, 20, 15, 10, 10, 10]
    out = []
    at = dt.datetime.combine(D(2000, 1, 1), start)
    for number in range(1, 9):
        end = at + dt.timedelta(minutes=40)
        out.append((number, at.time(), end.time()))
        if number <= len(breaks):
            at = end + dt.timedelta(minutes=breaks[number - 1])
    return out


def second_shift_bells(first_shift_start: dt.time) -> list[tuple[int, dt.time, dt.time]]:
    """Six lessons of the second shift: from 13:30, or 14:00 when the first starts at 8:30."""
    start = dt.time(13, 30) if first_shift_start <= dt.time(8, 0) else dt.time(14, 0)
    return bells(start)[:6]


def afternoon_bells() -> list[tuple[int, dt.time, dt.time]]:
    """Additional education: 45-minute sessions from 15:00 with 10-minute breaks."""
    out = []
    at = dt.datetime.combine(D(2000, 1, 1), dt.time(15, 0))
    for number in range(1, 6):
        end = at + dt.timedelta(minutes=45)
        out.append((number, at.time(), end.time()))
        at = end + dt.timedelta(minutes=10)
    return out
