"""Year marks in a browser: the teacher opens the year marks page, picks a year mark from the
select (by keyboard), it is saved at once without reloading, and a reload shows it saved. The
daily attendance summary works on a phone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from setka.journal.models import GroupMember, PeriodMark
from setka.journal.services import records

from ..clock import d, iso
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


def test_teacher_sets_a_year_mark_and_reload_shows_it(page, live_server, world, jw):
    teacher = world.users["teacher"]
    student = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[0]
    for lesson in jw.lessons(period=jw.q1)[:3]:
        records.cell_save(actor=teacher, lesson=lesson, student=student, text="4")
    url = live_server.url + reverse("journal:final_marks", args=[jw.klass.pk, jw.maths.pk])
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(url)
    row = page.locator(f'tr[data-student="{student.pk}"]')
    expect(row.locator("td.sug")).to_have_text("4")

    select = row.locator("select.pm")
    select.focus()
    select.select_option("5")

    expect(row.locator(".pm-status")).to_have_text("сохранено")
    expect(select).not_to_have_class(re.compile("error"))
    mark = PeriodMark.objects.get(student=student, period__isnull=True)
    assert (mark.value, mark.is_override, mark.suggested) == (5, True, 4)

    page.reload()

    expect(page.locator(f'tr[data-student="{student.pk}"] select.pm')).to_have_value("5")
    assert_accessible(page, context="#main")


def test_a_refused_year_mark_is_shown_clearly(page, live_server, world, jw):
    student = jw.students[0]
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:final_marks", args=[jw.klass.pk, jw.maths.pk]))
    # meanwhile the administration removes the student from the class by mistake
    GroupMember.objects.filter(group=jw.klass, student=student).delete()

    page.locator(f'select.pm[data-student="{student.pk}"]').select_option("4")

    expect(page.locator("#grid-alert")).to_be_visible()
    expect(page.locator("#grid-alert")).to_contain_text("не состоит в группе")
    expect(page.locator(f'select.pm[data-student="{student.pk}"]')).to_have_attribute(
        "aria-invalid", "true"
    )
    assert not PeriodMark.objects.exists()


def test_class_teacher_reads_the_daily_summary_on_a_phone(phone_context, live_server, world, jw):
    page = phone_context.new_page()
    lesson = jw.lessons(period=jw.q2).get(date=d(2026, 11, 23))
    records.attendance_set(
        actor=world.users["teacher"], lesson=lesson, student=jw.students[0], code="Б"
    )
    sign_in(page, live_server, "teacher", PASSWORD)

    page.goto(live_server.url + reverse("journal:index"))
    page.locator(f'a[href="{reverse("journal:attendance_day", args=[jw.klass.pk])}"]').click()
    page.get_by_label("Дата").fill(iso(2026, 11, 23))
    page.get_by_label("Дата").press("Enter")

    expect(page.locator("h1")).to_contain_text(f"{d(2026, 11, 23):%d.%m.%Y}")
    expect(page.locator("table.day-grid")).to_contain_text("Б")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
