"""The journal grid and the lessons through the API: GET …/grid, GET and PATCH
/journal/lessons/{id}, PUT …/homework."""

from __future__ import annotations

import pytest

from setka.core.models import AuditEntry
from setka.journal.models import (
    AcademicYear,
    GroupMember,
    Homework,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    Subject,
)
from setka.journal.services import records
from tests import factories as f
from tests.conftest import ROLES

from ..clock import d, iso
from .conftest import assert_problem, error_fields, table_counts

READERS = {"teacher", "director", "admin"}  # teacher: writes; director, admin: read


def grid_url(jw, subject=None, period=None) -> str:
    url = f"/journal/groups/{jw.klass.pk}/subjects/{(subject or jw.maths).pk}/grid"
    return f"{url}?period_id={period.pk}" if period is not None else url


def expect(response, role: str, allowed: set[str], ok: int = 200, missing: int = 404) -> None:
    if role == "anonymous":
        assert_problem(response, 401)
    elif role in allowed:
        assert response.status_code == ok, response.content
    else:
        assert_problem(response, missing)


@pytest.fixture
def lessons(jw):
    return list(jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25)))


# --- the grid -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_grid_permissions(api, world, jw, role):
    response = api.as_(role).get(grid_url(jw))

    expect(response, role, READERS)
    if role in READERS:
        assert response.json()["access"] == ("write" if role == "teacher" else "read")


def test_grid_shape(api, world, jw, lessons):
    teacher, student = world.users["teacher"], jw.students[0]
    first = lessons[0]
    mark = records.mark_create(actor=teacher, lesson=first, student=student, value=5)
    records.mark_create(actor=teacher, lesson=first, student=student, value=4)
    records.attendance_set(actor=teacher, lesson=lessons[1], student=student, code="ОП")
    for lesson in lessons[2:4]:
        records.mark_create(actor=teacher, lesson=lesson, student=student, value=3)
    PeriodMark.objects.create(
        institution=world.school,
        group=jw.klass,
        subject=jw.maths,
        student=student,
        period=jw.q2,
        value=4,
    )

    body = api.as_("teacher").get(grid_url(jw)).json()

    assert body["period"]["id"] == jw.q2.pk  # today's period by default
    assert [p["number"] for p in body["periods"]] == [1, 2, 3, 4]
    assert body["subject"]["grading"] == "marks"
    assert [ls["id"] for ls in body["lessons"]] == [ls.pk for ls in jw.lessons(period=jw.q2)]
    assert body["lessons"][0]["writable"] is True
    row = next(s for s in body["students"] if s["id"] == student.pk)
    assert row["cells"][0] == {
        "lesson_id": first.pk,
        "attendance": "",
        "marks": [
            {"id": mark.pk, "value": 5, "passed": None, "kind": mark.kind.short_name},
            {"id": mark.pk + 1, "value": 4, "passed": None, "kind": mark.kind.short_name},
        ],
    }
    assert row["cells"][1] == {"lesson_id": lessons[1].pk, "attendance": "ОП", "marks": []}
    assert (row["average"], row["count"], row["suggested"]) == (3.75, 4, 4)
    assert row["period_mark"] == {"text": "4", "value": 4, "passed": None, "not_certified": False}
    assert body["kinds"] == [
        {"short_name": mark.kind.short_name, "name": mark.kind.name, "weight": 1.0}
    ]
    others = [s for s in body["students"] if s["id"] != student.pk]
    assert all(s["cells"] == [] and s["period_mark"] is None for s in others)


def test_grid_of_another_period_and_pass_fail_subject(api, world, jw):
    pe_lesson = jw.lessons(subject=jw.pe, period=jw.q1).first()
    records.mark_create(
        actor=world.users["teacher"], lesson=pe_lesson, student=jw.students[1], passed=False
    )

    body = api.as_("director").get(grid_url(jw, jw.pe, jw.q1)).json()

    assert body["period"]["number"] == 1
    assert body["subject"]["grading"] == "pass_fail"
    assert body["lessons"][0]["writable"] is False  # the director reads
    row = next(s for s in body["students"] if s["id"] == jw.students[1].pk)
    assert row["cells"][0]["marks"][0]["passed"] is False
    assert row["average"] is None


