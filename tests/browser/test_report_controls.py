"""Controls of the network pages: the «Только ресурсные центры» checkbox of the directory's
search form is square (pico rounds every control of a role=search form like a pill)."""

from __future__ import annotations

from django.urls import reverse


def test_directory_checkbox_is_square(page, live_server, world):
    page.goto(live_server.url + reverse("network:directory"))
    box = page.locator('input[type="checkbox"][name="resource"]')
    radius = box.evaluate("el => parseFloat(getComputedStyle(el).borderTopLeftRadius)")
    size = box.evaluate("el => el.getBoundingClientRect().width")
    assert radius < size / 4  # a radio button's is half its size
