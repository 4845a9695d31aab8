"""Booking a shared resource on a phone, and its approval by the resource centre: the other
school's administrator asks for the laboratory from its week; school №3's director finds the
request on «Сегодня» and approves it. The public calendar pages pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from setka.resources.models import Booking, Status

from ..factories import PASSWORD
from ..resources.conftest import make_resources, next_monday
from .conftest import assert_accessible, sign_in


@pytest.fixture
def rw(world):
    return make_resources(world)


def test_book_on_a_phone_then_the_director_approves(phone_context, context, live_server, world, rw):
    page = phone_context.new_page()
    sign_in(page, live_server, "other_director", PASSWORD)
    page.goto(f"{live_server.url}/resources/")
    page.get_by_role("link", name="Лаборатория химии").click()
    page.get_by_role("link", name="следующая неделя").click()
    page.locator("li.day").first.get_by_role("link").click()

    page.get_by_label("Дата").fill(next_monday().isoformat())
    page.get_by_label("Начало").fill("10:00")
    page.get_by_label("Окончание").fill("11:30")
    page.get_by_label("Цель").fill("Лабораторная работа 9А")
    page.get_by_role("button", name="Отправить заявку").click()

    expect(page.locator(".messages")).to_contain_text("ждёт подтверждения")
    booking = Booking.objects.get()
    assert (booking.institution, booking.status) == (world.other_school, Status.PENDING)

    director = context.new_page()
    sign_in(director, live_server, "director", PASSWORD)
    section = director.locator("#resources-approve")
    expect(section).to_contain_text("Лаборатория химии")
    section.get_by_role("link").first.click()
    director.get_by_role("button", name="Подтвердить").click()

    expect(director.locator(".messages")).to_contain_text("Бронирование подтверждено")
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_the_public_calendars_are_accessible(page, live_server, world, rw):
    rw.book(world.users["director"], institution=world.school)
    for path in [
        "/resources/",
        f"/resources/{rw.lab.pk}/?week={next_monday().isoformat()}",
        f"/resources/{rw.lab.pk}/month/?month={next_monday():%Y-%m}",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
