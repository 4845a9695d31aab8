"""The readiness survey through the API: answers with clear errors, conflicts, versions,
self-assessments, checks, settings and the dashboard's data."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.readiness.models import Response, SelfAssessment

from .conftest import ANSWERS, LEVELS

pytestmark = pytest.mark.django_db
A = "/api/v1/readiness"


def _patch(client, url, data, **extra):
    return client.patch(url, data, content_type="application/json", **extra)


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_answers_are_checked_by_question_and_nothing_is_half_written(client_for, response):
    client = client_for("director")

    answer = _patch(client, f"{A}/responses/{response.pk}/answers",
                    {"answers": {"vc_kits": -1, "wifi": "да", "vc_rooms": 1}})  # fmt: skip

    assert answer.status_code == 422
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert errors == {
        "vc_kits": "Число не может быть отрицательным.",
        "wifi": "Ответьте «да» или «нет».",
    }
    response.refresh_from_db()
    assert response.answers == {}


def test_answers_are_saved_merged_and_submitted(client_for, response):
    client = client_for("director")

    first = _patch(client, f"{A}/responses/{response.pk}/answers", {"answers": {"vc_kits": 3}})
    second = _patch(client, f"{A}/responses/{response.pk}/answers",
                    {"answers": {"vc_rooms": 1, "vc_kits": None}})  # fmt: skip
    done = _post(client, f"{A}/responses/{response.pk}/submit", {"answers": ANSWERS})

    assert first.json()["answers"]["vc_kits"] == 3
    assert "vc_kits" not in second.json()["answers"]
    body = done.json()
    assert done.status_code == 200
    assert body["status"] == "submitted"
    assert body["scores"]["index"] > 80
    assert body["levels"] == {
        "join_remote": "ready",
        "host_lesson": "ready",
        "host_course": "ready",
    }


def test_a_submission_without_required_answers_names_each(client_for, response):
    answer = _post(client_for("director"), f"{A}/responses/{response.pk}/submit",
                   {"answers": {"vc_kits": 1}})  # fmt: skip

    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert {"vc_rooms", "bandwidth_contracted", "settlement"} <= fields
    assert "bandwidth_measured" not in fields  # optional


def test_after_the_deadline_a_409_names_the_answers_state(client_for, response, frozen_clock):
    frozen_clock.shift(dt.timedelta(days=25))

    answer = _patch(client_for("director"), f"{A}/responses/{response.pk}/answers",
                    {"answers": {"vc_kits": 1}})  # fmt: skip

    body = answer.json()
    assert answer.status_code == 409
    assert answer["Content-Type"] == "application/problem+json"
    assert body["response"]["id"] == response.pk
    assert body["response"]["deadline"] == response.campaign.deadline.isoformat()
    assert "Срок" in body["detail"]


def test_reopening_through_the_api(client_for, submitted):
    director, metodist = client_for("director"), None
    asked = _post(director, f"{A}/responses/{submitted.pk}/reopen-request", {"reason": "Канал"})
    metodist = client_for("metodist")
    reopened = _post(metodist, f"{A}/responses/{submitted.pk}/reopen", {})

    assert asked.json()["reopen_reason"] == "Канал"
    assert reopened.json()["status"] == "draft"
    assert reopened.json()["editable"] is False or reopened.json()["reopened_until"]


def test_a_question_change_makes_a_version_and_answers_keep_theirs(
    client_for, questionnaire, submitted
):
    client = client_for("metodist")

    changed = _patch(client, f"{A}/questionnaires/{questionnaire.pk}/questions/vc_kits",
                     {"text": "Комплекты ВКС", "weight": 3})  # fmt: skip
    kept = client.get(f"{A}/responses/{submitted.pk}")
    old = client.get(f"{A}/questionnaires/{questionnaire.pk}?version=1")

    assert changed.json()["version"] == 2
    assert kept.json()["version"] == 1
    old_kits = next(q for q in old.json()["questions"] if q["code"] == "vc_kits")
    assert old_kits["text"] != "Комплекты ВКС"


def test_a_bad_question_is_a_422_on_its_field(client_for, questionnaire):
    answer = _post(client_for("metodist"), f"{A}/questionnaires/{questionnaire.pk}/questions",
                   {"code": "pick", "dimension": "staff", "kind": "single", "text": "?",
                    "choices": [{"value": "a", "label": "A"}]})  # fmt: skip

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "choices"


def test_the_teacher_saves_and_submits_their_self_assessment(client_for, world, campaign):
    client = client_for("teacher")

    draft = client.put(f"{A}/self-assessments/{campaign.pk}", {"levels": {"office": 2}},
                       content_type="application/json")  # fmt: skip
    partial = client.put(
        f"{A}/self-assessments/{campaign.pk}",
        {"levels": {"video": 1}, "submit": True},
        content_type="application/json",
    )
    done = client.put(f"{A}/self-assessments/{campaign.pk}", {"levels": LEVELS, "submit": True},
                      content_type="application/json")  # fmt: skip
    mine = client.get(f"{A}/self-assessments").json()

    assert draft.json()["status"] == "draft"
    assert partial.status_code == 422
    assert done.json()["status"] == "submitted"
    assert mine[0]["levels"] == LEVELS
    assert SelfAssessment.objects.filter(person=world.people["teacher"]).count() == 1


def test_a_level_out_of_range_is_a_422(client_for, campaign):
    answer = client_for("teacher").put(
        f"{A}/self-assessments/{campaign.pk}",
        {"levels": {"office": 7}},
        content_type="application/json",
    )

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "levels.office"


def test_a_speed_test_through_the_api_goes_into_the_answers(client_for, world, response):
    answer = _post(client_for("director"), f"{A}/institutions/{world.school.pk}/speed-tests",
                   {"download_mbps": 80, "upload_mbps": 35.5})  # fmt: skip

    assert answer.status_code == 201
    assert answer.json()["response_id"] == response.pk
    response.refresh_from_db()
    assert response.answers["bandwidth_upload"] == 35.5


def test_settings_refuse_a_partly_threshold_above_ready(client_for):
    answer = _patch(client_for("metodist"), f"{A}/settings", {"join_partly": 90, "join_ready": 50})

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "join_partly"


def test_the_institution_endpoint_gives_capabilities_gaps_and_history(client_for, world, submitted):
    body = client_for("director").get(f"{A}/institutions/{world.school.pk}").json()

    assert body["capabilities"]["can_host_remote"] is True
    assert body["latest"]["index"] == submitted.index
    assert [h["response_id"] for h in body["history"]] == [submitted.pk]
    # the world's school: one teacher, who has not assessed themself; no network groups yet
    assert {g["code"] for g in body["gaps"]} == {"no_self_assessment", "no_network_participation"}


def test_the_dashboard_data_matches_the_page(client_for, campaign, submitted):
    body = client_for("metodist").get(f"{A}/campaigns/{campaign.pk}/dashboard").json()

    assert body["progress"] == {"pending": 3, "draft": 0, "submitted": 1, "total": 4,
                                "reopen_requests": 0}  # fmt: skip
    assert body["averages"]["index"] == submitted.index
    assert body["forms"]["host_lesson"]["ready"] == 1
    assert [r["institution"] for r in body["institutions"]][:1] == ["ДДТ"]
    assert len(body["competence"]["skills"]) == 6


def test_a_campaign_is_started_and_closed_through_the_api(client_for, world):
    from ..clock import TODAY

    client = client_for("metodist")
    created = _post(client, f"{A}/campaigns", {
        "title": "Весна", "starts_on": TODAY.isoformat(), "kinds": ["school"],
        "deadline": (TODAY + dt.timedelta(days=10)).isoformat()})  # fmt: skip
    bad = _post(client, f"{A}/campaigns", {
        "title": "Назад", "starts_on": TODAY.isoformat(),
        "deadline": (TODAY - dt.timedelta(days=1)).isoformat()})  # fmt: skip
    closed = _patch(client, f"{A}/campaigns/{created.json()['id']}", {"closed": True})

    assert created.status_code == 201
    assert Response.objects.filter(campaign_id=created.json()["id"]).count() == 2  # two schools
    assert bad.status_code == 422
    assert closed.json()["status"] == "closed"


def test_the_dashboard_json_is_kept_per_revision_and_filters(
    client_for, campaign, submitted, django_assert_max_num_queries
):
    """The dashboard's JSON is the same for everyone who may see the campaign: made once per
    revision, language and filters, and made again after a write gives a new revision."""
    from setka.readiness import revision

    client = client_for("metodist")
    url = f"{A}/campaigns/{campaign.pk}/dashboard"
    first = client.get(url)
    with django_assert_max_num_queries(4):  # session, user, roles, the campaign: kept JSON
        again = client.get(url)
    filtered = client.get(url, {"status": "submitted"})

    assert again.content == first.content
    assert again["Content-Type"].startswith("application/json")
    assert [r["institution"] for r in filtered.json()["institutions"]] == ["Школа № 3"]
    assert len(first.json()["institutions"]) == 4

    Response.objects.filter(pk=submitted.pk).update(index=12.5)
    revision.changed(campaign.municipality_id)

    assert client.get(url).json()["averages"]["index"] == 12.5
    assert client_for("teacher").get(url).status_code in (403, 404)  # kept JSON, same rights
