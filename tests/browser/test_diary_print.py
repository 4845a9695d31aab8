"""The diary's week on paper: printed, the page shows the week's days and the student's
name, and none of the menu, the week switches, the forms or the footer."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from ..journal.test_diary import WEEK, dw, filled  # noqa: F401 (the diary's world)
from .conftest import sign_in


def test_diary_week_prints_only_the_days(page, live_server, world, filled):
    sign_in(page, live_server, "parent", PASSWORD)
    page.goto(live_server.url + reverse("journal:diary") + f"?week={WEEK.isoformat()}")
    expect(page.locator(".site-header")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".diary-goto")).to_be_hidden()
    expect(page.locator(".diary-digest")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    days = page.locator("article.diary-day")
    assert days.count() == 6
    expect(days.first).to_be_visible()
    assert days.first.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
