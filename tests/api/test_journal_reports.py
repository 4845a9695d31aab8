"""Reports and period marks through the API: GET /journal/reports/…, GET and PUT
…/period-marks. The numbers themselves are tested in tests/journal/test_reports.py: here,
that the API gives the same ones, to the same people."""

from __future__ import annotations

import pytest

from setka.core.models import AuditEntry
from setka.journal import reports
from setka.journal.models import GroupMember, PeriodMark
from setka.journal.services import records
from tests import factories as f
from tests.conftest import ROLES

from ..clock import d
from .conftest import assert_problem, error_fields


@pytest.fixture
def marked(world, jw):
    """Maths in the 2nd quarter: the student 5 5 4, the next 2 2 3, a period mark 4 for the
    third; an absence."""
    teacher = world.users["teacher"]
    lessons = list(jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25))[:3])
    for student, values in zip(jw.students, ([5, 5, 4], [2, 2, 3]), strict=False):
        for lesson, value in zip(lessons, values, strict=True):
            records.mark_create(actor=teacher, lesson=lesson, student=student, value=value)
    records.period_mark_set(
        actor=teacher,
        group=jw.klass,
        subject=jw.maths,
        student=jw.students[2],
        period=jw.q2,
        value=4,
    )
    records.attendance_set(actor=teacher, lesson=lessons[0], student=jw.students[3], code="Н")
    return lessons


def expect(response, role: str, allowed: set[str]) -> None:
    if role == "anonymous":
        assert_problem(response, 401)
    elif role in allowed:
        assert response.status_code == 200, response.content
    else:
        assert_problem(response, 404)


# --- reports --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_class_report_permissions(api, world, jw, role):
    response = api.as_(role).get(f"/journal/reports/classes/{jw.klass.pk}")

    # The class teacher (the world's teacher), the school's and the municipal admins; not
    # the methodologist (aggregates only).
    expect(response, role, {"teacher", "director", "admin"})


def test_class_report_matches_the_report_pages(api, world, jw, marked):
    body = api.as_("director").get(f"/journal/reports/classes/{jw.klass.pk}").json()

    expected = reports.class_report(jw.klass, reports.window_for(jw.year, jw.q2, jw.klass))
    assert body["window"]["period_number"] == 2
    assert body["total"]["students"] == expected.total.students == 3
    assert body["total"]["success"] == float(expected.total.success)
    assert body["total"]["quality"] == float(expected.total.quality)
    assert body["attendance"]["absent"] == 1
    s0 = next(s for s in body["students"] if s["id"] == jw.students[0].pk)
    assert s0["results"] == [
        {
            "subject_id": jw.maths.pk,
            "result": 5,
            "text": "5",
            "is_period_mark": False,
            "average": 4.67,
            "marks": 3,
        }
    ]
    assert s0["status"] == "good"
    s2 = next(s for s in body["students"] if s["id"] == jw.students[2].pk)
    assert s2["results"][0]["is_period_mark"] is True


def test_class_report_for_the_year_and_bad_period(api, world, jw, marked):
    api.as_("director")

    year = api.get(f"/journal/reports/classes/{jw.klass.pk}?period=year").json()
    q1 = api.get(f"/journal/reports/classes/{jw.klass.pk}?period={jw.q1.pk}").json()

    assert year["window"]["period_number"] is None
    assert q1["total"]["students"] == 0
    for bad in ("99999999", "abc", "0", "-1", "year1"):
        response = api.get(f"/journal/reports/classes/{jw.klass.pk}?period={bad}")
        assert_problem(response, 422)
        assert error_fields(response) == {"period"}


@pytest.mark.parametrize("extra", [0, 30], ids=["5 students", "35 students"])
def test_class_report_query_budget(api, django_assert_num_queries, world, jw, marked, extra):
    for i in range(extra):
        person = f.PersonFactory(municipality=world.municipality, surname=f"Доп{i:02}")
        GroupMember.objects.create(
            group=jw.klass,
            student=person,
            home_institution=world.school,
            starts_on=jw.year.starts_on,
        )
    client = api.as_("director")

    with django_assert_num_queries(9):
        response = client.get(f"/journal/reports/classes/{jw.klass.pk}")

    assert len(response.json()["students"]) == 5 + extra


@pytest.mark.parametrize("role", ROLES)
def test_school_report_permissions(api, world, jw, role):
    response = api.as_(role).get(f"/journal/reports/institutions/{world.school.pk}")

    expect(response, role, {"director", "admin", "metodist"})


