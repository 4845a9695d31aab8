"""The readiness survey of the demo (``setka.readiness.demo``) on the reduced demo: two
campaigns for every demo institution with a realistic spread, every teacher's
self-assessments, and a second run that adds nothing. Built once for the module inside a
transaction that is rolled back at the end."""

from __future__ import annotations

import pytest
import time_machine
from django.db import transaction

from setka.network.demo import build_demo
from setka.network.models import Institution, Membership
from setka.readiness.models import Campaign, Response, SelfAssessment
from setka.readiness.selectors import trend, venue_capabilities

from .. import clock

TODAY = clock.TODAY


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
def campaigns(demo, db):
    return list(Campaign.objects.order_by("starts_on"))


def _response(campaign, slug) -> Response:
    return Response.objects.get(campaign=campaign, institution__slug=slug)


def test_two_campaigns_ask_every_demo_institution(demo, campaigns):
    last, this = campaigns

    assert len(campaigns) == 2
    assert last.closed_at is not None
    assert this.is_open
    everyone = Institution.objects.count()
    assert last.responses.count() == this.responses.count() == everyone
    assert set(this.responses.values_list("status", flat=True)) == {"pending", "draft",
                                                                      "submitted"}  # fmt: skip


def test_school_3_is_fully_ready(campaigns):
    school = _response(campaigns[1], "school-3")

    assert (school.join_remote, school.host_lesson, school.host_course) == ("ready",) * 3
    assert school.index > 85
    assert venue_capabilities([school.institution_id])[school.institution_id].can_host_remote


@pytest.mark.parametrize("slug", ["baklashi-school", "olkha-school", "podkamennaya-school"])
def test_village_schools_on_slow_links_cannot_take_part_remotely(campaigns, slug):
    school = _response(campaigns[1], slug)

    assert school.can_join is False
    assert school.bandwidth_mbps < 5
    assert "no_vc_equipment" in {g["code"] for g in school.gaps}


def test_some_village_links_are_below_the_minimum_for_a_video_stream(campaigns):
    slow = campaigns[1].responses.filter(bandwidth_mbps__lt=2)

    assert slow.filter(
        institution__slug__in=[
            "baklashi-school",
            "olkha-school",
            "podkamennaya-school",
            "dk-baklashi",
        ]
    ).exists()


def test_the_spread_and_the_trend_are_real(demo, campaigns):
    indexes = [r.index for r in campaigns[1].responses.exclude(index=None)]
    points = trend(demo.municipality.pk)

    assert max(indexes) - min(indexes) > 50
    assert [p["campaign_id"] for p in points] == [c.pk for c in campaigns]
    assert points[1]["index"] > points[0]["index"]
    before, after = (_response(c, "bolshoy-lug-school") for c in campaigns)
    assert (before.can_join, after.can_join) == (False, True)


def test_every_teacher_assessed_themself(campaigns):
    teachers = set(
        Membership.objects.active(TODAY).filter(role="teacher").values_list("person_id", flat=True)
    )
    assessed = set(SelfAssessment.objects.filter(campaign=campaigns[1])
                   .values_list("person_id", flat=True))  # fmt: skip

    assert assessed == teachers
    assert _response(campaigns[1], "school-3").teachers_assessed > 10


def test_a_second_run_adds_nothing(demo, campaigns):
    before = (Response.objects.count(), SelfAssessment.objects.count())

    with time_machine.travel(clock.at(TODAY), tick=True):
        build_demo(students_per_class=2, today=TODAY)

    assert (Response.objects.count(), SelfAssessment.objects.count()) == before
