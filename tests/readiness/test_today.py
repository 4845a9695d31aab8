"""The survey on «Сегодня»: a campaign to answer, a self-assessment to fill, the progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from setka.readiness import services

from .conftest import LEVELS

pytestmark = pytest.mark.django_db


def _home(client_for, role: str) -> str:
    return client_for(role).get(reverse("home")).content.decode()


def test_the_director_sees_the_campaign_to_answer_with_days_left(client_for, campaign, response):
    html = _home(client_for, "director")

    assert 'id="readiness-answer"' in html
    assert reverse("readiness:response", args=[response.pk]) in html
    assert "20" in html  # days left


def test_after_the_deadline_the_director_is_offered_to_ask(client_for, campaign, frozen_clock):
    frozen_clock.shift(dt.timedelta(days=21))

    html = _home(client_for, "director")

    assert 'id="readiness-answer"' in html
    assert "срок прошёл" in html


def test_the_teacher_sees_the_self_assessment_until_submitted_and_then_its_state(
    client_for, world, campaign
):
    before = _home(client_for, "teacher")
    services.self_assessment_save(actor=world.users["teacher"], campaign=campaign,
                                  levels=LEVELS, submit=True)  # fmt: skip
    after = _home(client_for, "teacher")

    assert 'id="readiness-self"' in before
    assert "Пройти самооценку" in before
    assert "отправлена" in after


def test_the_methodologist_sees_the_progress(client_for, campaign, submitted):
    html = _home(client_for, "metodist")

    assert 'id="readiness-progress"' in html
    assert "отправили 1 из 4" in html


@pytest.mark.parametrize("role", ["student", "parent", "other_parent"])
def test_nothing_for_those_the_survey_does_not_ask(client_for, campaign, role):
    assert "readiness-" not in _home(client_for, role)


def test_nothing_without_a_campaign(client_for, world):
    for role in ("director", "teacher", "metodist"):
        assert 'id="readiness-' not in _home(client_for, role)
