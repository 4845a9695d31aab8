"""The readiness survey in the browser: the director answers on a phone and submits, the
bandwidth check runs its script against the server and records the result, the teacher
assesses themself by keyboard, the methodologist sorts and filters the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from setka.readiness import services
from setka.readiness.models import Response, SelfAssessment, SpeedTest

from ..clock import TODAY
from ..factories import PASSWORD
from ..readiness.conftest import ANSWERS
from .conftest import sign_in


@pytest.fixture
def campaign(world):
    questionnaire = services.questionnaire_create(
        actor=world.users["metodist"], municipality=world.municipality, title="Анкета ИКТ"
    )
    return services.campaign_create(
        actor=world.users["metodist"], municipality=world.municipality, title="Готовность 2026",
        questionnaire=questionnaire, starts_on=TODAY - dt.timedelta(days=3),
        deadline=TODAY + dt.timedelta(days=20),
    )  # fmt: skip


def _response(world, campaign) -> Response:
    return Response.objects.get(campaign=campaign, institution=world.school)


def test_director_answers_on_a_phone_and_submits(phone_context, live_server, world, campaign):
    page = phone_context.new_page()
    response = _response(world, campaign)
    sign_in(page, live_server, "director", PASSWORD)
    page.goto(f"{live_server.url}/readiness/responses/{response.pk}/")

    page.get_by_label("Сколько комплектов видеоконференцсвязи").fill("-1")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_role("alert")).to_contain_text("Исправьте")
    expect(page.locator("#field-vc_kits")).to_contain_text("не может быть отрицательным")

    for code, value in ANSWERS.items():
        field = page.locator(f"#field-{code}")
        if isinstance(value, bool):
            field.get_by_label("да" if value else "нет", exact=True).check()
        elif isinstance(value, list):
            for option in value:
                field.locator(f"input[value='{option}']").check()
        elif code in ("settlement", "elearning_environment", "connection_type",
                      "digital_confidence"):  # fmt: skip
            field.locator(f"input[value='{value}']").check()
        else:
            field.locator("input").fill(str(value))
    page.get_by_role("button", name="Отправить ответы").click()

    expect(page.locator(".messages")).to_contain_text("Ответы отправлены")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Индекс готовности")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    response.refresh_from_db()
    assert response.status == "submitted"


def test_the_bandwidth_check_measures_and_records(page, live_server, world, campaign):
    sign_in(page, live_server, "director", PASSWORD)
    page.goto(f"{live_server.url}/readiness/institutions/school-3/bandwidth/")

    page.get_by_role("button", name="Начать проверку").click()

    expect(page.locator("#bandwidth-status")).to_contain_text("Результат сохранён", timeout=60_000)
    test = SpeedTest.objects.get()
    assert test.download_mbps > 0
    assert test.upload_mbps > 0
    assert _response(world, campaign).answers["bandwidth_measured"] == test.download_mbps


def test_teacher_assesses_themself_by_keyboard(page, live_server, world, campaign):
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(f"{live_server.url}/readiness/self-assessment/")

    for name in ("office", "internet", "distance", "video", "journal", "content"):
        page.locator(f"input[name='{name}'][value='2']").focus()
        page.keyboard.press("Space")
    page.locator("button[value='submit']").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Спасибо")
    assessment = SelfAssessment.objects.get(person=world.people["teacher"])
    assert assessment.status == "submitted"
    assert assessment.levels() == dict.fromkeys(assessment.levels(), 2)


def test_methodologist_sorts_and_filters_the_dashboard(page, live_server, world, campaign):
    services.response_save(actor=world.users["director"], response=_response(world, campaign),
                           values=ANSWERS, submit=True)  # fmt: skip
    sign_in(page, live_server, "metodist", PASSWORD)
    page.goto(f"{live_server.url}/readiness/campaigns/{campaign.pk}/")

    expect(page.get_by_role("img", name="Готовность к каждой сетевой форме")).to_be_visible()
    page.locator("th a", has_text="Индекс").click()
    expect(page.locator("table.readiness-table tbody tr").first).to_contain_text("Школа № 3")
    page.get_by_label("Статус").select_option("pending")
    page.get_by_role("button", name="Показать").click()

    rows = page.locator("table.readiness-table tbody th")
    expect(rows).to_have_count(3)
    expect(page.locator("table.readiness-table")).not_to_contain_text("Школа № 3")
