"""The journal grid on a 1366×900 screen: a class of 22 fits with the page's scroll alone, the
totals of every student are in view next to today's lessons (not after the empty future
columns), the grid opens scrolled to today, and the cell being edited keeps its width."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.journal.models import GroupMember
from setka.network.models import Membership

from .. import factories as f
from ..clock import TODAY
from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from .conftest import sign_in

WIDTH, HEIGHT = 1366, 900


@pytest.fixture
def desktop(browser):
    ctx = browser.new_context(locale="ru-RU", viewport={"width": WIDTH, "height": HEIGHT})
    ctx.set_default_timeout(30_000)  # two cores shared by the whole suite
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    ctx.close()
    assert errors == [], f"JavaScript errors or CSP violations on the page: {errors}"


def _class_of_22(world, jw):
    for i in range(22 - len(jw.students)):
        person = f.PersonFactory(
            municipality=world.municipality, surname=f"Ученица{i:02d}", given_name="Анна"
        )
        f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.STUDENT)
        GroupMember.objects.create(
            group=jw.klass,
            student=person,
            home_institution=world.school,
            starts_on=jw.year.starts_on,
        )


def _box(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


def test_grid_fits_a_laptop_screen(desktop, live_server, world, jw):
    page = desktop
    _class_of_22(world, jw)
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(
        live_server.url
        + reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk])
        + f"?period={jw.q2.pk}"
    )
    rows = page.locator("#journal-grid tbody tr")
    assert rows.count() == 22
    future = [
        th
        for th in page.locator("#journal-grid thead th.lesson-col").all()
        if (th.get_attribute("data-date") or "") > TODAY.isoformat()
    ]
    assert len(future) >= 8  # the rest of the quarter is still ahead

    # The totals of the first student are on the screen, next to the lessons of today.
    first = rows.first
    for total in ("td.avg", "td.sug", "td.pm-col"):
        box = _box(first.locator(total))
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= WIDTH, total
    held = [
        th
        for th in page.locator("#journal-grid thead th.lesson-col").all()
        if (th.get_attribute("data-date") or "") <= TODAY.isoformat()
    ]
    last_held = _box(held[-1])
    names = _box(page.locator("#journal-grid thead th.student-col"))
    average = _box(page.locator("#journal-grid thead th.tot-avg"))
    assert names["x"] + names["width"] <= last_held["x"]
    assert last_held["x"] + last_held["width"] <= average["x"] + 1

    # Every student is reached with the page's scroll: the grid's box does not scroll inside.
    wrap = page.locator(".journal-wrap")

    assert wrap.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    wrap.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY)")
    last = _box(rows.last)
    assert last["y"] + last["height"] <= HEIGHT

    # The cell being edited keeps its width, and so does the table.
    target = first.locator("td.cell").nth(len(held) - 1)
    before, table_before = _box(target), _box(page.locator("#journal-grid"))
    target.click()
    page.keyboard.type("5")
    assert target.locator("input").count() == 1
    during, table_during = _box(target), _box(page.locator("#journal-grid"))
    assert abs(during["width"] - before["width"]) < 0.5
    assert abs(table_during["width"] - table_before["width"]) < 0.5
    page.keyboard.press("Escape")
