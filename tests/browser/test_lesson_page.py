"""The lesson page: the whole class in one form — attendance, a new mark and a corrected mark
for several students, sent with one «Сохранить…»; a wrong row sends the form back with what
was typed; on a phone the save button stays in reach."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.urls import reverse
from playwright.sync_api import expect

from setka.journal.models import Attendance, Mark
from setka.journal.services import records

from ..clock import d
from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from .conftest import assert_accessible, sign_in
from .test_journal_grid import page  # noqa: F401 (a refused save, 400, is not a JS error)

SAVE = "Сохранить отметки и посещаемость"


def _name(p) -> str:
    return f"{p.surname} {p.given_name}"


def _lesson(jw):
    return jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20)).first()


def test_the_class_is_saved_with_one_button(page, live_server, world, jw):
    lesson = _lesson(jw)
    first, second, third = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[:3]
    records.mark_create(actor=world.users["teacher"], lesson=lesson, student=first, value=3)
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:lesson", args=[lesson.pk]))
    assert_accessible(page, context="#sheet")

    page.get_by_label(f"Посещаемость: {_name(second)}").select_option("Б")
    page.get_by_label(f"Оценка: {_name(first)}").select_option("4")
    page.get_by_label(f"Новая отметка: {_name(third)}").select_option("5")
    page.get_by_label(f"Комментарий к новой отметке: {_name(third)}").fill("у доски")
    page.get_by_role("button", name=SAVE).click()

    expect(page.get_by_text("Сохранено 3 изменения.")).to_be_visible()
    assert Attendance.objects.get(lesson=lesson).student == second
    assert sorted(Mark.objects.values_list("student_id", "value", "comment")) == sorted(
        [(first.pk, 4, ""), (third.pk, 5, "у доски")]
    )


def test_a_wrong_row_comes_back_with_what_was_typed(page, live_server, world, jw):
    lesson = _lesson(jw)
    first, second = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[:2]
    records.mark_create(actor=world.users["teacher"], lesson=lesson, student=first, value=3)
    Mark.objects.update(created_at=F("created_at") - dt.timedelta(hours=2))
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:lesson", args=[lesson.pk]))

    page.get_by_label(f"Посещаемость: {_name(second)}").select_option("Н")
    page.get_by_label("удалить 3").check()  # an older mark: a reason is needed
    page.get_by_role("button", name=SAVE).click()

    expect(page.locator("#sheet-errors")).to_contain_text(_name(first))
    expect(page.get_by_label(f"Посещаемость: {_name(second)}")).to_have_value("Н")
    expect(page.get_by_label("удалить 3")).to_be_checked()
    assert Attendance.objects.filter(lesson=lesson).count() == 0
    assert Mark.objects.get().is_deleted is False


def test_on_a_phone_the_save_button_stays_in_reach(phone_context, live_server, world, jw):
    lesson = _lesson(jw)
    page = phone_context.new_page()
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:lesson", args=[lesson.pk]))

    page.locator(f"#student-{jw.students[0].pk}").scroll_into_view_if_needed()
    save = page.get_by_role("button", name=SAVE)

    expect(save).to_be_in_viewport()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
