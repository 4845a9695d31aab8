"""When a lesson is held: once its bell has started — the bell of its year for its group's
shift and its number (``journal.bells``, the same bell the diary and the busy intervals read).
A lesson of an earlier day is held, one of a later day is not; a lesson of today without a bell
counts as held from the start of the day (nothing better is known about it). A cancelled lesson
is never held.

One rule for every page that says so: the lesson page's status, the completeness control
(which counts only held lessons), the grid's "no topic yet" flag."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q

from setka.core import clock

from .models import Bell, Lesson


def _bells(starting_by: dt.time | None = None) -> Exists:
    bells = Bell.objects.filter(
        year_id=OuterRef("year_id"), shift=OuterRef("group__shift"), number=OuterRef("number")
    )
    if starting_by is not None:
        bells = bells.filter(starts_at__lte=starting_by)
    return Exists(bells)


def held_q(moment: dt.datetime | None = None) -> Q:
    """The lessons held by ``moment`` (default: now), as a filter of lessons."""
    local = clock.localnow() if moment is None else moment
    day, time = local.date(), local.time().replace(tzinfo=None)
    return Q(status=Lesson.Status.HELD) & (
        Q(date__lt=day) | (Q(date=day) & (Q(_bells(time)) | ~Q(_bells())))
    )


def lesson_is_held(lesson: Lesson, moment: dt.datetime | None = None) -> bool:
    """Whether ``lesson`` has been held by ``moment`` (default: now); one query on its day."""
    if lesson.status != Lesson.Status.HELD:
        return False
    local = clock.localnow() if moment is None else moment
    day = local.date()
    if lesson.date != day:
        return lesson.date < day
    shift = lesson.group.shift
    starts = (
        Bell.objects.filter(year_id=lesson.year_id, shift=shift, number=lesson.number)
        .values_list("starts_at", flat=True)
        .first()
    )
    return starts is None or starts <= local.time().replace(tzinfo=None)
