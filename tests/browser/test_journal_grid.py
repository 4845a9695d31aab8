"""The journal grid in a browser: the teacher types marks and attendance by keyboard, each
cell is saved at once and the focus moves down; a bad mark shows a clear error and is kept;
leaving with an unsaved cell asks first; a reload shows what was saved. On a tablet a tap
opens the editor with the numeric keyboard and the pad of buttons enters the mark."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from setka.journal.models import Attendance, Mark

from ..clock import d
from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from .conftest import assert_accessible, sign_in


@pytest.fixture
def page(context):
    """Like the shared ``page``, but a refused save (a 4xx answer the page handles and shows)
    is not a JavaScript error: Chromium logs every 4xx response to the console."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "status of 400" not in msg.text
            else None
        ),
    )
    yield page
    assert errors == [], f"JavaScript errors or CSP violations on the page: {errors}"


def cell(page, student, lesson):
    return page.locator(f'tr[data-student="{student.pk}"] td[data-lesson="{lesson.pk}"]')


def test_teacher_enters_marks_by_keyboard(page, live_server, world, jw):
    lesson = jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20)).first()
    first, second, third = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[:3]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk]))

    cell(page, first, lesson).click()
    page.keyboard.type("5")
    page.keyboard.press("Enter")

    expect(cell(page, first, lesson)).to_have_text("5")
    expect(cell(page, first, lesson)).not_to_have_class(re.compile("saving"))
    expect(cell(page, second, lesson)).to_be_focused()
    assert Mark.objects.get(lesson=lesson, student=first).value == 5
    expect(page.locator(f'tr[data-student="{first.pk}"] td.avg')).to_have_text("5,00")

    # "Н" on a Russian keyboard layout (Playwright's keyboard knows only the US layout)
    cell(page, second, lesson).dispatch_event("keydown", {"key": "Н", "bubbles": True})
    page.keyboard.press("Enter")

    expect(cell(page, second, lesson)).to_have_text("Н")
    expect(cell(page, second, lesson)).not_to_have_class(re.compile("saving"))
    expect(cell(page, third, lesson)).to_be_focused()
    assert Attendance.objects.get(lesson=lesson, student=second).code == "Н"

    page.keyboard.type("9")
    page.keyboard.press("Enter")

    bad = cell(page, third, lesson)
    expect(bad).to_have_class(re.compile("error"))
    expect(bad).to_have_text("9")
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#grid-alert")).to_be_visible()
    expect(page.locator("#grid-alert")).to_contain_text("9")
    assert not Mark.objects.filter(student=third).exists()

    page.reload()

    assert dialogs == ["beforeunload"]  # the refused "9" was not silently dropped
    expect(cell(page, first, lesson)).to_have_text("5")
    expect(cell(page, second, lesson)).to_have_text("Н")
    expect(cell(page, third, lesson)).to_have_text("")


def test_escape_cancels_and_delete_clears(page, live_server, world, jw):
    lesson = jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20)).first()
    student = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[0]
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk]))
    target = cell(page, student, lesson)

    target.click()
    page.keyboard.type("4")
    page.keyboard.press("Escape")
    expect(target).to_have_text("")
    expect(target).to_be_focused()

    page.keyboard.type("4")
    page.keyboard.press("Tab")
    expect(target).to_have_text("4")
    expect(target).not_to_have_class(re.compile("saving"))
    page.keyboard.press("ArrowLeft")
    expect(target).to_be_focused()
    page.keyboard.press("Delete")

    expect(target).to_have_text("")
    expect(target).not_to_have_class(re.compile("saving"))
    assert Mark.objects.get(lesson=lesson, student=student).is_deleted is True


def test_period_mark_is_saved_without_reload(page, live_server, world, jw):
    student = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[0]
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk]))

    page.locator(f'select.pm[data-student="{student.pk}"]').select_option("na")

    expect(page.locator(f'tr[data-student="{student.pk}"] .pm-status')).not_to_be_empty()
    expect(page.locator(f'tr[data-student="{student.pk}"] .pm-status')).not_to_have_text(
        re.compile("…")
    )
    from setka.journal.models import PeriodMark

    assert PeriodMark.objects.get(student=student, period=jw.q2).not_certified is True


def test_tablet_tap_opens_numeric_editor_and_pad_enters_mark(
    phone_context,
    live_server,
    world,
    jw,
):
    page = phone_context.new_page()
    page.set_viewport_size({"width": 1024, "height": 768})
    lesson = jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20)).first()
    student = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[0]
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk]))

    cell(page, student, lesson).tap()
    editor = cell(page, student, lesson).locator("input")
    expect(editor).to_be_focused()
    expect(editor).to_have_attribute("inputmode", "numeric")
    page.locator('#cell-pad button[data-token="4"]').tap()
    page.locator('#cell-pad button[data-action="save"]').tap()

    expect(cell(page, student, lesson)).to_have_text("4")
    expect(cell(page, student, lesson)).not_to_have_class(re.compile("saving"))
    assert Mark.objects.get(lesson=lesson, student=student).value == 4


def test_grid_is_accessible(page, live_server, world, jw):
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk]))

    assert_accessible(page, context="#main")
