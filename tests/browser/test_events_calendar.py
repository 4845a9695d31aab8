"""The municipal calendar in a browser: a teacher on a phone finds a seminar in the list,
registers online, and sees it on «Сегодня»; the public calendar pages pass axe."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from setka.events import services
from setka.events.models import Kind, Provider, Registration

from ..clock import TODAY, at
from ..factories import PASSWORD
from .conftest import assert_accessible, sign_in


@pytest.fixture
def seminar(world):
    starts = at(TODAY + dt.timedelta(days=2), 15)
    return services.event_create(
        actor=world.users["metodist"], institution=world.school, kind=Kind.SEMINAR,
        title="Семинар: формирующее оценивание", starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1), venue=world.school, room="Актовый зал",
        capacity_in_person=1, capacity_remote=10, provider=Provider.JITSI, status="published",
        hosts=[world.people["director"]],
    )  # fmt: skip


def test_register_on_a_phone_and_see_it_on_the_home(phone_context, live_server, world, seminar):
    page = phone_context.new_page()
    sign_in(page, live_server, "partner", PASSWORD)
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Семинар: формирующее оценивание").click()

    page.get_by_role("button", name="Записаться на онлайн-участие").click()

    expect(page.locator(".messages")).to_contain_text("Вы записаны")
    registration = Registration.objects.get(person=world.people["partner"])
    assert (registration.mode, registration.status) == ("remote", "registered")
    page.goto(f"{live_server.url}/")
    expect(page.locator("#events-upcoming")).to_contain_text("Семинар: формирующее оценивание")


def test_the_public_calendar_pages_are_accessible(page, live_server, world, seminar):
    day = TODAY + dt.timedelta(days=2)
    for path in ["/events/", f"/events/month/?m={day:%Y-%m}", f"/events/week/?d={day}",
                 f"/events/{seminar.pk}/", "/events/certificates/"]:  # fmt: skip
        page.goto(live_server.url + path)
        assert_accessible(page)
