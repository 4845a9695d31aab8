"""The diary through the API: GET /journal/students/{id}/diary?from=&to=."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from setka.journal.models import Lesson
from setka.journal.services import homework, records, structure
from tests.conftest import ROLES

from ..clock import d
from .conftest import assert_problem, error_fields

# 8 with the session read from the database (as the issue counts), 7 with a cached session.
BUDGET = 8 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 7
MON = d(2026, 11, 23)  # today is Thursday 2026-11-26
WED, FRI = MON + dt.timedelta(days=2), MON + dt.timedelta(days=4)


def url(world, query: str = "") -> str:
    return f"/journal/students/{world.people['student'].pk}/diary" + (f"?{query}" if query else "")


@pytest.fixture
def filled(world, jw):
    """Bells; a 5 and a late mark on Monday's maths, homework due on Wednesday."""
    director, teacher = world.users["director"], world.users["teacher"]
    for number, start in enumerate(["08:00", "08:50", "09:45"], start=1):
        begins = dt.time.fromisoformat(start)
        ends = (dt.datetime.combine(MON, begins) + dt.timedelta(minutes=40)).time()
        structure.bell_set(
            actor=director, year=jw.year, number=number, starts_at=begins, ends_at=ends
        )
    monday = Lesson.objects.get(group=jw.klass, subject=jw.maths, date=MON)
    student = world.people["student"]
    mark = records.mark_create(
        actor=teacher, lesson=monday, student=student, value=5, comment="у доски"
    )
    records.attendance_set(actor=teacher, lesson=monday, student=student, code="ОП")
    monday.topic = "Дроби"
    monday.save()
    homework.homework_set(actor=teacher, lesson=monday, text="№ 12", minutes=25)
    return monday, mark


@pytest.mark.parametrize("role", ROLES)
def test_diary_permissions(api, world, jw, role):
    response = api.as_(role).get(url(world, f"from={MON}&to={FRI}"))

    if role == "anonymous":
        assert_problem(response, 401)
    elif role in {"student", "parent"}:
        assert response.status_code == 200, response.content
    else:  # teachers, the administration, other parents: not the diary
        assert_problem(response, 404)


def test_diary_shape(api, world, jw, filled):
    monday, mark = filled

    body = api.as_("parent").get(url(world, f"from={MON}&to={FRI}")).json()

    assert (body["from"], body["to"]) == (MON.isoformat(), FRI.isoformat())
    assert body["student"]["id"] == world.people["student"].pk
    assert [d["date"] for d in body["days"]] == [
        (MON + dt.timedelta(days=i)).isoformat() for i in range(5)
    ]
    (lesson,) = body["days"][0]["lessons"]
    assert lesson["id"] == monday.pk
    assert (lesson["starts_at"], lesson["ends_at"]) == ("08:50:00", "09:30:00")
    assert lesson["subject"] == {"id": jw.maths.pk, "name": "Математика"}
    assert lesson["teacher"] == world.people["teacher"].short_name
    assert lesson["topic"] == "Дроби"
    assert lesson["attendance"] == "ОП"
    assert lesson["marks"] == [
        {
            "id": mark.pk,
            "lesson_id": monday.pk,
            "subject_id": jw.maths.pk,
            "value": 5,
            "passed": None,
            "text": "5",
            "kind": mark.kind.name,
            "kind_short": mark.kind.short_name,
            "weight": 1.0,
            "comment": "у доски",
        }
    ]
    wednesday = body["days"][2]
    assert wednesday["homework_minutes"] == 25
    (due,) = wednesday["lessons"][0]["homework_due"]
    assert (due["text"], due["lesson_id"], due["due_on"]) == ("№ 12", monday.pk, WED.isoformat())
    assert [len(d["lessons"]) for d in body["days"]] == [1, 1, 1, 0, 1]  # PE on Tuesday


def test_diary_defaults_to_this_week(api, world, jw):
    body = api.as_("student").get(url(world)).json()

    assert (body["from"], body["to"]) == (MON.isoformat(), (MON + dt.timedelta(days=5)).isoformat())


def test_diary_deleted_marks_are_not_shown(api, world, jw, filled):
    _monday, mark = filled
    records.mark_delete(actor=world.users["teacher"], mark=mark, reason="ошибка")

    body = api.as_("student").get(url(world, f"from={MON}&to={MON}")).json()

    assert body["days"][0]["lessons"][0]["marks"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-11-01&to=2026-12-02", "to"),  # 32 days
        ("from=2026-11-30&to=2026-11-01", "to"),
        ("from=2026-02-30", "from"),
        ("from=yesterday", "from"),
        ("to=2026-13-01", "to"),
        ("from=1&to=2", "from"),
    ],
)
def test_diary_bad_range_is_422(api, world, jw, query, field):
    response = api.as_("student").get(url(world, query))

    assert_problem(response, 422)
    assert field in error_fields(response)


def test_diary_a_month_is_allowed(api, world, jw):
    response = api.as_("student").get(url(world, "from=2026-11-01&to=2026-12-01"))

    assert response.status_code == 200
    assert len(response.json()["days"]) == 31


@pytest.mark.parametrize("days", [1, 31], ids=["one day", "a month"])
def test_diary_query_budget(api, django_assert_num_queries, world, filled, days):
    client = api.as_("parent")
    end = MON + dt.timedelta(days=days - 1)

    with django_assert_num_queries(BUDGET):
        response = client.get(url(world, f"from={MON}&to={end}"))

    assert response.status_code == 200
    assert len(response.json()["days"]) == days
