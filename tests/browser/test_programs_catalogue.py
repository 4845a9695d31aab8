"""Network courses in the browser: a student on a phone finds a course by keyboard, applies
and sees the next class on «Сегодня»; a course of a network programme goes through the home
school's confirmation (from the director's «Сегодня») and the provider's decision. The
public catalogue, an offer and the map pass axe."""

from __future__ import annotations

from playwright.sync_api import expect

from setka.programs.models import Application

from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 - school №3's year: the student's grade
from ..programs.conftest import pw  # noqa: F401 - the programmes of the world
from .conftest import assert_accessible, sign_in


def test_student_applies_on_a_phone_and_sees_the_next_class(phone_context, live_server, world, pw):
    page = phone_context.new_page()
    sign_in(page, live_server, "student", PASSWORD)
    page.goto(f"{live_server.url}/programs/")

    search = page.get_by_role("searchbox")
    search.focus()
    page.keyboard.type("шахматы")
    page.keyboard.press("Enter")
    expect(page.locator("[role=status]")).to_contain_text("Найден 1 курс")
    page.get_by_role("link", name="Шахматы").click()
    page.get_by_label("Сообщение организации").fill("Играю с первого класса")
    page.get_by_role("button", name="Отправить заявку").click()

    expect(page.locator(".messages")).to_contain_text("Принято: место за вами.")
    assert Application.objects.get(offer=pw.elective).status == Application.Status.ACCEPTED
    page.goto(f"{live_server.url}/")
    expect(page.locator("#programs-courses")).to_contain_text("Шахматы")


def test_home_school_confirms_and_the_provider_accepts(context, live_server, world, pw):
    student = context.new_page()
    sign_in(student, live_server, "student", PASSWORD)
    student.goto(f"{live_server.url}/programs/offers/{pw.offer.pk}/")
    student.get_by_role("button", name="Отправить заявку").click()
    expect(student.locator(".messages")).to_contain_text("Сначала её подтверждает своя школа")

    director = context.browser.new_context(locale="ru-RU").new_page()
    sign_in(director, live_server, "director", PASSWORD)
    section = director.locator("#programs-decide")
    expect(section).to_contain_text("Робототехника")
    section.get_by_role("link", name="Ученикова Д.С. → «Робототехника»").click()
    director.get_by_role("button", name="Подтвердить").click()
    expect(director.locator(".messages")).to_contain_text("Заявка ждёт решения организации")

    provider = context.browser.new_context(locale="ru-RU").new_page()
    sign_in(provider, live_server, "ddt_admin", PASSWORD)
    provider.goto(f"{live_server.url}/programs/offers/{pw.offer.pk}/applications/")
    provider.get_by_role("button", name="Принять").click()

    expect(provider.locator(".messages")).to_contain_text("Заявка принята")
    application = Application.objects.get(offer=pw.offer)
    assert application.status == Application.Status.ACCEPTED
    assert application.member.group == pw.group


def test_public_programme_pages_are_accessible(page, live_server, world, pw):
    for path in [
        "/programs/",
        "/programs/?kind=elective&grade=7&free=on",
        f"/programs/offers/{pw.offer.pk}/",
        "/programs/map/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