def test_grid_shows_a_student_who_left(api, world, jw):
    member = GroupMember.objects.get(group=jw.klass, student=jw.students[4])
    member.ends_on = d(2026, 11, 15)
    member.save()

    body = api.as_("teacher").get(grid_url(jw)).json()

    row = next(s for s in body["students"] if s["id"] == jw.students[4].pk)
    assert row["left_on"] == iso(2026, 11, 15)


@pytest.mark.parametrize(
    "query", ["period_id=abc", "period_id=0", "period_id=-1", f"period_id={10**40}"]
)
def test_grid_bad_period_is_422(api, world, jw, query):
    response = api.as_("teacher").get(f"{grid_url(jw)}?{query}")

    assert_problem(response, 422)
    assert error_fields(response) == {"period_id"}


def test_grid_period_of_another_year_is_422(api, world, jw):
    year = AcademicYear.objects.create(
        institution=world.other_school,
        name="2026/2027",
        starts_on=d(2026, 9, 1),
        ends_on=d(2027, 5, 31),
    )
    period = Period.objects.create(
        year=year, number=1, name="1", starts_on=year.starts_on, ends_on=year.ends_on
    )

    response = api.as_("teacher").get(grid_url(jw, period=period))

    assert_problem(response, 422)
    assert error_fields(response) == {"period_id"}


@pytest.mark.parametrize(
    "path",
    [
        "/journal/groups/999999/subjects/1/grid",
        "/journal/groups/abc/subjects/1/grid",
        "/journal/groups/0/subjects/1/grid",
    ],
)
def test_grid_unknown_group_is_404_or_422(api, world, jw, path):
    response = api.as_("teacher").get(path)

    assert response.status_code in (404, 422)


def test_grid_subject_of_another_municipality_is_404(api, world, jw):
    subject = Subject.objects.create(
        municipality=f.MunicipalityFactory(slug="other", name="Другой"),
        name="Чужой",
        short_name="ч",
    )

    assert_problem(api.as_("admin").get(grid_url(jw, subject)), 404)


@pytest.mark.parametrize("extra", [0, 30], ids=["5 students", "35 students"])
def test_grid_query_budget(api, django_assert_num_queries, world, jw, lessons, extra):
    for i in range(extra):
        person = f.PersonFactory(municipality=world.municipality, surname=f"Доп{i:02}")
        GroupMember.objects.create(
            group=jw.klass,
            student=person,
            home_institution=world.school,
            starts_on=jw.year.starts_on,
        )
    students = list(GroupMember.objects.filter(group=jw.klass).values_list("student", flat=True))
    kind = records.default_kind(lessons[0])
    Mark.objects.bulk_create(
        Mark(
            institution_id=world.school.pk,
            lesson=lesson,
            student_id=sid,
            group=jw.klass,
            subject=jw.maths,
            date=lesson.date,
            value=4,
            kind=kind,
        )
        for lesson in lessons
        for sid in students
    )
    Homework.objects.create(
        institution=world.school,
        lesson=lessons[0],
        group=jw.klass,
        due_on=lessons[1].date,
        text="№ 1",
    )
    client = api.as_("teacher")

    with django_assert_num_queries(9):
        response = client.get(grid_url(jw))

    assert response.status_code == 200
    assert len(response.json()["students"]) == 5 + extra


# --- lessons and homework -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_lesson_detail_permissions(api, world, jw, lessons, role):
    response = api.as_(role).get(f"/journal/lessons/{lessons[0].pk}")

    expect(response, role, READERS)


def test_lesson_detail_shape(api, world, jw, lessons):
    lesson = lessons[0]
    Homework.objects.create(
        institution=world.school,
        lesson=lesson,
        group=jw.klass,
        due_on=lessons[1].date,
        text="№ 5",
        links="https://a.example\n",
        minutes=15,
    )

    body = api.as_("teacher").get(f"/journal/lessons/{lesson.pk}").json()

    assert body["group"] == {"id": jw.klass.pk, "name": "7Б"}
    assert body["teacher"]["id"] == world.people["teacher"].pk
    assert body["access"] == "write"
    assert body["homework"]["links"] == ["https://a.example"]
    assert body["homework"]["minutes"] == 15


