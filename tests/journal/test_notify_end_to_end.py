"""End to end: a teacher enters a mark through the API -> the parent's bell shows it on the
next page (the unread count comes with the page) -> the notification opens the child's diary
-> the parent's digest e-mail holds it. And a parent of another child hears nothing."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from setka.notifications.models import Notification

from ..clock import d

pytestmark = pytest.mark.django_db


def test_a_teachers_mark_reaches_the_parents_bell_and_digest(
    client_for, world, jw, django_capture_on_commit_callbacks
):
    student = world.people["student"]
    lesson = jw.lessons().get(date=d(2026, 11, 23))
    parent = client_for("parent")
    response = parent.post(
        reverse("journal:diary_digest"), {"frequency": "daily", "student": student.pk}
    )
    assert response.status_code == 302

    teacher = client_for("teacher")
    with django_capture_on_commit_callbacks(execute=True):
        response = teacher.post(
            "/api/v1/journal/marks",
            json.dumps({"lesson_id": lesson.pk, "student_id": student.pk, "value": 5}),
            content_type="application/json",
        )
    assert response.status_code == 201

    parent = client_for("parent")
    page = parent.get(reverse("journal:diary"))
    html = page.content.decode()
    assert page.context["notifications_unread"] == 1
    assert '<span class="bell-count">1</span>' in html

    listing = parent.get(reverse("notifications:list")).content.decode()
    note = Notification.objects.get(recipient=world.people["parent"])
    assert "Новая отметка 5 по предмету «Математика»" in listing
    assert reverse("notifications:open", args=[note.pk]) in listing

    opened = parent.get(reverse("notifications:open", args=[note.pk]))
    assert opened.status_code == 302
    assert opened["Location"].startswith(reverse("journal:diary"))
    assert f"student={student.pk}" in opened["Location"]
    diary = parent.get(opened["Location"])
    assert diary.status_code == 200
    assert diary.context["notifications_unread"] == 0

    out = StringIO()
    call_command("send_notifications", "--digests", stdout=out)
    [letter] = mail.outbox
    assert letter.to == ["parent@example.org"]
    assert "Новая отметка 5 по предмету «Математика»" in letter.body
    assert "Дарья Ученикова" in letter.body
    assert out.getvalue() == "notifications: 1 digest(s) sent\n"

    other = client_for("other_parent").get(reverse("notifications:list"))
    assert other.context["notifications_unread"] == 0
    assert not Notification.objects.filter(recipient=world.people["other_parent"]).exists()
