"""Every mark of a subject in the period for the student and their parents: dates, kinds,
weights and the trend (the running weighted average, plain SVG), reached from the diary's
summary, with the diary's access (a parent only of their child) and a constant query count."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from setka.journal.services import records

from .test_diary import MON, WEEK, dw, filled, kind  # noqa: F401 (the diary's world)

BUDGET = 7 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 6


def _url(dw, student=None):
    url = reverse("journal:diary_subject_marks", args=[dw.jw.maths.pk])
    return url + (f"?student={student.pk}" if student else "")


def test_student_sees_every_mark_with_kind_weight_and_trend(client_for, world, filled, dw):
    response = client_for("student").get(_url(dw), HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.mark.display, r.mark.kind.short_name, r.mark.kind.weight) for r in rows] == [
        ("5", "кр", 3),
        ("4", "отв", 1),
    ]
    assert [float(r.running) for r in rows] == [5, 4.75]
    html = response.content.decode()
    assert "<polyline" in html
    assert "<script" not in html.split("<main")[1]
    assert MON.strftime("%d.%m.%Y") in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("student", 200), ("parent", 200), ("other_parent", 404), ("teacher", 404), ("admin", 404)],
)
def test_access_is_the_diarys(client_for, world, filled, dw, role, status):
    response = client_for(role).get(_url(dw, world.people["student"]))

    assert response.status_code == status


def test_reached_from_the_summary(client_for, world, filled, dw):
    html = client_for("parent").get(reverse("journal:diary_summary")).content.decode()

    assert reverse("journal:diary_subject_marks", args=[dw.jw.maths.pk]) in html


@pytest.mark.parametrize("extra", [0, 12])
def test_query_budget(client_for, world, filled, dw, django_assert_num_queries, extra):
    lessons = dw.jw.lessons(period=dw.jw.q2).filter(date__lt=WEEK)[:extra]
    for lesson in lessons:
        records.mark_create(
            actor=world.users["teacher"],
            lesson=lesson,
            student=world.people["student"],
            value=3,
            kind=kind(world, "отв"),
        )
    client = client_for("student")

    # session (none when kept in the cache), user, roles, people, subject, marks, periods
    with django_assert_num_queries(BUDGET):
        response = client.get(_url(dw))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 2 + len(lessons)
