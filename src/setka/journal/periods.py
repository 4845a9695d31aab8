"""Which period a page shows when none is asked for: the one rule of the "current period",
for the journal's pages, its API, the reports and the benchmarks."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, TypeVar

from django.http import Http404

from setka.core.clock import today
from setka.core.converters import parse_id


class _Dated(Protocol):
    @property
    def starts_on(self) -> dt.date: ...


P = TypeVar("P", bound=_Dated)


def current_period(periods: list[P], day: dt.date | None = None) -> P | None:
    """The period containing ``day`` (today); between periods (the holidays) the last one
    begun; before the year the first one. Periods do not overlap, so the last one begun is
    the one containing the day when there is one."""
    day = day or today()
    begun = [p for p in periods if p.starts_on <= day]
    if begun:
        return max(begun, key=lambda p: p.starts_on)
    return min(periods, key=lambda p: p.starts_on) if periods else None


def choose_period(periods: list[P], raw: str | None) -> P:
    """The period whose id is ``raw`` (404 when it is not one of ``periods``), else the
    current one (404 for a year without periods)."""
    if raw:
        wanted = int_or_404(raw)
        for p in periods:
            if p.pk == wanted:  # type: ignore[attr-defined]
                return p
        raise Http404
    period = current_period(periods)
    if period is None:
        raise Http404
    return period


def int_or_404(raw: object) -> int:
    """An id from a query string (``?period=12``), or 404 (``core.converters.parse_id``)."""
    value = parse_id(raw)
    if value is None:
        raise Http404
    return value
