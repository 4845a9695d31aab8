"""Reminders of an event to its registered participants: the day before, and shortly before
the start. The sweep (a Celery beat task every five minutes, or ``python -m setka
send_event_reminders`` from cron) sends each reminder once: the registration's row is
marked in the same transaction, and parallel sweeps skip the rows another one holds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection, transaction

from setka.core.clock import now

from .. import notify
from ..models import Event, Registration, Status
from .events import events_finish_past

DAY_BEFORE = dt.timedelta(hours=24)
SOON = dt.timedelta(hours=1)
# A registration made shortly before the start gets only the "soon" reminder.
DAY_MIN = dt.timedelta(hours=2)


def _due(field: str, start: dt.datetime, end: dt.datetime) -> list[Registration]:
    qs = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        event__status=Status.PUBLISHED,
        event__starts_at__gt=start,
        event__starts_at__lte=end,
        **{f"{field}__isnull": True},
    )
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs.only("id", "event_id", "person_id"))


def _send(field: str, start: dt.datetime, end: dt.datetime, *, soon: bool) -> int:
    with transaction.atomic():
        due = _due(field, start, end)
        if not due:
            return 0
        Registration.objects.filter(pk__in=[r.pk for r in due]).update(**{field: now()})
        by_event: dict[int, list[int]] = defaultdict(list)
        for r in due:
            by_event[r.event_id].append(r.person_id)
        events = Event.objects.in_bulk(list(by_event))
        notify.reminders([(events[k], ids) for k, ids in by_event.items()], soon=soon)
        return len(due)


def send_reminders() -> int:
    """Send the due reminders; returns how many. Ended events become finished."""
    moment = now()
    events_finish_past()
    sent = _send("reminded_soon_at", moment, moment + SOON, soon=True)
    sent += _send("reminded_day_at", moment + DAY_MIN, moment + DAY_BEFORE, soon=False)
    return sent
