"""The diary on a phone: the parent signs in, opens the diary from the home page, switches to
the second child and goes back a week — with no horizontal scrolling at 360 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from setka.network.models import Person

from ..clock import iso
from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from ..journal.test_diary import dw, filled  # noqa: F401
from .conftest import assert_accessible, sign_in

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.usefixtures("filled")
def test_diary_parent_on_a_phone_switches_child_and_week(phone_context, live_server, world):
    page = phone_context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    student = world.people["student"]
    second = Person.objects.get(given_name="Алина")
    sign_in(page, live_server, "parent", PASSWORD)

    page.locator(f'#main a[href="/journal/diary/?student={student.pk}"]').click()
    expect(page.locator("h1")).to_contain_text("Дарья Ученикова")
    expect(page.locator(".diary-day")).to_have_count(6)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    this_monday = page.locator("#diary-week").input_value()

    page.locator(".diary-children").get_by_role("link", name="Алина Ученикова").click()
    expect(page.locator("h1")).to_contain_text("Алина Ученикова")
    expect(page.locator('.diary-children [aria-current="page"]')).to_have_text("Алина Ученикова")

    prev = page.locator('.diary-nav a[rel="prev"]')
    prev_href = prev.get_attribute("href")
    prev.click()
    expect(page).to_have_url(re.compile(re.escape(prev_href) + "$"))
    expect(page).to_have_url(re.compile(rf"student={second.pk}"))
    expect(page.locator("h1")).to_contain_text("Алина Ученикова")
    assert page.locator("#diary-week").input_value() < this_monday
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


@pytest.mark.usefixtures("world", "filled")
def test_diary_week_with_lessons_fits_a_phone_and_is_accessible(phone_context, live_server):
    page = phone_context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, "parent", PASSWORD)

    page.goto(f"{live_server.url}/journal/diary/?week={iso(2026, 11, 23)}")

    expect(page.locator(".diary-mark").first).to_be_visible()
    expect(page.locator(".diary-homework").first).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page, context="#main")
    page.goto(f"{live_server.url}/journal/diary/summary/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page, context="#main")
