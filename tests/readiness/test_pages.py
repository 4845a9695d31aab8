"""The readiness pages: what each role sees and does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from setka.readiness import services
from setka.readiness.models import Response, SelfAssessment, SpeedTest

from .conftest import ANSWERS, LEVELS

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def test_the_hub_shows_each_role_its_part(client_for, campaign, response):
    metodist = _html(client_for("metodist").get(reverse("readiness:index")))
    assert campaign.title in metodist
    assert reverse("readiness:campaign_create") in metodist

    director = _html(client_for("director").get(reverse("readiness:index")))
    assert reverse("readiness:response", args=[response.pk]) in director
    assert reverse("readiness:campaign_create") not in director

    teacher = _html(client_for("teacher").get(reverse("readiness:index")))
    assert reverse("readiness:self_assessment") in teacher


def test_the_dashboard_lists_the_institutions_with_their_scores(client_for, campaign, submitted):
    page = client_for("metodist").get(reverse("readiness:campaign", args=[campaign.pk]))

    html = _html(page)
    assert page.status_code == 200
    assert "Школа № 3" in html
    assert f"{submitted.index:.1f}".replace(".", ",") in html
    assert 'id="chart-map-title"' not in html  # the world's institutions have no coordinates
    assert 'id="chart-forms-title"' in html
    assert page["Cache-Control"] == "private, no-store"


def test_the_dashboard_filters_and_sorts(client_for, campaign, submitted):
    url = reverse("readiness:campaign", args=[campaign.pk])
    client = client_for("metodist")

    submitted_only = client.get(url, {"status": "submitted"}).context["board"].rows
    by_index = client.get(url, {"sort": "index", "order": "desc"}).context["board"].rows
    schools = client.get(url, {"group": "general", "q": "школа"}).context["board"].rows

    assert [r["name"] for r in submitted_only] == ["Школа № 3"]
    assert by_index[0]["name"] == "Школа № 3"  # the only one with a result; no data last
    assert {r["name"] for r in schools} == {"Школа № 3", "Школа № 5"}


def test_the_director_fills_in_saves_and_submits(client_for, response):
    client = client_for("director")
    url = reverse("readiness:response", args=[response.pk])

    form = client.get(url)
    assert 'name="q-students_total" value="1"' in _html(form)  # prefilled from Setka

    draft = client.post(url, {"q-vc_kits": "3", "q-bandwidth_contracted": "12,5", "action": "save"})
    response.refresh_from_db()
    assert draft.status_code == 302
    assert response.answers["bandwidth_contracted"] == 12.5

    data = {f"q-{k}": ("yes" if v is True else v) for k, v in ANSWERS.items()}
    data.update({"seen-distance_technologies": "1", "seen-vc_services": "1",
                 "seen-network_forms": "1", "action": "submit"})  # fmt: skip
    done = client.post(url, data)
    response.refresh_from_db()
    assert done.status_code == 302
    assert response.status == Response.Status.SUBMITTED
    assert response.index is not None


def test_a_wrong_answer_on_the_form_shows_its_message_and_keeps_the_rest(client_for, response):
    url = reverse("readiness:response", args=[response.pk])

    page = client_for("director").post(url, {"q-vc_kits": "-2", "q-wifi": "yes", "action": "save"})

    assert page.status_code == 422
    html = _html(page)
    assert "aria-invalid" in html
    assert 'value="yes" checked' in html
    response.refresh_from_db()
    assert response.answers == {}


def test_after_the_deadline_the_form_is_closed_and_offers_to_ask(
    client_for, response, frozen_clock
):
    frozen_clock.shift(dt.timedelta(days=25))
    url = reverse("readiness:response", args=[response.pk])
    client = client_for("director")

    page = client.get(url)
    posted = client.post(url, {"q-vc_kits": "3", "action": "save"})

    assert 'name="q-vc_kits"' not in _html(page)
    assert reverse("readiness:reopen_request", args=[response.pk]) in _html(page)
    assert posted.status_code == 302
    response.refresh_from_db()
    assert response.answers == {}


def test_the_institution_page_shows_scores_gaps_and_history(client_for, world, submitted):
    page = client_for("director").get(reverse("readiness:institution", args=["school-3"]))

    html = _html(page)
    assert page.status_code == 200
    assert page.context["latest"] == submitted
    assert "inst-dimensions-title" in html


def test_the_teacher_assesses_themself_on_the_page(client_for, world, campaign):
    client = client_for("teacher")
    url = reverse("readiness:self_assessment")

    assert client.get(url).status_code == 200
    bad = client.post(url, {"office": "2", "action": "submit"})
    good = client.post(url, {**{k: str(v) for k, v in LEVELS.items()}, "action": "submit"})

    assert bad.status_code == 422
    assert good.status_code == 302
    assert SelfAssessment.objects.get(person=world.people["teacher"]).status == "submitted"


def test_the_bandwidth_check_serves_random_bytes_never_stored(client_for, world):
    response = client_for("director").get(reverse("readiness:bandwidth_download"), {"size": "0.5"})

    body = b"".join(response.streaming_content)
    assert len(body) == 512 * 1024
    assert response["Content-Length"] == str(512 * 1024)
    assert "no-store" in response["Cache-Control"]
    assert "no-transform" in response["Cache-Control"]
    assert len(set(body[:4096])) > 200  # random, not compressible


def test_the_bandwidth_upload_is_read_and_thrown_away_within_the_limit(client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = client_for("director")
    url = reverse("readiness:bandwidth_upload")

    ok = client.post(url, b"x" * 300_000, content_type="application/octet-stream")
    too_big = client.post(url, b"x" * 2_000_000, content_type="application/octet-stream")

    assert ok.json()["bytes"] == 300_000
    assert too_big.status_code == 413


def test_the_script_records_the_result_with_the_answers(client_for, world, response):
    url = reverse("readiness:bandwidth", args=["school-3"])

    answer = client_for("director").post(
        url, {"download_mbps": "54.3", "upload_mbps": "20", "latency_ms": "18"},
        HTTP_X_REQUESTED_WITH="fetch",
    )  # fmt: skip

    assert answer.json()["saved_in_answers"] is True
    response.refresh_from_db()
    assert response.answers["bandwidth_measured"] == 54.3
    assert SpeedTest.objects.get().latency_ms == 18


def test_a_bad_result_is_a_clear_422(client_for, world):
    url = reverse("readiness:bandwidth", args=["school-3"])

    answer = client_for("director").post(
        url, {"download_mbps": "fast"}, HTTP_X_REQUESTED_WITH="fetch"
    )

    assert answer.status_code == 422
    assert "download_mbps" in answer.json()["errors"]


def test_the_methodologist_edits_the_questionnaire_and_settings(
    client_for, questionnaire, submitted
):
    client = client_for("metodist")

    page = client.get(reverse("readiness:questionnaire", args=[questionnaire.pk]))
    edited = client.post(
        reverse("readiness:question_edit", args=[questionnaire.pk, "vc_kits"]),
        {"text": "Комплекты ВКС", "dimension": "videoconferencing", "kind": "number",
         "weight": "4", "score_target": "2", "position": "10", "integer": "on", "required": "on"},
    )  # fmt: skip
    settings = client.post(
        reverse("readiness:settings"), {**_settings_defaults(), "weight_staff": "0"}
    )

    assert page.status_code == 200
    assert edited.status_code == 302
    assert questionnaire.versions.count() == 2
    assert settings.status_code == 302


def _settings_defaults() -> dict[str, str]:
    from setka.readiness.index import SETTINGS_FIELDS
    from setka.readiness.models import IndexSettings

    defaults = IndexSettings()
    return {f: str(getattr(defaults, f)) for f in SETTINGS_FIELDS}


def test_the_exports_are_files_with_every_institution(client_for, campaign, submitted):
    client = client_for("metodist")

    xlsx = client.get(reverse("readiness:campaign_xlsx", args=[campaign.pk]))
    pdf = client.get(reverse("readiness:campaign_pdf", args=[campaign.pk]))

    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]


def test_a_campaign_is_started_from_the_page_with_setkas_questionnaire(client_for, world):
    from ..clock import TODAY

    page = client_for("metodist").post(reverse("readiness:campaign_create"), {
        "title": "Весна", "starts_on": TODAY.isoformat(),
        "deadline": (TODAY + dt.timedelta(days=14)).isoformat(), "teachers_asked": "on",
    })  # fmt: skip

    assert page.status_code == 302
    assert (
        services.current_version(
            world.municipality.readiness_questionnaires.get()
        ).questions.count()
        > 20
    )


def test_the_cached_dashboard_shows_a_submission_at_once(client_for, world, campaign, response):
    """The dashboard is cached per campaign revision: a submission gives a new revision, so the
    next page shows it (no stale page for as long as the cache lives)."""
    client = client_for("metodist")
    url = reverse("readiness:campaign", args=[campaign.pk])
    before = client.get(url).context["board"]
    assert before.progress["submitted"] == 0

    saved = services.response_save(
        actor=world.users["director"], response=response, values=ANSWERS, submit=True
    )

    after = client.get(url).context["board"]
    assert after.progress["submitted"] == 1
    assert f"{saved.index:.1f}".replace(".", ",") in _html(client.get(url))


def test_the_cached_dashboard_follows_a_campaign_change(client_for, world, campaign):
    client = client_for("metodist")
    url = reverse("readiness:campaign", args=[campaign.pk])
    assert "Готовность 2027" not in _html(client.get(url))
    campaign.refresh_from_db()

    services.campaign_update(
        actor=world.users["metodist"], campaign=campaign, title="Готовность 2027"
    )

    assert "Готовность 2027" in _html(client.get(url))
