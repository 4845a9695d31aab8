"""The header and the menu in the browser (issue 8): one row on a phone, the open menu inside
the screen, the wide menu on one row at 1366 px, breadcrumbs where the title starts."""

from __future__ import annotations

import pytest

from ..factories import PASSWORD
from .conftest import sign_in

ROLES = ["director", "metodist", "admin", "teacher", "student", "parent"]


@pytest.fixture(autouse=True)
def _warm_server(live_server):
    """The first page of a cold server on a busy machine can take longer than Playwright's
    10 s: ask for the sign-in page once (templates, static files) before the browser does."""
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=60) as answer:  # noqa: S310
        answer.read()


def _row_of_the_header(page) -> list[float]:
    """The vertical centres of every visible item of the header."""
    centres = []
    for item in page.locator(".site-header nav > ul > li").all():
        box = item.bounding_box()
        if box and box["height"]:
            centres.append(box["y"] + box["height"] / 2)
    return centres


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


@pytest.mark.parametrize("role", ROLES)
def test_phone_header_is_one_row_and_the_open_menu_fits(phone_context, live_server, world, role):
    page = phone_context.new_page()
    sign_in(page, live_server, role, PASSWORD)

    centres = _row_of_the_header(page)
    header = _box(page, ".site-header")
    summary = _box(page, ".site-header details.menu > summary")
    # The brand, the bell and «Menu» share one row (the person and «Sign out» are in the
    # menu), and the content starts right below it.
    assert len(centres) >= 2
    assert max(centres) - min(centres) < 8
    assert header["height"] < 2 * summary["height"] + 40
    assert _box(page, "#main")["y"] < header["y"] + header["height"] + 40

    page.locator(".site-header details.menu > summary").click()
    menu = _box(page, ".site-header details.menu > ul")
    assert menu["x"] >= 0
    assert menu["x"] + menu["width"] <= 390
    for link in page.locator(".site-header details.menu > ul a").all():
        box = link.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= 390, link.inner_text()


@pytest.mark.parametrize("role", ["director", "admin"])
def test_wide_menu_is_one_row_at_1366(browser, live_server, world, role):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, role, PASSWORD)

    assert page.locator(".site-header .menu-wide > li").count() == 7  # six entries, «More»
    centres = _row_of_the_header(page)
    assert max(centres) - min(centres) < 8
    page.locator(".site-header details.menu-more > summary").click()
    more = _box(page, ".site-header details.menu-more > ul")
    assert more["x"] + more["width"] <= 1366
    context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_breadcrumbs_start_where_the_title_starts(browser, live_server, world, width):
    context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "director", PASSWORD)

    for path in [f"/manage/institutions/{world.school.slug}/people/", "/journal/reports/"]:
        page.goto(live_server.url + path)
        crumbs = page.locator("nav.breadcrumbs")
        if not crumbs.count():
            continue
        first = _box(page, "nav.breadcrumbs li")
        title = _box(page, "#main h1")
        assert abs(first["x"] - title["x"]) < 1, path
    context.close()
