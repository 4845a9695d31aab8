"""Notifications in the browser: a teacher's mark -> the parent signs in, sees the bell's
count, opens the notification and lands on the child's diary week with the mark; the bell is
then empty. On a phone, by keyboard as well."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from setka.journal.services import records

from ..clock import d
from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from .conftest import sign_in

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def marked(world, jw):
    """The teacher's 5 in maths on Monday, committed (so it has been told)."""
    return records.mark_create(
        actor=world.users["teacher"],
        lesson=jw.lessons().get(date=d(2026, 11, 23)),
        student=world.people["student"],
        value=5,
    )


def test_parent_sees_the_bell_and_opens_the_mark_in_the_diary(page, live_server, world, marked):
    sign_in(page, live_server, "parent", PASSWORD)

    bell = page.locator("#bell")
    expect(bell.locator(".bell-count")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", re.compile("1"))
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    note = page.get_by_role("link", name=re.compile("Новая отметка 5"))
    expect(note).to_contain_text("Дарья Ученикова")
    note.click()

    expect(page).to_have_url(re.compile(rf"/journal/diary/\?student={world.people['student'].pk}"))
    expect(page.locator("h1")).to_contain_text("Дарья Ученикова")
    expect(page.locator(".diary-mark", has_text="5").first).to_be_visible()
    expect(page.locator("#bell .bell-count")).to_have_count(0)


def test_parent_on_a_phone_reaches_the_notification_by_keyboard(
    phone_context, live_server, world, marked
):
    page = phone_context.new_page()
    sign_in(page, live_server, "parent", PASSWORD)

    page.locator("#bell").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    page.get_by_role("link", name=re.compile("Новая отметка 5")).focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/journal/diary/"))
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
