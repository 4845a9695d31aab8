"""The weekly timetable of a demo school, placed greedily class by class: no class and no
teacher has two lessons at once, a subject is not twice a day where it can be helped, and a
class's lessons of a day are numbered from the first without gaps where the teachers allow."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import TYPE_CHECKING

from ..models import TimetableEntry
from .curriculum import max_lessons_a_day

if TYPE_CHECKING:
    from .school import School, Unit

DAYS = (1, 2, 3, 4, 5)


def place(school: School, rng: random.Random) -> None:
    """Class by class (the seniors first): spread the class's lessons over the days, no
    subject twice a day where it can be helped, then give each day's lessons the numbers
    1, 2, … so that every teacher is free (a matching); what does not fit goes to another
    day, or stays out (counted in ``unplaced``)."""
    by_class: dict[int, list[Unit]] = defaultdict(list)
    for unit in school.units:
        by_class[unit.klass].append(unit)
    order = list(by_class)
    rng.shuffle(order)
    order.sort(key=lambda i: -school.classes[i].grade)
    entries: list[TimetableEntry] = []
    for index in order:
        klass = school.classes[index]
        limit = max_lessons_a_day(klass.grade)
        days = _spread(by_class[index], limit, rng)
        placed: dict[int, dict[int, Unit]] = {}
        left: list[Unit] = []
        for day in DAYS:
            placed[day], rest = _numbers(school, days[day], day, limit)
            left += rest
        for unit in left:  # another day, at any free number
            spot = next(
                (
                    (day, n)
                    for day in sorted(DAYS, key=lambda d: len(placed[d]))
                    for n in range(1, limit + 1)
                    if n not in placed[day] and _free(school, unit, day, n)
                ),
                None,
            )
            if spot is None:
                school.unplaced += 1
                continue
            placed[spot[0]][spot[1]] = unit
            _take(school, unit, *spot)
        for day, numbers in placed.items():
            for number, unit in numbers.items():
                for group, subject, teacher, room in unit.entries:
                    entries.append(
                        TimetableEntry(
                            institution=school.institution,
                            group=group,
                            subject=subject,
                            teacher_id=teacher,
                            room=room,
                            weekday=day,
                            number=number,
                            valid_from=school.year.starts_on,
                        )
                    )
    TimetableEntry.objects.bulk_create(entries, batch_size=2000)


def _spread(units: list[Unit], limit: int, rng: random.Random) -> dict[int, list[Unit]]:
    days: dict[int, list[Unit]] = {d: [] for d in DAYS}
    per_subject: dict[str, int] = defaultdict(int)
    for unit in units:
        per_subject[unit.key] += 1
    ordered = sorted(units, key=lambda u: (-per_subject[u.key], u.key))
    for unit in ordered:
        free = [d for d in DAYS if len(days[d]) < limit] or list(DAYS)
        day = min(
            free,
            key=lambda d: (
                sum(u.key == unit.key for u in days[d]),
                len(days[d]),
                rng.random(),
            ),
        )
        days[day].append(unit)
    return days


def _free(school: School, unit: Unit, day: int, number: int) -> bool:
    """Every teacher of the unit is free at this lesson of the class's shift (a lesson of the
    other shift at the same hour counts as busy)."""
    slot = (school.classes[unit.klass].group.shift, number)
    return all(school.is_free(e[2], day, slot) for e in unit.entries)


def _take(school: School, unit: Unit, day: int, number: int) -> None:
    slot = (school.classes[unit.klass].group.shift, number)
    for group, _subject, teacher, _room in unit.entries:
        school.busy[teacher, day, slot] = group.pk


def _numbers(
    school: School, units: list[Unit], day: int, limit: int
) -> tuple[dict[int, Unit], list[Unit]]:
    """Numbers 1..k for the day's lessons with every teacher free (Kuhn's matching), with
    as few numbers as possible; the lessons that cannot be matched are returned."""
    best: dict[int, int] = {}
    for top in range(len(units), max(limit, len(units)) + 1):
        numbers = list(range(1, top + 1))
        match: dict[int, int] = {}  # number -> unit index

        def augment(u: int, seen: set[int], numbers=numbers, match=match) -> bool:
            for n in numbers:
                if n in seen or not _free(school, units[u], day, n):
                    continue
                seen.add(n)
                if n not in match or augment(match[n], seen):
                    match[n] = u
                    return True
            return False

        for u in range(len(units)):
            augment(u, set())
        if len(match) > len(best):
            best = dict(match)
        if len(best) == len(units):
            break
    for n, u in best.items():
        _take(school, units[u], day, n)
    matched = set(best.values())
    return {n: units[u] for n, u in best.items()}, [
        units[u] for u in range(len(units)) if u not in matched
    ]
