"""Setka's own participation data: what the adapter counts from the journal and the events,
over the year up to the campaign's deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.events.models import Event, Registration, Status
from setka.journal.models import AcademicYear, GroupMember, StudyGroup
from setka.readiness.participation import participation_of

from ..clock import TODAY, at

pytestmark = pytest.mark.django_db


def _network_group(world):
    year = AcademicYear.objects.create(
        institution=world.ddt, name="Год", starts_on=TODAY - dt.timedelta(days=60),
        ends_on=TODAY + dt.timedelta(days=200),
    )  # fmt: skip
    group = StudyGroup.objects.create(institution=world.ddt, year=year, name="Робототехника",
                                      kind=StudyGroup.Kind.NETWORK)  # fmt: skip
    GroupMember.objects.create(group=group, student=world.people["student"],
                               home_institution=world.school,
                               starts_on=TODAY - dt.timedelta(days=30))  # fmt: skip


def _event(world, institution, **extra):
    return Event.objects.create(
        municipality=world.municipality, institution=institution, kind="open_lesson",
        title="Открытый урок", starts_at=at(TODAY - dt.timedelta(days=5)),
        ends_at=at(TODAY - dt.timedelta(days=5), 12), status=Status.PUBLISHED, **extra,
    )  # fmt: skip


def test_network_groups_count_for_the_host_and_for_the_students_school(world):
    _network_group(world)

    found = participation_of([world.school.pk, world.ddt.pk, world.imc.pk], TODAY)

    assert found[world.ddt.pk].counts == {"network_groups_hosted": 1}
    assert found[world.school.pk].counts == {"network_groups_joined": 1}
    assert found[world.imc.pk].counts == {}
    assert found[world.ddt.pk].score == pytest.approx(100 / 5)  # 1 of 5 sources


def test_events_count_organised_and_attended_by_staff(world):
    _event(world, world.ddt)
    other = _event(world, world.imc)
    Registration.objects.create(event=other, person=world.people["teacher"], mode="remote",
                                status=Registration.Status.REGISTERED)  # fmt: skip
    Registration.objects.create(event=other, person=world.people["student"], mode="remote",
                                status=Registration.Status.REGISTERED)  # fmt: skip

    found = participation_of([world.school.pk, world.ddt.pk, world.other_school.pk], TODAY)

    assert found[world.ddt.pk].counts == {"events": 1}
    assert found[world.school.pk].counts == {"events": 1}  # the teacher's, not the student's
    assert found[world.other_school.pk].counts == {}


def test_activity_outside_the_year_before_the_deadline_does_not_count(world):
    _event(world, world.ddt)

    found = participation_of([world.ddt.pk], TODAY - dt.timedelta(days=400))

    assert found[world.ddt.pk].counts == {}
