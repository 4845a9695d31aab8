"""Events of the ``world``: ``make_event(...)`` creates one through the service (published by
default, tomorrow at 15:00 at school №3, for teachers, 2 places in person and 2 online)."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.events import services
from setka.events.models import Kind, Provider

from ..clock import TODAY, at


def tomorrow(hour: int = 15, minute: int = 0) -> dt.datetime:
    return at(TODAY + dt.timedelta(days=1), hour, minute)


@pytest.fixture
def make_event(world):
    def make(**fields):
        actor = fields.pop("actor", world.users["metodist"])
        starts = fields.pop("starts_at", tomorrow())
        defaults = {
            "institution": world.school,
            "kind": Kind.SEMINAR,
            "title": "Формирующее оценивание",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=1, minutes=30),
            "venue": world.school,
            "room": "Актовый зал",
            "capacity_in_person": 2,
            "capacity_remote": 2,
            "provider": Provider.JITSI,
            "status": "published",
            "hosts": [world.people["teacher"]],
        }
        defaults.update(fields)
        return services.event_create(actor=actor, **defaults)

    return make
