"""The schedule builder on the ``world`` and its journal year (``jw``): the bells of the
first shift, and a schedule of the week after next built by the methodologist.

The week: Monday ``d(2026, 11, 30)`` to Friday ``d(2026, 12, 4)``; 7Б has maths with the
teacher on Monday, Wednesday and Friday at the 2nd lesson (8:55–9:40) and PE on Tuesday at
the 3rd (9:50–10:35)."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.journal.services import structure
from setka.schedule import services
from setka.schedule.models import Item

from ..clock import at, d
from ..journal.conftest import jw  # noqa: F401 - the journal's school year

BELLS = [
    (1, "08:00", "08:45"),
    (2, "08:55", "09:40"),
    (3, "09:50", "10:35"),
    (4, "10:50", "11:35"),
    (5, "11:45", "12:30"),
    (6, "12:40", "13:25"),
]
MONDAY = d(2026, 11, 30)
FRIDAY = d(2026, 12, 4)


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@pytest.fixture
def bells(world, jw):
    for number, a, b in BELLS:
        structure.bell_set(
            actor=world.users["director"], year=jw.year, number=number, starts_at=t(a), ends_at=t(b)
        )
    return jw


@pytest.fixture
def make_schedule(world):
    def make(**fields):
        actor = fields.pop("actor", world.users["metodist"])
        defaults = {
            "title": "Открытые уроки декабря",
            "first_day": MONDAY,
            "last_day": FRIDAY,
            "day_starts": t("08:00"),
            "day_ends": t("16:00"),
            "step_minutes": 15,
            "time_limit": 5,
        }
        defaults.update(fields)
        return services.schedule_create(actor=actor, municipality=world.municipality, **defaults)

    return make


@pytest.fixture
def schedule(make_schedule, bells):
    return make_schedule()


@pytest.fixture
def add_item(world, bells):
    def add(schedule, kind=Item.Kind.OPEN_LESSON, **data):
        actor = data.pop("actor", world.users["metodist"])
        if kind == Item.Kind.OPEN_LESSON:
            data.setdefault("host_id", world.people["teacher"].pk)
            data.setdefault("group_id", bells.klass.pk)
        else:
            data.setdefault("venue_ids", [world.school.pk])
        data.setdefault("subject_id", bells.maths.pk)
        return services.item_create(actor=actor, schedule=schedule, kind=kind, **data)

    return add


@pytest.fixture
def run(world):
    """Run the builder on a schedule now (as its task would) and answer the run."""

    def go(schedule, actor=None):
        request = services.run_request(actor=actor or world.users["metodist"], schedule=schedule)
        return services.run_execute(request.pk)

    return go


def when(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return at(day, hour, minute)
