"""The journal on a phone (390×844): the grid offers the lesson-by-lesson mode instead of
keyboard instructions; there the teacher taps a mark and an absence, each saved through the
grid's endpoint, and after a reload they are still there. No horizontal scrolling."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from setka.journal.models import Attendance, Lesson, Mark

from ..clock import TODAY
from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from .conftest import sign_in


def test_teacher_enters_a_mark_and_an_absence_on_a_phone(phone_context, live_server, world, jw):
    phone_context.set_default_timeout(30_000)
    page = phone_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    first, second = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[:2]
    lesson = jw.lessons(period=jw.q2).filter(date__lte=TODAY, status=Lesson.Status.HELD).last()
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk]))

    expect(page.locator("#grid-help")).to_be_hidden()  # no keyboard instructions on a phone
    page.get_by_role("button", name="Ввод отметок по урокам").tap()
    expect(page.locator(".phone-lesson-now")).to_contain_text(lesson.date.strftime("%d.%m.%Y"))
    row = page.locator(f'li[data-student="{first.pk}"]')
    other = page.locator(f'li[data-student="{second.pk}"]')
    box = row.get_by_role("button", name=f"5, {first.surname}", exact=False).bounding_box()
    assert box["height"] >= 44  # a finger's size

    row.get_by_role("button", name=f"5, {first.surname}", exact=False).tap()
    expect(row.locator(".phone-text")).to_have_text("5")
    expect(row).not_to_have_class("phone-student saving")
    other.get_by_role("button", name=f"Н, {second.surname}", exact=False).tap()
    expect(other.locator(".phone-text")).to_have_text("Н")
    expect(other).not_to_have_class("phone-student saving")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.reload()

    expect(page.locator(f'li[data-student="{first.pk}"] .phone-text')).to_have_text("5")
    expect(page.locator(f'li[data-student="{second.pk}"] .phone-text')).to_have_text("Н")
    assert Mark.objects.get(lesson=lesson, student=first, is_deleted=False).value == 5
    assert Attendance.objects.get(lesson=lesson, student=second).code == "Н"
    assert errors == []