def test_school_report_shape(api, world, jw, marked):
    body = api.as_("metodist").get(f"/journal/reports/institutions/{world.school.pk}").json()

    assert body["year"] == {"id": jw.year.pk, "name": "2026/2027"}
    (klass,) = body["classes"]
    assert (klass["id"], klass["grade"], klass["rates"]["students"]) == (jw.klass.pk, 7, 3)
    assert [p["name"] for p in body["parallels"]] == ["7"]
    assert [s["id"] for s in body["subjects"]] == [jw.maths.pk]
    assert "students" not in klass  # aggregates only


def test_school_report_without_a_year_and_bad_year(api, world, jw):
    api.as_("admin")

    body = api.get(f"/journal/reports/institutions/{world.other_school.pk}").json()
    response = api.get(f"/journal/reports/institutions/{world.school.pk}?year_id=999999")

    assert (body["year"], body["classes"], body["total"]["students"]) == (None, [], 0)
    assert_problem(response, 422)
    assert error_fields(response) == {"year_id"}


@pytest.mark.parametrize("role", ROLES)
def test_municipal_report_permissions(api, world, jw, role):
    response = api.as_(role).get(f"/journal/reports/municipalities/{world.municipality.pk}")

    expect(response, role, {"admin", "metodist"})


def test_municipal_report_shape(api, world, jw, marked):
    api.as_("metodist")
    url = f"/journal/reports/municipalities/{world.municipality.pk}"

    body = api.get(url).json()
    year = api.get(f"{url}?window=2026/2027:year").json()
    response = api.get(f"{url}?window=nonsense")

    assert body["window_key"] == "2026/2027:quarters:2"
    assert [s["name"] for s in body["schools"]] == ["Школа № 3"]
    assert body["total"]["students"] == 3
    assert year["window"]["period_number"] is None
    assert_problem(response, 422)
    assert error_fields(response) == {"window"}


# --- period marks ---------------------------------------------------------------------------


def pm_url(jw, subject=None) -> str:
    return f"/journal/groups/{jw.klass.pk}/subjects/{(subject or jw.maths).pk}/period-marks"


@pytest.mark.parametrize("role", ROLES)
def test_period_marks_list_permissions(api, world, jw, role):
    response = api.as_(role).get(f"{pm_url(jw)}?period_id={jw.q2.pk}")

    expect(response, role, {"teacher", "director", "admin"})


def test_period_marks_list_shape(api, world, jw, marked):
    body = api.as_("teacher").get(f"{pm_url(jw)}?period_id={jw.q2.pk}").json()

    assert body["period"]["id"] == jw.q2.pk
    rows = {r["student_id"]: r for r in body["students"]}
    assert (rows[jw.students[0].pk]["average"], rows[jw.students[0].pk]["suggested"]) == (4.67, 5)
    assert rows[jw.students[0].pk]["mark"] is None
    mark = rows[jw.students[2].pk]["mark"]
    assert (mark["value"], mark["text"], mark["is_override"]) == (4, "4", True)
    year = api.get(pm_url(jw)).json()
    assert year["period"] is None
    assert year["students"][0]["count"] >= 0


@pytest.mark.parametrize("role", ROLES)
def test_period_mark_set_permissions(api, world, jw, marked, role):
    response = api.as_(role).put(
        pm_url(jw), {"student_id": jw.students[0].pk, "period_id": jw.q2.pk, "value": 5}
    )

    if role == "anonymous":
        assert_problem(response, 401)
    elif role == "teacher":
        assert response.status_code == 200, response.content
    elif role in {"director", "admin"}:
        assert_problem(response, 403)
    else:
        assert_problem(response, 404)


def test_period_mark_set_confirms_overrides_and_year(api, world, jw, marked):
    student = jw.students[0]
    api.as_("teacher")

    confirmed = api.put(pm_url(jw), {"student_id": student.pk, "period_id": jw.q2.pk, "value": 5})
    override = api.put(pm_url(jw), {"student_id": student.pk, "period_id": jw.q2.pk, "value": 4})
    year = api.put(pm_url(jw), {"student_id": student.pk, "not_certified": True})

    assert (confirmed.json()["is_override"], confirmed.json()["suggested"]) == (False, 5)
    assert override.json()["is_override"] is True
    assert (year.json()["period_id"], year.json()["text"]) == (None, "н/а")
    assert PeriodMark.objects.get(student=student, period=jw.q2).value == 4
    assert AuditEntry.objects.filter(action="journal.period_mark.set").count() == 1 + 3


def test_period_mark_set_pass_fail(api, world, jw):
    response = api.as_("teacher").put(
        pm_url(jw, jw.pe), {"student_id": jw.students[0].pk, "period_id": jw.q2.pk, "passed": True}
    )

    assert response.status_code == 200, response.content
    assert response.json()["text"] == "зач"
