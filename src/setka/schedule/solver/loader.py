"""From a schedule in the database to the solver's problem: the allowed days and start times,
who is busy when (only through the journal's seam, ``setka.journal.busy``), which venues can
take an item (the readiness survey's ``venue_capabilities`` and the videoconference kits of
the resource centres) and what already holds their rooms (other events, bookings of the
kits). A constant number of queries, whatever the number of items, people and days.

The time grid: the period's allowed days × start times every ``step_minutes`` within the
allowed hours (an item ends by the end of them); an open lesson also gets the starts of its
host's own lessons of its class and subject (its natural place: the event becomes that
lesson of the journal). Candidates that break a hard rule are dropped here; an item keeps at
most ``MAX_CANDIDATES`` of the rest, the best by their soft score and spread over the days."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
from django.db.models import Q, QuerySet
from django.utils import timezone

from setka.core.clock import today
from setka.events.models import Event
from setka.events.models import Kind as EventKind
from setka.events.models import Status as EventStatus
from setka.events.selectors import teachers_of_subjects
from setka.journal.busy import Busy, groups_busy, teachers_busy
from setka.readiness.selectors import venue_capabilities

from ..models import Item, Schedule
from . import kits
from .problem import DAY, Candidate, Problem, Venue, depth

MAX_CANDIDATES = 80
SCORE_PREFERRED = 20
SCORE_AUDIENCE = 30
SCORE_KNOWN_VENUE = 5
SCORE_OWN_LESSON = 10

Intervals = list[tuple[int, int, int, int]]  # (start, end, group id, subject id), day minutes


def allowed_days(schedule: Schedule) -> list[dt.date]:
    """The period's days of the allowed weekdays, from today on."""
    days, day = [], max(schedule.first_day, today())
    allowed = set(schedule.weekdays or [])
    while day <= schedule.last_day:
        if day.weekday() in allowed:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def items_of(schedule: Schedule) -> QuerySet[Item]:
    return (
        Item.objects.filter(schedule=schedule)
        .select_related("subject", "host", "group", "venue")
        .prefetch_related("venues", "targets", "audience")
    )