@pytest.mark.parametrize("role", ROLES)
def test_lesson_update_permissions(api, world, jw, lessons, role):
    response = api.as_(role).patch(f"/journal/lessons/{lessons[0].pk}", {"topic": "Дроби"})

    # The teacher and the school's administration set topics; the municipal admin only reads.
    expect(response, role, {"teacher", "director"}, missing=403 if role == "admin" else 404)
    if role in {"teacher", "director"}:
        assert Lesson.objects.get(pk=lessons[0].pk).topic == "Дроби"


def test_lesson_update_topic_and_kind(api, world, jw, lessons):
    lesson = lessons[0]

    response = api.as_("teacher").patch(
        f"/journal/lessons/{lesson.pk}", {"topic": "  Дроби   и  проценты ", "kind": "control"}
    )

    assert response.status_code == 200
    assert (response.json()["topic"], response.json()["kind"]) == ("Дроби и проценты", "control")
    assert AuditEntry.objects.filter(action="journal.lesson.topic", object_id=lesson.pk).exists()
    response = api.patch(f"/journal/lessons/{lesson.pk}", {"kind": "regular"})
    assert response.json()["topic"] == "Дроби и проценты"  # not sent: kept


def test_lesson_update_in_closed_period_is_422(api, world, jw):
    lesson = jw.lessons(period=jw.q1).first()
    records.period_close(actor=world.users["director"], period=jw.q1)
    before = table_counts()

    response = api.as_("teacher").patch(f"/journal/lessons/{lesson.pk}", {"topic": "x"})

    assert_problem(response, 422)
    assert table_counts() == before


@pytest.mark.parametrize("role", ROLES)
def test_homework_set_permissions(api, world, jw, lessons, role):
    response = api.as_(role).put(
        f"/journal/lessons/{lessons[0].pk}/homework", {"text": "№ 12", "minutes": 20}
    )

    expect(response, role, {"teacher"}, missing=403 if role in READERS else 404)


def test_homework_set_saves_and_warns(api, world, jw, lessons):
    lesson = lessons[0]

    response = api.as_("teacher").put(
        f"/journal/lessons/{lesson.pk}/homework",
        {"text": "№ 12", "links": ["https://a.example/x"], "minutes": 200},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["homework"]["due_on"] == lessons[1].date.isoformat()  # the next lesson
    assert body["homework"]["links"] == ["https://a.example/x"]
    assert "daily_load" in {w["code"] for w in body["warnings"]}  # 200 > 150 for grade 7
    assert Homework.objects.get(lesson=lesson).minutes == 200


def test_homework_set_empty_text_removes_it(api, world, jw, lessons):
    api.as_("teacher").put(f"/journal/lessons/{lessons[0].pk}/homework", {"text": "№ 1"})

    response = api.put(f"/journal/lessons/{lessons[0].pk}/homework", {"text": ""})

    assert response.json() == {"homework": None, "warnings": []}
    assert not Homework.objects.filter(lesson=lessons[0]).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x", "due_on": iso(2027, 7, 1)}, "due_on"),  # outside the year
        ({"text": "x", "due_on": iso(2026, 9, 1)}, "due_on"),  # before the lesson
        ({"text": "x", "links": ["javascript:alert(1)"]}, "links"),
        ({"text": "x", "links": ["https://a.example"] * 11}, "links"),
        ({"text": "x", "minutes": 0}, "minutes"),
        ({"text": "x", "minutes": 241}, "minutes"),
        ({"text": "x", "minutes": "20"}, "minutes"),
        ({"text": "x" * 5001}, "text"),
        ({"minutes": 20}, "text"),
    ],
)
def test_homework_bad_input_is_422_and_writes_nothing(api, lessons, body, field):
    before = table_counts()

    response = api.as_("teacher").put(f"/journal/lessons/{lessons[0].pk}/homework", body)

    assert_problem(response, 422)
    assert error_fields(response) == {field}
    assert table_counts() == before
