"""Query budgets: every page and list of the survey asks the same number of queries for a
few institutions and teachers as for many."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.core.clock import now
from setka.network.models import Membership
from setka.readiness import scoring
from setka.readiness.models import Response, SelfAssessment

from .. import factories as f
from .conftest import ANSWERS, LEVELS

pytestmark = pytest.mark.django_db
SIZES = [pytest.param(2, id="small"), pytest.param(9, id="large")]


@pytest.fixture
def grown(world, campaign):
    """``grow(n)``: n more schools in the campaign, each submitted with a teacher who has
    assessed themself, and school №3 submitted too."""

    def grow(n: int):
        for i in range(n):
            school = f.InstitutionFactory(
                municipality=world.municipality, short_name=f"Школа № {40 + i}", slug=f"extra-{i}"
            )
            teacher = f.PersonFactory(municipality=world.municipality)
            f.MembershipFactory(person=teacher, institution=school, role=Membership.Role.TEACHER)
            Response.objects.create(campaign=campaign, institution=school,
                                    version=campaign.responses.first().version)  # fmt: skip
            SelfAssessment.objects.create(campaign=campaign, person=teacher,
                                          municipality=world.municipality, status="submitted",
                                          submitted_at=now(), **LEVELS)  # fmt: skip
        campaign.responses.update(status=Response.Status.SUBMITTED, answers=ANSWERS)
        scoring.recompute_campaign(campaign)
        return campaign

    return grow


def _count(client, url, django_assert_num_queries, budget):
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("n", SIZES)
def test_dashboard_page(client_for, grown, n, django_assert_num_queries):
    campaign = grown(n)
    client = client_for("metodist")
    # session, user, roles, the header's person; campaign, rows, trend, competence
    _count(client, reverse("readiness:campaign", args=[campaign.pk]), django_assert_num_queries, 8)


@pytest.mark.parametrize("n", SIZES)
def test_dashboard_api(client_for, grown, n, django_assert_num_queries):
    campaign = grown(n)
    client = client_for("metodist")
    url = f"/api/v1/readiness/campaigns/{campaign.pk}/dashboard"
    _count(client, url, django_assert_num_queries, 7)


@pytest.mark.parametrize("n", SIZES)
def test_results_api(client_for, grown, n, django_assert_num_queries):
    campaign = grown(n)
    url = f"/api/v1/readiness/campaigns/{campaign.pk}/results?page_size=200"
    _count(client_for("metodist"), url, django_assert_num_queries, 7)


@pytest.mark.parametrize("n", SIZES)
def test_responses_api(client_for, grown, n, django_assert_num_queries):
    grown(n)
    url = "/api/v1/readiness/responses?page_size=200"
    _count(client_for("metodist"), url, django_assert_num_queries, 5)


@pytest.mark.parametrize("n", SIZES)
def test_institution_page(client_for, grown, n, django_assert_num_queries):
    grown(n)
    client = client_for("director")
    url = reverse("readiness:institution", args=["school-3"])
    # session, user, roles, the header's person; institution, history, competence,
    # checks
    _count(client, url, django_assert_num_queries, 8)


@pytest.mark.parametrize("n", SIZES)
def test_institution_api(client_for, world, grown, n, django_assert_num_queries):
    grown(n)
    url = f"/api/v1/readiness/institutions/{world.school.pk}"
    _count(client_for("director"), url, django_assert_num_queries, 7)


@pytest.mark.parametrize("n", SIZES)
def test_hub_and_home(client_for, grown, n, django_assert_num_queries):
    grown(n)
    client = client_for("metodist")
    client.get(reverse("home"))  # warm up what the other domains cache
    with django_assert_num_queries(6):
        assert client.get(reverse("readiness:index")).status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_response_page(client_for, world, grown, n, django_assert_num_queries):
    campaign = grown(n)
    response = campaign.responses.get(institution=world.school)
    client = client_for("metodist")
    # session, user, response, roles, questions, Setka's sources (two of the journal, two of the
    # programmes, two of the events), the person
    _count(client, reverse("readiness:response", args=[response.pk]), django_assert_num_queries, 12)
