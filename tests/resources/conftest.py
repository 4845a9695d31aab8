"""Resources of the ``world``: school №3 (``director`` administers it) is a resource centre
with a laboratory (bookings need approval, administrators only) and a videoconference kit
(teachers may book it, approval needed); both bookable Monday to Saturday, 8:00–18:00."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from setka.network.models import Membership, Person
from setka.resources import services
from setka.resources.models import Resource

from .. import clock
from .. import factories as f

HOURS = {day: [(dt.time(8), dt.time(18))] for day in range(6)}


def next_monday() -> dt.date:
    return clock.TODAY + dt.timedelta(days=7 - clock.TODAY.weekday())


def slot(day_offset: int = 0, hour: int = 10, minutes: int = 90) -> tuple[dt.datetime, dt.datetime]:
    """A time next week (Monday + ``day_offset``), local."""
    start = clock.at(next_monday() + dt.timedelta(days=day_offset), hour)
    return start, start + dt.timedelta(minutes=minutes)


@dataclass
class ResourceWorld:
    lab: Resource
    kit: Resource
    other_director: Person

    def book(self, actor, resource=None, *, institution, offset=0, hour=10, minutes=90, **kw):
        start, end = slot(offset, hour, minutes)
        return services.booking_create(
            actor=actor,
            resource=resource or self.lab,
            starts_at=start,
            ends_at=end,
            purpose=kw.pop("purpose", "Лабораторная работа 9А"),
            institution=institution,
            **kw,
        )


def make_resources(world) -> ResourceWorld:
    world.school.is_resource_centre = True
    world.school.save(update_fields=["is_resource_centre"])
    director = world.users["director"]
    lab = services.resource_create(
        actor=director,
        institution=world.school,
        data={"kind": "room", "category": "laboratory", "name": "Лаборатория химии",
              "capacity": 16, "features": ["вытяжной шкаф", "15 микроскопов"]},
        windows=HOURS,
    )  # fmt: skip
    kit = services.resource_create(
        actor=director,
        institution=world.school,
        data={"kind": "equipment", "category": "videoconference", "name": "Комплект ВКС",
              "teachers_may_book": True},
        windows=HOURS,
    )  # fmt: skip
    other = f.PersonFactory(
        municipality=world.municipality,
        surname="Завучева",
        given_name="Инна",
        user=f.UserFactory(username="other_director"),
    )
    f.MembershipFactory(
        person=other, institution=world.other_school, role=Membership.Role.INSTITUTION_ADMIN
    )
    world.users["other_director"] = other.user
    world.people["other_director"] = other
    return ResourceWorld(lab=lab, kit=kit, other_director=other)


@pytest.fixture
def rw(world) -> ResourceWorld:
    return make_resources(world)
