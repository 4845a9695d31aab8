"""Reads of the schedule builder shared by the pages, the API and «Сегодня»; each a constant
number of queries whatever the number of schedules, items and people."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from setka.network.roles import UserRoles

from . import rules
from .models import Change, Item, Run, Schedule, Version
from .solver.loader import allowed_days


def schedules_of(roles: UserRoles) -> QuerySet[Schedule]:
    return (
        Schedule.objects.filter(municipality_id__in=rules.builds_for(roles))
        .annotate(
            items_count=Count("items", distinct=True),
            placed_count=Count("items", filter=Q(items__starts_at__isnull=False), distinct=True),
            published_count=Count("items", filter=Q(items__event__isnull=False), distinct=True),
        )
        .order_by("-first_day", "-id")
    )


def waiting(roles: UserRoles, limit: int = 5) -> list[Schedule]:
    """Schedules with a run in progress or a proposal to publish (for «Сегодня»)."""
    return list(
        schedules_of(roles).filter(state__in=[Schedule.State.RUNNING, Schedule.State.PROPOSED])[
            :limit
        ]
    )


def items(schedule: Schedule) -> list[Item]:
    return list(
        Item.objects.filter(schedule=schedule)
        .select_related("subject", "host", "group", "venue", "event")
        .prefetch_related(
            Prefetch("venues", to_attr="venue_list"),
            Prefetch("targets", to_attr="target_list"),
            Prefetch("audience", to_attr="audience_list"),
        )
    )


def last_run(schedule: Schedule) -> Run | None:
    return schedule.runs.order_by("-number").first()


def versions(schedule: Schedule) -> list[Version]:
    return list(
        Version.objects.filter(schedule=schedule).select_related("published_by").defer("snapshot")
    )


def changes(schedule: Schedule) -> QuerySet[Change]:
    return Change.objects.filter(schedule=schedule).select_related("actor")


@dataclass
class Day:
    date: dt.date
    items: list[Item] = field(default_factory=list)


@dataclass
class Week:
    monday: dt.date
    days: list[Day]

    @property
    def has_items(self) -> bool:
        return any(d.items for d in self.days)


def calendar(schedule: Schedule, placed: list[Item]) -> list[Week]:
    """The proposal as weeks of the period (its allowed days), each day with its items by
    start; weeks without an allowed day are left out."""
    by_day: dict[dt.date, list[Item]] = defaultdict(list)
    for item in placed:
        if item.starts_at is not None:
            by_day[timezone.localtime(item.starts_at).date()].append(item)
    weeks: dict[dt.date, list[Day]] = {}
    days = set(allowed_days(schedule)) | set(by_day)
    for day in sorted(days):
        monday = day - dt.timedelta(days=day.weekday())
        weeks.setdefault(monday, []).append(
            Day(day, sorted(by_day.get(day, []), key=lambda i: (i.starts_at, i.pk)))
        )
    return [Week(monday, days) for monday, days in sorted(weeks.items())]