class Loader:
    def __init__(self, schedule: Schedule, items: list[Item] | None = None) -> None:
        self.schedule = schedule
        self.zone = timezone.get_default_timezone()
        self.days = allowed_days(schedule)
        self.index = {d: i for i, d in enumerate(self.days)}
        self.day_starts = minutes(schedule.day_starts)
        self.day_ends = minutes(schedule.day_ends)
        self.items: list[Item] = list(items_of(schedule)) if items is None else items
        self._load()

    # --- reading -------------------------------------------------------------------------

    def _load(self) -> None:
        s, items = self.schedule, self.items
        pairs = {(i.subject_id, inst.pk) for i in items for inst in i.audience.all()}
        self.invited: dict[tuple[int, int], set[int]] = defaultdict(set)
        if pairs:
            rows = (
                teachers_of_subjects({p[0] for p in pairs})
                .filter(institution_id__in={p[1] for p in pairs})
                .values_list("subject_id", "institution_id", "teacher_id")
            )
            for subject_id, institution_id, teacher_id in rows:
                if (subject_id, institution_id) in pairs:
                    self.invited[(subject_id, institution_id)].add(teacher_id)
        people = {i.host_id for i in items if i.host_id}
        people |= {p.pk for i in items for p in i.targets.all()}
        people |= {p for ids in self.invited.values() for p in ids}
        groups = {i.group_id for i in items if i.group_id}
        self.person_busy = self._by_day(teachers_busy(people, s.first_day, s.last_day))
        self.group_busy = self._by_day(groups_busy(groups, s.first_day, s.last_day))
        institutions = {v.pk: v for i in items for v in i.venues.all()}
        self.capabilities = venue_capabilities(institutions)
        own_events = {i.event_id for i in items if i.event_id}
        self.venues: dict[str, Venue] = {}
        self.known: dict[str, bool] = {}
        self.occupied: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for inst in institutions.values():
            cap = self.capabilities[inst.pk]
            key = f"i{inst.pk}"
            self.venues[key] = Venue(key, inst.pk, None, inst.short_name, max(cap.vc_rooms, 1))
            self.known[key] = cap.index is not None
        first, last = self._bounds()
        for venue_id, starts_at, ends_at in (
            Event.objects.filter(venue_id__in=institutions, starts_at__lt=last, ends_at__gt=first)
            .exclude(status=EventStatus.CANCELLED)
            .exclude(pk__in=own_events)
            .filter(resource_id__isnull=True)
            .filter(Q(kind=EventKind.WEBINAR) | Q(capacity_remote__gt=0))
            .values_list("venue_id", "starts_at", "ends_at")
        ):
            self.occupied[f"i{venue_id}"] += self._absolute(starts_at, ends_at)
        self.kits = kits.load(institutions.values(), first, last, own_events)
        self.kits_of: dict[int, list[str]] = defaultdict(list)
        for kit in self.kits:
            key = f"r{kit.resource_id}"
            self.venues[key] = Venue(key, kit.institution_id, kit.resource_id, kit.name, 1)
            self.known[key] = True
            self.kits_of[kit.institution_id].append(key)
            for start, end in kit.bookings:
                self.occupied[key] += self._absolute(start, end)
        self.windows = {f"r{k.resource_id}": k.windows for k in self.kits}

    def _bounds(self) -> tuple[dt.datetime, dt.datetime]:
        s = self.schedule
        first = dt.datetime.combine(s.first_day, dt.time.min, tzinfo=self.zone)
        last = dt.datetime.combine(s.last_day + dt.timedelta(days=1), dt.time.min, self.zone)
        return first, last

    def _pieces(self, start: dt.datetime, end: dt.datetime):
        """``(day index, start minute, end minute)`` of each allowed day the span touches."""
        local_start, local_end = (
            timezone.localtime(start, self.zone),
            timezone.localtime(end, self.zone),
        )
        day = local_start.date()
        while day <= local_end.date():
            i = self.index.get(day)
            if i is not None:
                midnight = dt.datetime.combine(day, dt.time.min, tzinfo=self.zone)
                a = max(0, int((local_start - midnight).total_seconds() // 60))
                b = min(DAY, int((local_end - midnight).total_seconds() // 60))
                if b > a:
                    yield i, a, b
            day += dt.timedelta(days=1)

    def _absolute(self, start: dt.datetime, end: dt.datetime) -> list[tuple[int, int]]:
        return [(i * DAY + a, i * DAY + b) for i, a, b in self._pieces(start, end)]

    def _by_day(self, answer: dict[int, list[Busy]]) -> dict[int, dict[int, Intervals]]:
        out: dict[int, dict[int, Intervals]] = {}
        for owner, intervals in answer.items():
            days: dict[int, Intervals] = defaultdict(list)
            for b in intervals:
                for i, a, e in self._pieces(b.start, b.end):
                    days[i].append((a, e, b.group_id, b.subject_id))
            out[owner] = days
        return out

    # --- one item --------------------------------------------------------------------------

    def keys(self, item: Item) -> tuple[str, ...]:
        keys = {f"p{p.pk}" for p in item.targets.all()}
        if item.host_id:
            keys.add(f"p{item.host_id}")
        if item.group_id:
            keys.add(f"g{item.group_id}")
        keys |= {f"a{item.subject_id}:{inst.pk}" for inst in item.audience.all()}
        return tuple(sorted(keys))

    def able(self, item: Item, institution_id: int) -> bool:
        cap = self.capabilities[institution_id]
        if cap.index is None:  # never surveyed: not refused, but a warning and no bonus
            return True
        return cap.can_join_remote if item.kind == Item.Kind.VIEWING else cap.can_host_remote

    def options(self, item: Item) -> list[str]:
        keys = []
        for inst in item.venues.all():
            if not item.needs_room or self.able(item, inst.pk):
                keys.append(f"i{inst.pk}")
            if item.needs_room:
                keys += self.kits_of.get(inst.pk, [])
        return keys

    def invited_of(self, item: Item) -> list[int]:
        people: set[int] = set()
        for inst in item.audience.all():
            people |= self.invited.get((item.subject_id, inst.pk), set())
        people.discard(item.host_id or 0)
        return sorted(people)

    def _free(self, busy: Intervals, starts: np.ndarray, ends: np.ndarray, item: Item):
        """Which of the starts find the owner of ``busy`` free (the item's own lesson, an
        open lesson's class and subject, does not count)."""
        mask = np.ones(len(starts), dtype=bool)
        for a, b, group_id, subject_id in busy:
            if item.group_id and group_id == item.group_id and subject_id == item.subject_id:
                continue
            mask &= ~((a < ends) & (starts < b))
        return mask

    def person_free(self, person_id: int, day: int, starts, ends, item: Item):
        return self._free(self.person_busy.get(person_id, {}).get(day, []), starts, ends, item)

    def group_free(self, day: int, starts, ends, item: Item):
        busy = self.group_busy.get(item.group_id or 0, {}).get(day, [])
        return self._free(busy, starts, ends, item)

    def own_starts(self, item: Item, day: int) -> list[int]:
        if item.kind != Item.Kind.OPEN_LESSON or not item.host_id or not item.group_id:
            return []
        return [
            a
            for a, _b, group_id, subject_id in self.person_busy.get(item.host_id, {}).get(day, [])
            if group_id == item.group_id and subject_id == item.subject_id
        ]

    def venue_free(self, key: str, day: int, start: int, end: int, item: Item) -> bool:
        if not item.needs_room:
            return True
        windows = self.windows.get(key)
        if windows is not None:
            weekday = self.days[day].weekday()
            if not any(a <= start and end <= b for a, b in windows.get(weekday, [])):
                return False
        absolute = (day * DAY + start, day * DAY + end)
        return depth(self.occupied.get(key, []), *absolute) < self.venues[key].rooms

    def point(self, when: dt.datetime) -> tuple[int, int] | None:
        """An aware moment as (day index, minute) when it is an allowed day; else None."""
        local = timezone.localtime(when, self.zone)
        i = self.index.get(local.date())
        return None if i is None else (i, local.hour * 60 + local.minute)

    def within_hours(self, minute: int, duration: int) -> bool:
        return self.day_starts <= minute and minute + duration <= self.day_ends

    def moment(self, day: int, minute: int) -> dt.datetime:
        return dt.datetime.combine(self.days[day], dt.time.min, tzinfo=self.zone) + dt.timedelta(
            minutes=minute
        )

    def when_text(self, day: int, minute: int) -> str:
        return f"{self.days[day]:%d.%m.%Y} {minute // 60:02d}:{minute % 60:02d}"

    def names(self, item: Item) -> dict[int, str]:
        names = {p.pk: p.short_name for p in item.targets.all()}
        if item.host is not None:
            names[item.host.pk] = item.host.short_name
        return names


def build(schedule: Schedule, items: list[Item] | None = None) -> tuple[Problem, Loader]:
    from .candidates import spec_of

    loader = Loader(schedule, items)
    candidates: list[Candidate] = []
    specs = [spec_of(loader, item, candidates) for item in loader.items]
    problem = Problem(loader.days, specs, candidates, loader.venues, dict(loader.occupied))
    return problem, loader
