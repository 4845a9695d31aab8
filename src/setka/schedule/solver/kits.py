"""The videoconference kits of the resource centres as venues: a kit lets its institution take
an item that needs a videoconference room (whatever its readiness answers say), within the
kit's bookable hours and when no booking holds it. Publishing books the kit for the event
(``setka.events.services.event_create(resource=…)``). Two queries, none when the resource
centres are not installed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Kit:
    resource_id: int
    institution_id: int
    name: str
    windows: dict[int, list[tuple[int, int]]]  # weekday (Monday 0) -> [(from, until)] minutes
    bookings: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def load(
    institutions: Iterable, first: dt.datetime, last: dt.datetime, own_events: set[int]
) -> list[Kit]:
    try:
        from setka.resources.models import ACTIVE, Booking, Category, Resource
    except ImportError:  # the resource centres are not installed
        return []
    resources = list(
        Resource.objects.filter(
            institution__in=list(institutions),
            category=Category.VIDEOCONFERENCE,
            is_active=True,
        )
        .select_related("institution")
        .prefetch_related("windows")
        .order_by("institution_id", "id")
    )
    if not resources:
        return []
    kits = {}
    for r in resources:
        windows: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for w in r.windows.all():
            windows[w.weekday].append((_minutes(w.starts_at), _minutes(w.ends_at)))
        name = f"{r.institution.short_name}: {r.name}"
        kits[r.pk] = Kit(r.pk, r.institution_id, name, dict(windows))
    for resource_id, starts_at, ends_at in (
        Booking.objects.filter(
            resource_id__in=kits, status__in=ACTIVE, starts_at__lt=last, ends_at__gt=first
        )
        .exclude(event_ref__in=[f"events:{pk}" for pk in own_events])
        .values_list("resource_id", "starts_at", "ends_at")
    ):
        kits[resource_id].bookings.append((starts_at, ends_at))
    return list(kits.values())
