"""Deleting a mark, one rule for the grid, the lesson page and the API: a mark of the current
editing session (entered by the same person less than SETKA_MARK_FREE_DELETE_MINUTES ago) goes
at once, with an undo for a few seconds; an older one, or another person's, needs a reason —
refused with a 4xx and a Russian message otherwise, nothing deleted."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from setka.core import clock
from setka.core.models import AuditEntry
from setka.journal.models import Mark
from setka.journal.services import deletion, records

from ..api.conftest import api  # noqa: F401 (the API client fixture)
from ..clock import d

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


@pytest.fixture
def lesson(jw):
    return jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25)).first()


def _mark(world, jw, lesson, *, minutes_ago=0, by="teacher"):
    mark = records.mark_create(
        actor=world.users["teacher"], lesson=lesson, student=jw.students[0], value=3
    )
    if by != "teacher":
        Mark.objects.filter(pk=mark.pk).update(created_by=world.users[by])
        mark.refresh_from_db()
    if minutes_ago:
        Mark.objects.filter(pk=mark.pk).update(
            created_at=clock.now() - dt.timedelta(minutes=minutes_ago)
        )
        mark.refresh_from_db()
    return mark


def _cell(client, jw, lesson, text, **extra):
    url = reverse("journal:cell", args=[jw.klass.pk, jw.maths.pk])
    data = {"lesson": lesson.pk, "student": jw.students[0].pk, "text": text, **extra}
    return client.post(url, data, HTTP_X_REQUESTED_WITH="fetch", **RU)


def test_service_deletes_a_fresh_mark_without_a_reason(world, jw, lesson):
    mark = _mark(world, jw, lesson, minutes_ago=29)

    records.mark_delete(actor=world.users["teacher"], mark=mark)

    mark.refresh_from_db()
    assert mark.is_deleted is True
    assert AuditEntry.objects.get(action="journal.mark.delete").reason != ""


@pytest.mark.parametrize("minutes_ago", [31, 600])
def test_service_needs_a_reason_after_the_window(world, jw, lesson, minutes_ago):
    mark = _mark(world, jw, lesson, minutes_ago=minutes_ago)

    with pytest.raises(ValidationError) as caught:
        records.mark_delete(actor=world.users["teacher"], mark=mark, reason=" ")

    assert caught.value.error_dict["reason"][0].code == "reason_required"
    mark.refresh_from_db()
    assert mark.is_deleted is False
    records.mark_delete(actor=world.users["teacher"], mark=mark, reason="не тот ученик")
    assert AuditEntry.objects.get(action="journal.mark.delete").reason == "не тот ученик"


def test_service_needs_a_reason_for_another_persons_mark(world, jw, lesson):
    mark = _mark(world, jw, lesson, by="director")  # entered by another person just now

    with pytest.raises(ValidationError):
        records.mark_delete(actor=world.users["teacher"], mark=mark)


def test_window_is_a_setting(world, jw, lesson, settings):
    settings.MARK_FREE_DELETE_MINUTES = 0
    mark = _mark(world, jw, lesson)

    with pytest.raises(ValidationError):
        records.mark_delete(actor=world.users["teacher"], mark=mark)


def test_grid_clears_a_fresh_mark_and_undoes_it(client_for, world, jw, lesson):
    client = client_for("teacher")
    saved = _cell(client, jw, lesson, "5").json()
    [mark_id] = Mark.objects.filter(is_deleted=False).values_list("pk", flat=True)

    cleared = _cell(client, jw, lesson, "").json()

    assert (cleared["ok"], cleared["deleted"], cleared["text"]) == (True, [mark_id], "")
    assert saved["text"] == "5"
    undo = client.post(
        reverse("journal:marks_restore", args=[jw.klass.pk, jw.maths.pk]),
        {"mark": mark_id},
        HTTP_X_REQUESTED_WITH="fetch",
    ).json()
    assert (undo["ok"], undo["text"], undo["count"]) == (True, "5", 1)
    assert Mark.objects.get(pk=mark_id).is_deleted is False
    assert AuditEntry.objects.filter(action="journal.mark.restore").count() == 1


def test_grid_undo_is_refused_after_its_seconds(client_for, world, jw, lesson):
    client = client_for("teacher")
    _cell(client, jw, lesson, "5")
    _cell(client, jw, lesson, "")
    mark = Mark.objects.get()

    later = clock.now() + dt.timedelta(seconds=deletion.UNDO_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        response = client.post(
            reverse("journal:marks_restore", args=[jw.klass.pk, jw.maths.pk]),
            {"mark": mark.pk},
            HTTP_X_REQUESTED_WITH="fetch",
            **RU,
        )

    assert response.status_code == 400
    assert "нельзя вернуть" in response.json()["error"]
    assert Mark.objects.get().is_deleted is True


def test_grid_asks_a_reason_for_an_older_mark(client_for, world, jw, lesson):
    mark = _mark(world, jw, lesson, minutes_ago=45)
    client = client_for("teacher")

    refused = _cell(client, jw, lesson, "")

    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "reason_required"
    assert "укажите причину" in body["error"]
    mark.refresh_from_db()
    assert mark.is_deleted is False

    done = _cell(client, jw, lesson, "", reason="ошибка в ученике").json()
    assert done["ok"] is True
    assert AuditEntry.objects.get(action="journal.mark.delete").reason == "ошибка в ученике"


def test_lesson_page_same_rule(client_for, world, jw, lesson):
    url = reverse("journal:lesson", args=[lesson.pk])
    client = client_for("teacher")
    old = _mark(world, jw, lesson, minutes_ago=45)
    fresh = _mark(world, jw, lesson)

    refused = client.post(url, {"action": "sheet", f"m-{old.pk}-delete": "1"}, **RU)
    gone = client.post(url, {"action": "sheet", f"m-{fresh.pk}-delete": "1"}, **RU)

    assert refused.status_code == 400
    assert "укажите причину" in refused.content.decode()
    assert gone.status_code == 302
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.is_deleted, fresh.is_deleted) == (False, True)
    page = client.get(url, **RU).content.decode()
    assert f"Вернуть отметку {fresh.display}" in page  # the undo, for a moment


def test_api_same_rule(api, world, jw, lesson):
    old = _mark(world, jw, lesson, minutes_ago=45)
    fresh = _mark(world, jw, lesson)

    refused = api.as_("teacher").delete(f"/journal/marks/{old.pk}", None, lang="ru")
    gone = api.as_("teacher").delete(f"/journal/marks/{fresh.pk}", None)

    assert refused.status_code == 422
    assert "укажите причину" in str(refused.json())
    assert gone.status_code == 200
