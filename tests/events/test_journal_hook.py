"""The open lesson in the journal: a badge with a link on the lesson's page and in the diary
(and the diary API), with the journal's query budgets unchanged (the event is joined)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from setka.events import services
from setka.events.models import Event, Kind

from ..clock import at
from ..journal.conftest import jw  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_lesson(world, jw):
    lesson = jw.lessons(period=jw.q2).first()
    starts = at(lesson.date, 9)
    event = services.event_create(
        actor=world.users["metodist"], institution=world.school, kind=Kind.OPEN_LESSON,
        title="Открытый урок: дроби", starts_at=starts, ends_at=starts + dt.timedelta(minutes=40),
        venue=world.school, capacity_in_person=5, hosts=[world.people["teacher"]],
        group=jw.klass, subject=jw.maths, status="published",
    )  # fmt: skip
    Event.objects.filter(pk=event.pk).update(lesson=lesson)
    return lesson, event


def test_lesson_page_links_its_open_lesson(client_for, open_lesson):
    lesson, event = open_lesson
    client = client_for("teacher")

    html = client.get(reverse("journal:lesson", args=[lesson.pk])).content.decode()

    assert f'href="/events/{event.pk}/"' in html


def test_diary_shows_the_open_lesson(client_for, world, open_lesson):
    lesson, event = open_lesson
    client = client_for("student")

    html = client.get(reverse("journal:diary"), {"week": lesson.date.isoformat()}).content.decode()
    api = client.get(
        f"/api/v1/journal/students/{world.people['student'].pk}/diary",
        {"from": lesson.date.isoformat(), "to": lesson.date.isoformat()},
    ).json()

    assert f'href="/events/{event.pk}/"' in html
    opened = [
        ls["open_event_id"] for d in api["days"] for ls in d["lessons"] if ls["id"] == lesson.pk
    ]
    assert opened == [event.pk]


def test_a_draft_is_not_shown_in_the_diary(client_for, world, open_lesson):
    lesson, event = open_lesson
    Event.objects.filter(pk=event.pk).update(status="draft")

    html = client_for("student").get(reverse("journal:diary"), {"week": lesson.date.isoformat()})

    assert f'href="/events/{event.pk}/"' not in html.content.decode()
