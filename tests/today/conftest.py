"""A day at school №3 of the ``jw`` year: today (a Thursday) 7Б has maths 1st and 2nd (with
bells), the world's teacher teaches both; tomorrow maths again; helpers to make more classes,
children and network groups for the query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory

from setka.journal.models import GroupMember, Lesson, StudyGroup
from setka.journal.services import structure
from setka.network.models import Guardianship, Membership
from setka.network.roles import user_roles

from .. import factories as f
from ..clock import TODAY
from ..journal.conftest import jw  # noqa: F401 (shared fixture)

BELLS = [(1, dt.time(8, 0), dt.time(8, 40)), (2, dt.time(8, 50), dt.time(9, 30)),
         (3, dt.time(9, 45), dt.time(10, 25)), (4, dt.time(10, 40), dt.time(11, 20)),
         (5, dt.time(11, 35), dt.time(12, 15)), (6, dt.time(12, 25), dt.time(13, 5))]  # fmt: skip


def lesson(j, *, day=TODAY, number=1, subject=None, group=None, teacher=None, **extra) -> Lesson:
    group = group or j.klass
    return Lesson.objects.create(
        institution=group.institution, year=j.year, period=j.q2, group=group,
        subject=subject or j.maths, teacher=teacher or j.klass.class_teacher, date=day,
        number=number, **extra,
    )  # fmt: skip


@pytest.fixture
def day(world, jw):
    """Bells for the year; two maths lessons of 7Б today (1st and 2nd), one tomorrow."""
    for number, starts, ends in BELLS:
        structure.bell_set(actor=world.users["director"], year=jw.year, number=number,
                           starts_at=starts, ends_at=ends)  # fmt: skip
    first = lesson(jw, number=1, room="21")
    second = lesson(jw, number=2, subject=jw.pe, room="зал")
    tomorrow = lesson(jw, day=TODAY + dt.timedelta(days=1), number=3)
    return first, second, tomorrow


def another_class(world, jw, name: str, *, students: int = 2) -> StudyGroup:
    group = structure.group_create(actor=world.users["director"], year=jw.year, name=name,
                                   grade=int(name[:-1]), letter=name[-1])  # fmt: skip
    for i in range(students):
        p = f.PersonFactory(
            municipality=world.municipality, surname=f"{name}-{i}", given_name="Пётр"
        )
        f.MembershipFactory(person=p, institution=world.school, role=Membership.Role.STUDENT)
        GroupMember.objects.create(group=group, student=p, home_institution=world.school,
                                   starts_on=jw.year.starts_on)  # fmt: skip
    return group


def child_of(world, parent, group, name: str):
    p = f.PersonFactory(municipality=world.municipality, surname="Ученикова", given_name=name)
    f.MembershipFactory(person=p, institution=world.school, role=Membership.Role.STUDENT)
    GroupMember.objects.create(group=group, student=p, home_institution=world.school,
                               starts_on=group.year.starts_on)  # fmt: skip
    Guardianship.objects.create(municipality=world.municipality, guardian=parent, student=p)
    return p


def run(provider, user, query=""):
    request = RequestFactory().get("/" + query)
    request.user = user
    return provider(request, user_roles(user))
