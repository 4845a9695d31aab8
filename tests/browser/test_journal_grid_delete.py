"""Deleting in the grid: a mark just typed is cleared with Delete and brought back with the
undo bar's «Отменить»; an older mark asks for a reason in a dialog before it goes."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import F
from django.urls import reverse
from playwright.sync_api import expect

from setka.core.models import AuditEntry
from setka.journal.models import Mark
from setka.journal.services import records

from ..clock import d
from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from .conftest import sign_in
from .test_journal_grid import page  # noqa: F401 (a refused save, 400, is not a JS error)


def _cell(page, student, lesson):
    return page.locator(f'tr[data-student="{student.pk}"] td[data-lesson="{lesson.pk}"]')


def _open(page, live_server, jw):
    sign_in(page, live_server, "teacher", PASSWORD)
    page.goto(live_server.url + reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk]))


def test_delete_then_undo(page, live_server, world, jw):
    lesson = jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20)).first()
    student = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[0]
    _open(page, live_server, jw)
    target = _cell(page, student, lesson)

    target.click()
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    expect(target).to_have_text("5")
    expect(target).not_to_have_class(re.compile("saving"))
    target.focus()
    page.keyboard.press("Delete")

    expect(target).to_have_text("")
    undo = page.locator("#grid-undo")
    expect(undo).to_be_visible()
    assert Mark.objects.get(lesson=lesson, student=student).is_deleted is True
    undo.get_by_role("button", name="Отменить").click()

    expect(target).to_have_text("5")
    expect(undo).to_be_hidden()
    assert Mark.objects.get(lesson=lesson, student=student).is_deleted is False


def test_older_mark_asks_a_reason(page, live_server, world, jw):
    lesson = jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20)).first()
    student = sorted(jw.students, key=lambda p: (p.surname, p.given_name))[0]
    records.mark_create(actor=world.users["teacher"], lesson=lesson, student=student, value=4)
    Mark.objects.update(created_at=F("created_at") - dt.timedelta(hours=2))
    _open(page, live_server, jw)
    target = _cell(page, student, lesson)

    target.click()
    page.keyboard.press("Delete")
    dialog = page.locator("#reason-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("укажите причину")
    dialog.get_by_label("Причина").fill("не тот ученик")
    dialog.get_by_role("button", name="Удалить").click()

    expect(target).to_have_text("")
    expect(target).not_to_have_class(re.compile("saving|error"))
    assert Mark.objects.get().is_deleted is True
    assert AuditEntry.objects.get(action="journal.mark.delete").reason == "не тот ученик"
