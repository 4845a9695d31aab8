"""The municipal calendar of the demo, on the reduced demo (built once for the module, rolled
back at the end)."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction

from setka.events.models import Event, Kind, Protocol, Registration, Status
from setka.network.demo import build_demo

from .. import clock
from ..journal.test_demo_journal import TODAY


@pytest.fixture
def frozen_clock(_frozen_session_clock):
    with time_machine.travel(clock.at(TODAY), tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(clock.at(TODAY), tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        ctx = build_demo(students_per_class=2, today=TODAY)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def teacher(demo, db):
    return get_user_model().objects.select_related("person").get(username="teacher").person


def test_demo_teacher_hosts_an_open_lesson_of_the_journal_with_protocols(teacher):
    lesson = Event.objects.get(hosts=teacher, kind=Kind.OPEN_LESSON)

    assert lesson.status == Status.FINISHED
    assert lesson.lesson is not None
    assert lesson.lesson.teacher_id == teacher.pk
    assert lesson.provider == "jitsi"
    assert lesson.recording_url
    assert Protocol.objects.filter(event=lesson).count() == 4
    assert Registration.objects.filter(event=lesson, joined_at__isnull=False).exists()


def test_demo_teacher_is_registered_for_some_coming_events(teacher):
    coming = Registration.objects.filter(person=teacher, event__starts_at__gt=clock.at(TODAY))

    assert {r.event.kind for r in coming} >= {Kind.WEBINAR, Kind.MASTER_CLASS, Kind.ASSOCIATION}


def test_demo_calendar_has_every_kind_and_a_series(demo):
    kinds = set(Event.objects.values_list("kind", flat=True))

    assert kinds >= {Kind.OPEN_LESSON, Kind.WEBINAR, Kind.MASTER_CLASS, Kind.ASSOCIATION}
    assert Event.objects.filter(series__isnull=False).count() == 5
    assert Event.objects.filter(title__startswith="Групповой просмотр").count() == 3


def test_second_build_adds_nothing(demo):
    before = Event.objects.count()

    build_demo(students_per_class=2, today=TODAY)

    assert Event.objects.count() == before
