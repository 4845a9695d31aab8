"""The API of the day: ``GET /today`` gives each role the parts of its home as data, and the
journal's day endpoints (teaching, lessons of a range, timetables, the year's structure) answer
what the pages show, in a constant number of queries, with Russian 422s for bad ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from setka.journal.models import GroupMember, Lesson
from setka.journal.services import records, structure

from ..clock import TODAY, iso
from .conftest import another_class, lesson

pytestmark = pytest.mark.django_db

J = "/api/v1/journal"


def test_today_gives_the_teacher_their_lessons_by_the_clock(client_for, world, jw, day):
    first, second, _tomorrow = day

    data = client_for("teacher").get("/api/v1/today").json()

    assert [(ls["id"], ls["starts_at"]) for ls in data["teacher"]["lessons"]] == [
        (first.pk, "08:00:00"),
        (second.pk, "08:50:00"),
    ]
    assert data["teacher"]["lessons"][0]["missing"] == ["topic", "homework", "marks"]
    assert (data["student"], data["children"], data["institutions"]) == (None, [], [])


def test_today_gives_the_parent_each_child_and_changes_nothing(client_for, world, jw, day):
    records.mark_create(
        actor=world.users["teacher"], lesson=day[0], student=world.people["student"], value=5
    )
    client = client_for("parent")

    data = client.get("/api/v1/today").json()

    (child,) = data["children"]
    assert (child["id"], [m["text"] for m in child["new_marks"]]) == (
        world.people["student"].pk,
        ["5"],
    )
    world.users["parent"].refresh_from_db()
    assert world.users["parent"].today_visit_at is None  # a GET records no visit
    later = client.get("/api/v1/today", {"since": "2099-01-01T00:00:00+08:00"}).json()
    assert later["children"][0]["new_marks"] == []


def test_today_gives_administrators_their_figures(client_for, world, jw, day):
    director = client_for("director").get("/api/v1/today").json()
    (school,) = director["institutions"]
    assert (school["name"], school["invited"], school["attendance"]["students"]) == (
        "Школа № 3",
        2,
        5,  # the teacher and the student: the director has signed in
    )

    metodist = client_for("metodist").get("/api/v1/today").json()
    assert metodist["municipality"]["figures"]["schools"] == 2
    assert [s["name"] for s in metodist["municipality"]["attention"]] == ["Школа № 3", "Школа № 5"]


def test_teaching_lists_groups_and_subjects(client_for, world, jw):
    data = client_for("teacher").get(f"{J}/teachers/{world.people['teacher'].pk}/teaching").json()

    assert [(t["group"]["name"], t["subject"]["name"]) for t in data] == [
        ("7Б", "Математика"),
        ("7Б", "Физическая культура"),
    ]


def test_lessons_of_a_range_for_a_group_a_teacher_and_a_student(client_for, world, jw, day):
    first, second, tomorrow = day
    query = f"from={TODAY.isoformat()}&to={tomorrow.date.isoformat()}"

    group = client_for("director").get(f"{J}/lessons?group_id={jw.klass.pk}&{query}").json()
    student = (
        client_for("parent")
        .get(f"{J}/lessons?student_id={world.people['student'].pk}&{query}")
        .json()
    )

    ids = [ls["id"] for ls in group["items"]]
    assert ids[:2] == [first.pk, second.pk]
    assert set(ids) == set(
        Lesson.objects.filter(group=jw.klass, date__gte=TODAY, date__lte=tomorrow.date).values_list(
            "pk", flat=True
        )
    )
    assert [ls["id"] for ls in student["items"]] == ids
    assert group["items"][1]["starts_at"] == "08:50:00"


def test_a_teacher_of_the_group_reads_only_their_subjects(client_for, world, jw, day):
    from setka.network.models import Membership

    partner = world.people["partner"]
    Membership.objects.create(
        person=partner,
        institution=world.school,
        role=Membership.Role.TEACHER,
        starts_on=jw.year.starts_on,
    )
    pe = structure.subject_get_or_create(world.municipality, "Физическая культура", "физ-ра")
    jw.klass.assignments.filter(subject=pe).update(teacher=partner)

    data = client_for("partner").get(f"{J}/lessons?group_id={jw.klass.pk}").json()

    assert {ls["subject"]["name"] for ls in data["items"]} == {"Физическая культура"}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-12-10&to=2026-12-01", "to", "Последний день не может быть раньше первого."),
        ("from=2026-11-01&to=2026-12-20", "to", "Запрашивайте не больше 31 дня за раз."),
        (
            "",
            "teacher_id",
            "Укажите ровно один из параметров: teacher_id, group_id или student_id.",
        ),
        ("from=2026-13-01", "from", None),
    ],
)
def test_bad_ranges_are_422_in_russian(client_for, world, jw, query, field, message):
    who = "" if field == "teacher_id" else f"group_id={jw.klass.pk}&"

    response = client_for("teacher").get(f"{J}/lessons?{who}{query}")

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == field
    if message:
        assert error["message"] == message


@pytest.mark.parametrize("extra", [0, 4], ids=["one class", "five classes"])
def test_day_lists_query_budget(client_for, world, jw, day, extra, django_assert_num_queries):
    for i in range(extra):
        group = another_class(world, jw, f"{5 + i}А")
        lesson(jw, group=group, number=4, teacher=world.people["teacher"])
        structure.assignment_create(
            actor=world.users["director"],
            group=group,
            subject=jw.maths,
            teacher=world.people["teacher"],
        )
        structure.timetable_entry_create(
            actor=world.users["director"],
            group=group,
            subject=jw.maths,
            teacher=world.people["teacher"],
            weekday=4,
            number=1 + i,
        )
    client = client_for("teacher")
    pid = world.people["teacher"].pk
    client.get("/api/v1/me")  # the session, once
    director = Client()
    director.force_login(world.users["director"])
    director.get("/api/v1/me")

    # the session and user, the roles, the list
    with django_assert_num_queries(4):
        assert client.get(f"{J}/teachers/{pid}/teaching").status_code == 200
    with django_assert_num_queries(4):
        assert client.get(f"{J}/lessons?teacher_id={pid}").status_code == 200
    with django_assert_num_queries(4):
        assert client.get(f"{J}/teachers/{pid}/timetable").status_code == 200
    # the session and user, the roles, the institution, years, periods, groups, subjects
    with django_assert_num_queries(8):
        assert director.get(f"{J}/institutions/{world.school.pk}/structure").status_code == 200


def test_structure_of_the_current_year(client_for, world, jw):
    sub = structure.group_create(
        actor=world.users["director"],
        year=jw.year,
        name="7Б англ",
        kind="subgroup",
        parent=jw.klass,
    )
    GroupMember.objects.filter(pk__in=[]).exists()

    data = client_for("director").get(f"{J}/institutions/{world.school.pk}/structure").json()

    assert data["year"]["name"] == "2026/2027"
    assert [p["name"] for p in data["periods"]][:2] == ["1 четверть", "2 четверть"]
    assert {(g["name"], g["parent_id"]) for g in data["groups"]} == {
        ("7Б", None),
        ("7Б англ", jw.klass.pk),
    }
    assert [s["name"] for s in data["subjects"]] == ["Математика", "Физическая культура"]
    bad = client_for("director").get(f"{J}/institutions/{world.school.pk}/structure?year_id=999999")
    assert bad.status_code == 422
    assert sub.pk


def test_timetable_of_a_class_by_day_and_bell(client_for, world, jw, day):
    data = client_for("teacher").get(f"{J}/groups/{jw.klass.pk}/timetable?on={iso(2026, 11, 26)}")

    items = data.json()["items"]
    assert [(e["weekday"], e["number"], e["subject"]["name"]) for e in items] == [
        (1, 2, "Математика"),
        (2, 3, "Физическая культура"),
        (3, 2, "Математика"),
        (5, 2, "Математика"),
    ]
    assert items[0]["starts_at"] == "08:50:00"
    assert dt.date.fromisoformat(data.json()["on"]) == TODAY
