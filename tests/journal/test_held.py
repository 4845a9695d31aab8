"""A lesson is held once its bell has started: at 02:20 today's 5th lesson is neither
«Проведён» on its page nor counted by the completeness control (as «Без оценок»); after its
bell it is both. One rule (journal/held.py) for the page, the control and the queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from setka.journal.held import held_q, lesson_is_held
from setka.journal.models import Lesson
from setka.journal.services import structure

from ..clock import TODAY, at


@pytest.fixture
def fifth(world, jw) -> Lesson:
    """Today's 5th lesson of 7Б (maths), its bell at 12:00–12:40."""
    structure.bell_set(
        actor=world.users["director"],
        year=jw.year,
        number=5,
        starts_at=dt.time(12, 0),
        ends_at=dt.time(12, 40),
    )
    return Lesson.objects.create(
        institution=world.school,
        year=jw.year,
        period=jw.q2,
        group=jw.klass,
        subject=jw.maths,
        teacher=world.people["teacher"],
        date=TODAY,
        number=5,
    )


def _counted(client, world, lesson) -> bool:
    response = client.get(reverse("journal:completeness") + f"?institution={world.school.pk}")
    row = next(r for r in response.context["summary"] if r["subject_id"] == lesson.subject_id)
    held = Lesson.objects.filter(held_q(), group=lesson.group, subject=lesson.subject)
    assert row["held"] == held.filter(period=lesson.period).count()
    return held.filter(pk=lesson.pk).exists()


@pytest.mark.parametrize(
    ("hour", "minute", "held"), [(2, 20, False), (11, 59, False), (12, 0, True)]
)
def test_lesson_is_held_once_its_bell_has_started(world, jw, fifth, hour, minute, held):
    assert lesson_is_held(fifth, at(TODAY, hour, minute)) is held
    assert Lesson.objects.filter(held_q(at(TODAY, hour, minute)), pk=fifth.pk).exists() is held


def test_lessons_of_other_days_and_without_a_bell(world, jw, fifth):
    earlier = jw.lessons(period=jw.q2).filter(date__lt=TODAY).last()
    later = jw.lessons(period=jw.q2).filter(date__gt=TODAY).first()
    fifth.number = 7  # no bell rings for a 7th lesson: held from the start of its day
    fifth.save()
    moment = at(TODAY, 2, 20)
    assert [lesson_is_held(x, moment) for x in (earlier, later, fifth)] == [True, False, True]
    earlier.status = Lesson.Status.CANCELLED
    assert lesson_is_held(earlier, moment) is False


def test_lesson_page_and_completeness_at_night(client_for, world, jw, fifth):
    teacher, director = client_for("teacher"), client_for("director")
    with time_machine.travel(at(TODAY, 2, 20), tick=False):
        page = teacher.get(reverse("journal:lesson", args=[fifth.pk])).content.decode()
        assert "Проведён" not in page
        assert "Не проведён" in page
        assert _counted(director, world, fifth) is False
    with time_machine.travel(at(TODAY, 12, 5), tick=False):
        page = teacher.get(reverse("journal:lesson", args=[fifth.pk])).content.decode()
        assert "Проведён" in page
        assert _counted(director, world, fifth) is True
