"""The permission matrix: every page and API endpoint × every role of the ``world`` (the demo
roles, an anonymous visitor, a teacher of another institution and a parent of another
child). Codes: a number is the status; "L" a redirect to the sign-in page; "R" another
redirect (the action was allowed). A test below fails when a page or endpoint exists that
the matrix does not list."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from setka.accounts.services import token_create
from setka.config.api import api
from setka.network.models import Guardianship, Membership, MunicipalRole

from .clock import iso
from .conftest import ROLES
from .journal.conftest import jw  # noqa: F401
from .matrix import Row

pytestmark = pytest.mark.django_db


def _p(key):
    return lambda w: w.people[key].pk


ALL_200 = "200 200 200 200 200 200 200 200 200 200"
SIGNED_IN_200 = "L 200 200 200 200 200 200 200 200 200"

# anon admin metodist director teacher student parent partner other_teacher other_parent
PAGES = [
    Row("home", lambda w: reverse("home"), ALL_200),
    Row("healthz", lambda w: reverse("healthz"), ALL_200),
    Row("network:directory", lambda w: reverse("network:directory"), ALL_200),
    # the menu's way into an institution's tool: only for those who administer one
    Row("go", lambda w: reverse("go", args=["people"]), "L 404 404 R 404 404 404 404 404 404"),
    Row("network:institution", lambda w: reverse("network:institution", args=["school-3"]), ALL_200),
    Row("network:manage_institutions", lambda w: reverse("network:manage_institutions"),
        "L 200 200 403 403 403 403 403 403 403"),
    Row("network:institution_create", lambda w: reverse("network:institution_create"),
        "L 200 200 403 403 403 403 403 403 403"),
    Row("network:institution_edit", lambda w: reverse("network:institution_edit", args=["school-3"]),
        "L 200 200 200 404 404 404 404 404 404"),
    Row("network:municipal_roles", lambda w: reverse("network:municipal_roles"),
        "L 200 403 403 403 403 403 403 403 403"),
    Row("network:people", lambda w: reverse("network:people", args=["school-3"]),
        "L 200 200 200 404 404 404 404 404 404"),
    Row("network:person_add", lambda w: reverse("network:person_add", args=["school-3"]),
        "L 200 404 200 404 404 404 404 404 404"),
    Row("network:people_import", lambda w: reverse("network:people_import", args=["school-3"]),
        "L 200 404 200 404 404 404 404 404 404"),
    Row("network:people_import_template",
        lambda w: reverse("network:people_import_template", args=["school-3", "csv"]),
        "L 200 404 200 404 404 404 404 404 404"),
    Row("network:person", lambda w: reverse("network:person", args=[_p("student")(w)]),
        "L 200 404 200 404 200 200 404 404 404"),
    Row("network:person", lambda w: reverse("network:person", args=[_p("teacher")(w)]),
        "L 200 404 200 200 404 404 404 404 404"),
    Row("network:person_edit", lambda w: reverse("network:person_edit", args=[_p("student")(w)]),
        "L 200 404 200 404 404 404 404 404 404"),
    Row("network:membership_add", lambda w: reverse("network:membership_add", args=[_p("student")(w)]),
        "L 200 404 200 404 404 404 404 404 404"),
    Row("network:guardian_add", lambda w: reverse("network:guardian_add", args=[_p("student")(w)]),
        "L 200 404 200 404 404 404 404 404 404"),
    Row("network:person_account", lambda w: reverse("network:person_account", args=[_p("teacher")(w)]),
        "L R 404 R 404 404 404 404 404 404", method="post"),
    Row("network:membership_end",
        lambda w: reverse("network:membership_end",
                          args=[Membership.objects.get(person=w.people["teacher"]).pk]),
        "L R 404 R 404 404 404 404 404 404", method="post"),
    Row("network:guardianship_end",
        lambda w: reverse("network:guardianship_end",
                          args=[Guardianship.objects.get(student=w.people["student"]).pk]),
        "L R 404 R 404 404 404 404 404 404", method="post"),
    Row("network:municipal_role_end",
        lambda w: reverse("network:municipal_role_end",
                          args=[MunicipalRole.objects.get(person=w.people["metodist"]).pk]),
        "L R 404 404 404 404 404 404 404 404", method="post"),
    Row("accounts:login", lambda w: reverse("accounts:login"), "200 R R R R R R R R R"),
    Row("accounts:logout", lambda w: reverse("accounts:logout"), "R R R R R R R R R R", method="post"),
    Row("accounts:profile", lambda w: reverse("accounts:profile"), SIGNED_IN_200),
    Row("accounts:password_change", lambda w: reverse("accounts:password_change"), SIGNED_IN_200),
    Row("accounts:password_change_done", lambda w: reverse("accounts:password_change_done"), SIGNED_IN_200),
    Row("accounts:password_reset", lambda w: reverse("accounts:password_reset"), ALL_200),
    Row("accounts:password_reset_done", lambda w: reverse("accounts:password_reset_done"), ALL_200),
    Row("accounts:password_reset_confirm",
        lambda w: reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]), ALL_200),
    Row("accounts:password_reset_complete", lambda w: reverse("accounts:password_reset_complete"), ALL_200),
    Row("accounts:token_create", lambda w: reverse("accounts:token_create"),
        "L 400 400 400 400 400 400 400 400 400", method="post", data={"name": ""}),
    Row("accounts:token_revoke",
        lambda w: reverse("accounts:token_revoke", args=[token_create(actor=w.users["admin"], name="t")[0].pk]),
        "L R 404 404 404 404 404 404 404 404", method="post"),
]  # fmt: skip

API = "/api/v1"
# anon admin metodist director teacher student parent partner other_teacher other_parent
API_ROWS = [
    Row("POST /auth/token", lambda w: f"{API}/auth/token", "422 422 422 422 422 422 422 422 422 422",
        method="post", data={}),
    Row("GET /me", lambda w: f"{API}/me", "401 200 200 200 200 200 200 200 200 200"),
    Row("GET /tokens", lambda w: f"{API}/tokens", "401 200 200 200 200 200 200 200 200 200"),
    Row("DELETE /tokens/{token_id}",
        lambda w: f"{API}/tokens/{token_create(actor=w.users['admin'], name='t')[0].pk}",
        "401 204 404 404 404 404 404 404 404 404", method="delete"),
    Row("GET /institutions", lambda w: f"{API}/institutions", ALL_200),
    Row("POST /institutions", lambda w: f"{API}/institutions",
        "401 201 201 403 403 403 403 403 403 403", method="post",
        data={"kind": "library", "full_name": "Библиотека", "short_name": "Библиотека"}),
    Row("GET /institutions/{institution_id}", lambda w: f"{API}/institutions/{w.school.pk}", ALL_200),
    Row("PATCH /institutions/{institution_id}", lambda w: f"{API}/institutions/{w.school.pk}",
        "401 200 200 200 403 403 403 403 403 403", method="patch", data={}),
    Row("GET /institutions/{institution_id}/members",
        lambda w: f"{API}/institutions/{w.school.pk}/members",
        "401 200 200 200 403 403 403 403 403 403"),
    Row("POST /institutions/{institution_id}/members",
        lambda w: f"{API}/institutions/{w.school.pk}/members",
        "401 201 403 201 403 403 403 403 403 403", method="post",
        data={"role": "teacher", "person": {"surname": "Новикова", "given_name": "Анна"}}),
    Row("GET /people/{person_id}", lambda w: f"{API}/people/{w.people['student'].pk}",
        "401 200 404 200 404 200 200 404 404 404"),
    Row("PATCH /people/{person_id}", lambda w: f"{API}/people/{w.people['student'].pk}",
        "401 200 404 200 404 403 403 404 404 404", method="patch", data={}),
    Row("POST /people/{person_id}/memberships",
        lambda w: f"{API}/people/{w.people['student'].pk}/memberships",
        "401 201 404 201 404 403 403 404 404 404", method="post",
        data={"institution_id": None, "role": "staff"}),
    Row("POST /people/{person_id}/guardians",
        lambda w: f"{API}/people/{w.people['student'].pk}/guardians",
        "401 201 404 201 404 403 403 404 404 404", method="post",
        data={"guardian": {"surname": "Учеников", "given_name": "Павел"}, "kind": "father"}),
    Row("POST /people/{person_id}/account",
        lambda w: f"{API}/people/{w.people['other_student'].pk}/account",
        "401 201 404 404 404 404 404 404 404 403", method="post", data={}),
    Row("PATCH /memberships/{membership_id}",
        lambda w: f"{API}/memberships/{Membership.objects.get(person=w.people['teacher']).pk}",
        "401 200 404 200 403 404 404 404 404 404", method="patch", data={}),
    Row("POST /guardianships/{guardianship_id}/end",
        lambda w: f"{API}/guardianships/{Guardianship.objects.get(student=w.people['student']).pk}/end",
        "401 200 404 200 404 403 403 404 404 404", method="post", data={}),
]  # fmt: skip


def _api_cases():
    for row in API_ROWS:
        codes = row.codes.split()
        assert len(codes) == len(ROLES), row.name
        for role, code in zip(ROLES, codes, strict=True):
            yield pytest.param(row, role, code, id=f"{row.name}-{role}")


@pytest.mark.parametrize(("row", "role", "expected"), list(_api_cases()))
def test_api_permission(client_for, world, row, role, expected):
    client = client_for(role)
    url = row.url(world)

    data = dict(row.data or {})
    if "institution_id" in data:
        data["institution_id"] = world.school.pk
    if row.method in ("get", "delete"):
        response = getattr(client, row.method)(url)
    else:
        response = getattr(client, row.method)(url, data, content_type="application/json")

    assert response.status_code == int(expected), response.content[:300]


def test_every_api_operation_is_in_the_matrix():
    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path.removeprefix(API)}"
        for path, ops in schema["paths"].items()
        for method in ops
    }

    listed = {row.name for row in API_ROWS + JOURNAL_API + DOMAIN_API}
    assert sorted(operations - listed) == []


# --- the journal (the ``jw`` year: class 7Б of school №3, maths and PE taught by ``teacher``,
# who is also the class teacher of 7Б) ------------------------------------------------------


def _lesson(j):
    return j.lessons(period=j.q2).first()


def _deleted_mark(w, j):
    """A mark the teacher deleted a moment ago: the grid's undo brings it back."""
    from setka.journal.services import records

    mark = records.mark_create(
        actor=w.users["teacher"], lesson=_lesson(j), student=j.students[1], value=4
    )
    records.mark_delete(actor=w.users["teacher"], mark=mark)
    return {"mark": mark.pk, "next": "/"}


def _attachment(w, j):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from setka.journal.services import homework

    hw, _warnings = homework.homework_set(actor=w.users["teacher"], lesson=_lesson(j), text="№ 5")
    file = SimpleUploadedFile("task.txt", b"task", content_type="text/plain")
    return homework.homework_attachment_add(actor=w.users["teacher"], homework=hw, file=file)


def _member(j):
    return j.klass.members.get(student=j.students[1])


def _entry(j):
    return j.klass.timetable.first()


def _assignment(j):
    return j.klass.assignments.first()


J_READ = "L 200 404 200 200 404 404 404 404 404"  # teacher (and class teacher), director, admin
J_ADMIN = "L 200 404 200 404 404 404 404 404 404"  # the school's and the municipal admins
J_ADMIN_POST = "L 403 404 R 404 404 404 404 404 404"  # only the school's admin writes
J_ADMIN_LIST = "L 200 403 200 403 403 403 403 403 403"  # object-less pages of the structure

JOURNAL = [
    Row("journal:index", lambda w, j: reverse("journal:index"), SIGNED_IN_200),
    Row("journal:grid", lambda w, j: reverse("journal:grid", args=[j.klass.pk, j.maths.pk]), J_READ),
    Row("journal:phone_entry", lambda w, j: reverse("journal:phone_entry", args=[j.klass.pk, j.maths.pk]), J_READ),
    Row("journal:cell", lambda w, j: reverse("journal:cell", args=[j.klass.pk, j.maths.pk]),
        "L 403 404 403 200 404 404 404 404 404", method="post",
        data=lambda w, j: {"lesson": _lesson(j).pk, "student": j.students[0].pk, "text": "5"}),
    Row("journal:period_mark", lambda w, j: reverse("journal:period_mark", args=[j.klass.pk, j.maths.pk]),
        "L 403 404 403 200 404 404 404 404 404", method="post",
        data=lambda w, j: {"student": j.students[0].pk, "period": j.q2.pk, "value": "4"}),
    Row("journal:marks_restore", lambda w, j: reverse("journal:marks_restore", args=[j.klass.pk, j.maths.pk]),
        "L 403 404 403 R 404 404 404 404 404", method="post", data=_deleted_mark),
    Row("journal:final_marks", lambda w, j: reverse("journal:final_marks", args=[j.klass.pk, j.maths.pk]), J_READ),
    Row("journal:final_mark", lambda w, j: reverse("journal:final_mark", args=[j.klass.pk, j.maths.pk]),
        "L 403 404 403 200 404 404 404 404 404", method="post",
        data=lambda w, j: {"student": j.students[0].pk, "value": "4"}),
    Row("journal:lesson", lambda w, j: reverse("journal:lesson", args=[_lesson(j).pk]), J_READ),
    Row("journal:attachment",
        lambda w, j: reverse("journal:attachment", args=[_lesson(j).pk, _attachment(w, j).pk]),
        "L 200 404 200 200 200 200 404 404 404"),
    Row("journal:class", lambda w, j: reverse("journal:class", args=[j.klass.pk]), J_READ),
    Row("journal:completeness", lambda w, j: reverse("journal:completeness"),
        "L 404 404 200 200 404 404 404 404 404"),
    Row("journal:attendance_day", lambda w, j: reverse("journal:attendance_day", args=[j.klass.pk]), J_READ),
    Row("journal:attendance_school", lambda w, j: reverse("journal:attendance_school", args=["school-3"]),
        J_ADMIN),
    Row("journal:diary", lambda w, j: reverse("journal:diary"), "L 404 404 404 404 200 200 404 404 200"),
    Row("journal:diary_summary", lambda w, j: reverse("journal:diary_summary"),
        "L 404 404 404 404 200 200 404 404 200"),
    Row("journal:diary_subject_marks", lambda w, j: reverse("journal:diary_subject_marks", args=[j.maths.pk]),
        "L 404 404 404 404 200 200 404 404 200"),
    Row("journal:diary_subject_marks (the world's student)",
        lambda w, j: reverse("journal:diary_subject_marks", args=[j.maths.pk]) + f"?student={w.people['student'].pk}",
        "L 404 404 404 404 200 200 404 404 404"),
    Row("journal:diary_digest", lambda w, j: reverse("journal:diary_digest"),
        "L 404 404 404 404 404 R 404 404 R", method="post", data={"frequency": "weekly"}),
    Row("journal:report_index", lambda w, j: reverse("journal:report_index"),
        "L 200 200 200 200 404 404 404 404 404"),
    Row("journal:report_class", lambda w, j: reverse("journal:report_class", args=[j.klass.pk]), J_READ),
    Row("journal:export_class_report", lambda w, j: reverse("journal:export_class_report", args=[j.klass.pk]),
        J_READ),
    Row("journal:report_school", lambda w, j: reverse("journal:report_school", args=["school-3"]),
        "L 200 200 200 404 404 404 404 404 404"),
    Row("journal:export_school_report", lambda w, j: reverse("journal:export_school_report", args=["school-3"]),
        "L 200 200 200 404 404 404 404 404 404"),
    Row("journal:report_municipality", lambda w, j: reverse("journal:report_municipality"),
        "L 200 200 404 404 404 404 404 404 404"),
    Row("journal:export_municipal_report", lambda w, j: reverse("journal:export_municipal_report"),
        "L 200 200 404 404 404 404 404 404 404"),
    Row("journal:export_journal_xlsx",
        lambda w, j: reverse("journal:export_journal_xlsx", args=[j.klass.pk, j.q2.pk]), J_READ),
    Row("journal:export_journal_pdf",
        lambda w, j: reverse("journal:export_journal_pdf", args=[j.klass.pk, j.q2.pk]), J_READ),
    Row("journal:structure_index", lambda w, j: reverse("journal:structure_index"),
        "L 200 403 R 403 403 403 403 403 403"),
    Row("journal:structure_years", lambda w, j: reverse("journal:structure_years", args=["school-3"]), J_ADMIN),
    Row("journal:structure_year_create",
        lambda w, j: reverse("journal:structure_year_create", args=["school-3"]),
        "L 403 404 200 404 404 404 404 404 404"),
    Row("journal:structure_year", lambda w, j: reverse("journal:structure_year", args=[j.year.pk]), J_ADMIN),
    Row("journal:structure_year_settings",
        lambda w, j: reverse("journal:structure_year_settings", args=[j.year.pk]),
        "L 403 404 200 404 404 404 404 404 404"),
    Row("journal:structure_holiday_add", lambda w, j: reverse("journal:structure_holiday_add", args=[j.year.pk]),
        "L 403 404 400 404 404 404 404 404 404", method="post", data={}),
    Row("journal:structure_holiday_remove",
        lambda w, j: reverse("journal:structure_holiday_remove", args=[j.year.holidays.first().pk]),
        J_ADMIN_POST, method="post"),
    Row("journal:structure_period_close",
        lambda w, j: reverse("journal:structure_period_close", args=[j.q2.pk]), J_ADMIN_POST, method="post"),
    Row("journal:structure_period_reopen",
        lambda w, j: reverse("journal:structure_period_reopen", args=[j.q2.pk]),
        "L 403 404 R 404 404 404 404 404 404", method="post", data={"reason": "ошибка"}),
    Row("journal:structure_groups", lambda w, j: reverse("journal:structure_groups", args=[j.year.pk]), J_ADMIN),
    Row("journal:structure_group_create",
        lambda w, j: reverse("journal:structure_group_create", args=[j.year.pk]),
        "L 403 404 200 404 404 404 404 404 404"),
    Row("journal:structure_group", lambda w, j: reverse("journal:structure_group", args=[j.klass.pk]), J_ADMIN),
    Row("journal:structure_group_edit", lambda w, j: reverse("journal:structure_group_edit", args=[j.klass.pk]),
        "L 403 404 200 404 404 404 404 404 404"),
    Row("journal:structure_members_add",
        lambda w, j: reverse("journal:structure_members_add", args=[j.klass.pk]),
        "L 403 404 200 404 404 404 404 404 404"),
    Row("journal:structure_member_remove",
        lambda w, j: reverse("journal:structure_member_remove", args=[_member(j).pk]),
        J_ADMIN_POST, method="post", data={"ends_on": iso(2026, 12, 1)}),
    Row("journal:structure_assignment_add",
        lambda w, j: reverse("journal:structure_assignment_add", args=[j.klass.pk]),
        "L 403 404 400 404 404 404 404 404 404", method="post", data={}),
    Row("journal:structure_assignment_end",
        lambda w, j: reverse("journal:structure_assignment_end", args=[_assignment(j).pk]),
        J_ADMIN_POST, method="post", data={"ends_on": iso(2026, 12, 1)}),
    Row("journal:structure_bells", lambda w, j: reverse("journal:structure_bells", args=[j.year.pk]), J_ADMIN),
    Row("journal:structure_bells_default",
        lambda w, j: reverse("journal:structure_bells_default", args=[j.year.pk]), J_ADMIN_POST, method="post"),
    Row("journal:structure_bell_remove",
        lambda w, j: reverse("journal:structure_bell_remove", args=[_bell(w, j).pk]), J_ADMIN_POST, method="post"),
    Row("journal:structure_timetable",
        lambda w, j: reverse("journal:structure_timetable", args=[j.klass.pk]), J_ADMIN),
    Row("journal:structure_entry_end", lambda w, j: reverse("journal:structure_entry_end", args=[_entry(j).pk]),
        J_ADMIN_POST, method="post", data={"ends_on": iso(2026, 12, 1)}),
    Row("journal:structure_generate", lambda w, j: reverse("journal:structure_generate", args=[j.year.pk]),
        "L 403 404 200 404 404 404 404 404 404", method="post"),
    Row("journal:structure_day", lambda w, j: reverse("journal:structure_day", args=[j.year.pk]), J_ADMIN),
    Row("journal:structure_lesson", lambda w, j: reverse("journal:structure_lesson", args=[_lesson(j).pk]),
        J_ADMIN),
    Row("journal:structure_lesson_substitute",
        lambda w, j: reverse("journal:structure_lesson_substitute", args=[_lesson(j).pk]),
        "L 403 404 R 404 404 404 404 404 404", method="post", data={"substitute": ""}),
    Row("journal:structure_lesson_cancel",
        lambda w, j: reverse("journal:structure_lesson_cancel", args=[_lesson(j).pk]),
        "L 403 404 R 404 404 404 404 404 404", method="post", data={"reason": "карантин"}),
    Row("journal:structure_lesson_move",
        lambda w, j: reverse("journal:structure_lesson_move", args=[_lesson(j).pk]),
        "L 403 404 400 404 404 404 404 404 404", method="post", data={}),
    Row("journal:import_home", lambda w, j: reverse("journal:import_home", args=[j.year.pk]),
        "L 403 404 200 404 404 404 404 404 404"),
    Row("journal:import_file", lambda w, j: reverse("journal:import_file", args=[j.year.pk, "marks"]),
        "L 403 404 200 404 404 404 404 404 404"),
    Row("journal:import_plan", lambda w, j: reverse("journal:import_plan", args=[j.klass.pk]),
        "L 404 404 200 200 404 404 404 404 404"),
    Row("journal:import_export",
        lambda w, j: reverse("journal:import_export", args=[j.year.pk, "marks", "csv"]), J_ADMIN),
    Row("journal:import_template", lambda w, j: reverse("journal:import_template", args=["marks", "csv"]),
        "L 200 200 200 200 403 403 200 200 403"),  # for staff of any institution
]  # fmt: skip


def _mark(w, j):
    from setka.journal.services import records

    return records.mark_create(
        actor=w.users["teacher"], lesson=_lesson(j), student=j.students[0], value=4
    )


def _cell(w, j, **extra):
    return {"lesson_id": _lesson(j).pk, "student_id": j.students[0].pk, **extra}


JA = "/api/v1/journal"
J_API_READ = "401 200 404 200 200 404 404 404 404 404"
J_API_WRITE = "401 403 404 403 200 404 404 404 404 404"
# anon admin metodist director teacher student parent partner other_teacher other_parent
JOURNAL_API = [
    Row("GET /journal/groups/{group_id}/subjects/{subject_id}/grid",
        lambda w, j: f"{JA}/groups/{j.klass.pk}/subjects/{j.maths.pk}/grid", J_API_READ),
    Row("GET /journal/groups/{group_id}/subjects/{subject_id}/period-marks",
        lambda w, j: f"{JA}/groups/{j.klass.pk}/subjects/{j.maths.pk}/period-marks?period_id={j.q2.pk}", J_API_READ),
    Row("PUT /journal/groups/{group_id}/subjects/{subject_id}/period-marks",
        lambda w, j: f"{JA}/groups/{j.klass.pk}/subjects/{j.maths.pk}/period-marks", J_API_WRITE, method="put",
        data=lambda w, j: {"student_id": j.students[0].pk, "period_id": j.q2.pk, "value": 4}),
    # a lesson in the body that one may not use is a 422 on that field; readers get a 403
    Row("PUT /journal/cells", lambda w, j: f"{JA}/cells", "401 403 422 403 200 422 422 422 422 422",
        method="put", data=lambda w, j: _cell(w, j, text="5")),
    Row("PUT /journal/attendance", lambda w, j: f"{JA}/attendance", "401 403 422 403 200 422 422 422 422 422",
        method="put", data=lambda w, j: _cell(w, j, code="Н")),
    Row("POST /journal/marks", lambda w, j: f"{JA}/marks", "401 403 422 403 201 422 422 422 422 422",
        method="post", data=lambda w, j: _cell(w, j, value=5)),
    Row("POST /journal/marks/batch", lambda w, j: f"{JA}/marks/batch", "401 403 422 403 201 422 422 422 422 422",
        method="post", data=lambda w, j: {"marks": [_cell(w, j, value=5), _cell(w, j, value=4)]}),
    Row("GET /journal/marks/{mark_id}", lambda w, j: f"{JA}/marks/{_mark(w, j).pk}", J_API_READ),
    Row("PATCH /journal/marks/{mark_id}", lambda w, j: f"{JA}/marks/{_mark(w, j).pk}", J_API_WRITE,
        method="patch", data={"value": 3, "reason": "пересдача"}),
    Row("DELETE /journal/marks/{mark_id}", lambda w, j: f"{JA}/marks/{_mark(w, j).pk}?reason=ошибка",
        "401 403 404 403 200 404 404 404 404 404", method="delete"),
    Row("GET /journal/marks/{mark_id}/history", lambda w, j: f"{JA}/marks/{_mark(w, j).pk}/history", J_API_READ),
    Row("GET /journal/lessons/{lesson_id}", lambda w, j: f"{JA}/lessons/{_lesson(j).pk}", J_API_READ),
    Row("PATCH /journal/lessons/{lesson_id}", lambda w, j: f"{JA}/lessons/{_lesson(j).pk}",
        "401 403 404 200 200 404 404 404 404 404", method="patch", data={"topic": "Дроби"}),  # the school's admin fixes topics too
    Row("PUT /journal/lessons/{lesson_id}/homework", lambda w, j: f"{JA}/lessons/{_lesson(j).pk}/homework",
        J_API_WRITE, method="put", data={"text": "№ 1", "minutes": 20}),
    Row("GET /journal/students/{person_id}/diary", lambda w, j: f"{JA}/students/{j.students[0].pk}/diary",
        "401 404 404 404 404 200 200 404 404 404"),
    Row("GET /journal/reports/classes/{group_id}", lambda w, j: f"{JA}/reports/classes/{j.klass.pk}", J_API_READ),
    Row("GET /journal/reports/institutions/{institution_id}",
        lambda w, j: f"{JA}/reports/institutions/{w.school.pk}", "401 200 200 200 404 404 404 404 404 404"),
    Row("GET /journal/reports/municipalities/{municipality_id}",
        lambda w, j: f"{JA}/reports/municipalities/{w.municipality.pk}", "401 200 200 404 404 404 404 404 404 404"),
]  # fmt: skip


def _journal_api_cases():
    for row in JOURNAL_API:
        codes = row.codes.split()
        assert len(codes) == len(ROLES), row.name
        for role, code in zip(ROLES, codes, strict=True):
            yield pytest.param(row, role, code, id=f"{row.name}-{role}")


@pytest.mark.parametrize(("row", "role", "expected"), list(_journal_api_cases()))
def test_journal_api_permission(client_for, world, jw, row, role, expected):
    url = row.url(world, jw)
    data = row.data(world, jw) if callable(row.data) else row.data
    client = client_for(role)

    if row.method in ("get", "delete"):
        response = getattr(client, row.method)(url)
    else:
        response = getattr(client, row.method)(url, data, content_type="application/json")

    assert response.status_code == int(expected), response.content[:300]


def _bell(w, j):
    from setka.journal.services import structure

    return structure.bell_set(actor=w.users["director"], year=j.year, number=1,
                              starts_at=dt.time(8, 30), ends_at=dt.time(9, 10))  # fmt: skip


def _journal_cases():
    for row in JOURNAL:
        codes = row.codes.split()
        assert len(codes) == len(ROLES), row.name
        for role, code in zip(ROLES, codes, strict=True):
            yield pytest.param(row, role, code, id=f"{row.name}-{role}")


@pytest.mark.parametrize(("row", "role", "expected"), list(_journal_cases()))
def test_journal_page_permission(client_for, world, jw, row, role, expected):
    url = row.url(world, jw)
    data = row.data(world, jw) if callable(row.data) else row.data
    client = client_for(role)

    response = getattr(client, row.method)(url, data or {})
    if response.streaming:  # a file download: read it, so that its file gets closed
        b"".join(response.streaming_content)

    _check(response, expected)


def _check(response, expected: str) -> None:
    if expected == "L":
        assert (response.status_code, response.url.split("?")[0]) == (
            302,
            reverse("accounts:login"),
        )
    elif expected == "R":
        assert response.status_code == 302
        assert not response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == int(expected)


# --- access control (issue 6, §2) -----------------------------------------------------------
# A substitute: ``partner`` also teaches at school №3 and covers the first maths lesson of the
# quarter in 7Б (``_lesson``); they write that lesson and nothing else. "read" / "write" is a
# 200 whose answer reports that access to the journal.


def _substitute(w, j):
    from setka.journal.services import timetable

    partner = w.people["partner"]
    Membership.objects.create(
        person=partner,
        institution=w.school,
        role=Membership.Role.TEACHER,
        starts_on=j.year.starts_on,
    )
    timetable.lesson_substitute(actor=w.users["director"], lesson=_lesson(j), substitute=partner)
    return _lesson(j)


def _other_lesson(j):
    return j.lessons(period=j.q2)[1]


def _sub(url):
    """The row's url, after making ``partner`` the substitute of ``_lesson``."""
    return lambda w, j: (_substitute(w, j), url(w, j))[1]


# anon admin metodist director teacher student parent partner other_teacher other_parent
SUBSTITUTE_PAGES = [
    Row("journal:grid", _sub(lambda w, j: reverse("journal:grid", args=[j.klass.pk, j.maths.pk])),
        "L read 404 read write 404 404 read 404 404"),
    Row("journal:cell", _sub(lambda w, j: reverse("journal:cell", args=[j.klass.pk, j.maths.pk])),
        "L 403 404 403 200 404 404 200 404 404", method="post",
        data=lambda w, j: {"lesson": _lesson(j).pk, "student": j.students[0].pk, "text": "5"}),
    Row("journal:cell (another lesson)",
        _sub(lambda w, j: reverse("journal:cell", args=[j.klass.pk, j.maths.pk])),
        "L 403 404 403 200 404 404 403 404 404", method="post",
        data=lambda w, j: {"lesson": _other_lesson(j).pk, "student": j.students[0].pk, "text": "5"}),
    Row("journal:period_mark",
        _sub(lambda w, j: reverse("journal:period_mark", args=[j.klass.pk, j.maths.pk])),
        "L 403 404 403 200 404 404 403 404 404", method="post",
        data=lambda w, j: {"student": j.students[0].pk, "period": j.q2.pk, "value": "4"}),
    Row("journal:final_mark", _sub(lambda w, j: reverse("journal:final_mark", args=[j.klass.pk, j.maths.pk])),
        "L 403 404 403 200 404 404 403 404 404", method="post",
        data=lambda w, j: {"student": j.students[0].pk, "value": "4"}),
]  # fmt: skip
_PM = "{JA}/groups/{g}/subjects/{s}/period-marks"
SUBSTITUTE_API = [
    Row("GET grid", _sub(lambda w, j: f"{JA}/groups/{j.klass.pk}/subjects/{j.maths.pk}/grid"),
        "401 read 404 read write 404 404 read 404 404"),
    Row("PUT period-marks (a period)", _sub(lambda w, j: _PM.format(JA=JA, g=j.klass.pk, s=j.maths.pk)),
        "401 403 404 403 200 404 404 403 404 404", method="put",
        data=lambda w, j: {"student_id": j.students[0].pk, "period_id": j.q2.pk, "value": 4}),
    Row("PUT period-marks (the year)", _sub(lambda w, j: _PM.format(JA=JA, g=j.klass.pk, s=j.maths.pk)),
        "401 403 404 403 200 404 404 403 404 404", method="put",
        data=lambda w, j: {"student_id": j.students[0].pk, "value": 4}),
    Row("PUT cells", _sub(lambda w, j: f"{JA}/cells"), "401 403 422 403 200 422 422 200 422 422",
        method="put", data=lambda w, j: _cell(w, j, text="5")),
    Row("PUT cells (another lesson)", _sub(lambda w, j: f"{JA}/cells"),
        "401 403 422 403 200 422 422 403 422 422", method="put",
        data=lambda w, j: {"lesson_id": _other_lesson(j).pk, "student_id": j.students[0].pk, "text": "5"}),
]  # fmt: skip


def _access_cases(rows):
    for row in rows:
        codes = row.codes.split()
        assert len(codes) == len(ROLES), row.name
        for role, code in zip(ROLES, codes, strict=True):
            yield pytest.param(row, role, code, id=f"{row.name}-{role}")


def _check_access(response, expected: str, access) -> None:
    if expected in ("read", "write"):
        assert (response.status_code, access()) == (200, expected)
    else:
        _check(response, expected)


@pytest.mark.parametrize(("row", "role", "expected"), list(_access_cases(SUBSTITUTE_PAGES)))
def test_substitute_page_permission(client_for, world, jw, row, role, expected):
    url = row.url(world, jw)
    data = row.data(world, jw) if callable(row.data) else row.data
    client = client_for(role)

    response = getattr(client, row.method)(url, data or {})

    _check_access(response, expected, lambda: response.context["access"])


@pytest.mark.parametrize(("row", "role", "expected"), list(_access_cases(SUBSTITUTE_API)))
def test_substitute_api_permission(client_for, world, jw, row, role, expected):
    url = row.url(world, jw)
    data = row.data(world, jw) if callable(row.data) else row.data
    client = client_for(role)

    if row.method == "get":
        response = client.get(url)
    else:
        response = getattr(client, row.method)(url, data, content_type="application/json")

    _check_access(response, expected, lambda: response.json()["access"])


# The sign-in e-mail of an account with roles in several institutions: ``partner`` teaches at
# the ДДТ and at school №3; ``parent`` has a child at school №3 and another at school №5. Only
# someone who governs every role of the account may change it: the head of school №3 sees the
# person and may change their other data, so the e-mail answers 403 (as on the page).


def _partner_at_school(w):
    Membership.objects.create(
        person=w.people["partner"], institution=w.school, role=Membership.Role.TEACHER
    )
    return w.people["partner"]


def _parent_of_two(w):
    Guardianship.objects.create(
        municipality=w.municipality, guardian=w.people["parent"], student=w.people["other_student"]
    )
    return w.people["parent"]


def _edit_data(person):
    return {"surname": person.surname, "given_name": person.given_name, "email": "new@example.org"}


# anon admin metodist director teacher student parent partner other_teacher other_parent
EMAIL_PAGES = [
    Row("network:person_edit (partner)",
        lambda w: reverse("network:person_edit", args=[_partner_at_school(w).pk]),
        "L R 404 403 404 404 404 404 404 404", method="post",
        data=lambda w: _edit_data(w.people["partner"])),
    Row("network:person_edit (parent)",
        lambda w: reverse("network:person_edit", args=[_parent_of_two(w).pk]),
        "L R 404 403 404 404 404 404 404 404", method="post",
        data=lambda w: _edit_data(w.people["parent"])),
]  # fmt: skip
EMAIL_API = [
    Row("PATCH /people/{partner} email", lambda w: f"{API}/people/{_partner_at_school(w).pk}",
        "401 200 404 403 403 404 404 403 404 404", method="patch", data={"email": "new@example.org"}),
    Row("PATCH /people/{parent} email", lambda w: f"{API}/people/{_parent_of_two(w).pk}",
        "401 200 404 403 404 404 403 404 404 404", method="patch", data={"email": "new@example.org"}),
]  # fmt: skip


@pytest.mark.parametrize(("row", "role", "expected"), list(_access_cases(EMAIL_PAGES)))
def test_sign_in_email_page_permission(client_for, world, row, role, expected):
    url = row.url(world)
    client = client_for(role)

    response = client.post(url, row.data(world))

    _check(response, expected)
    changed = world.people[row.name.split("(")[1][:-1]]
    changed.refresh_from_db()
    assert (changed.email == "new@example.org") == (expected == "R")


@pytest.mark.parametrize(("row", "role", "expected"), list(_access_cases(EMAIL_API)))
def test_sign_in_email_api_permission(client_for, world, row, role, expected):
    url = row.url(world)
    client = client_for(role)

    response = client.patch(url, row.data, content_type="application/json")

    assert response.status_code == int(expected), response.content[:300]


# URL names the matrix deliberately leaves to other tests: Django's own admin site (staff
# only), the language switch (no permissions involved) and the API (listed in API_ROWS).
EXEMPT = {"set_language"}


# --- the rows of each domain's own tests/<domain>/matrix.py ----------------------------------


def _domain_rows(attr: str) -> list[Row]:
    rows: list[Row] = []
    for path in sorted(Path(__file__).parent.glob("*/matrix.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.matrix")
        rows += getattr(module, attr, [])
    return rows


DOMAIN_PAGES = _domain_rows("PAGES")
DOMAIN_API = _domain_rows("API_ROWS")


class _LazyYear:
    """The ``jw`` fixture, built only when a row's url touches it (it takes a while)."""

    def __init__(self, request) -> None:
        self._request = request

    def __getattr__(self, name: str):
        return getattr(self._request.getfixturevalue("jw"), name)


def _domain_cases(rows):
    for row in rows:
        codes = row.codes.split()
        assert len(codes) == len(ROLES), row.name
        for role, code in zip(ROLES, codes, strict=True):
            yield pytest.param(row, role, code, id=f"{row.name}-{role}")


@pytest.mark.parametrize(("row", "role", "expected"), list(_domain_cases(DOMAIN_PAGES)))
def test_domain_page_permission(request, client_for, world, row, role, expected):
    url = row.url(world, _LazyYear(request))
    client = client_for(role)

    response = getattr(client, row.method)(url, row.data or {})
    if response.streaming:  # a file download: read it, so that its file gets closed
        b"".join(response.streaming_content)

    _check(response, expected)


@pytest.mark.parametrize(("row", "role", "expected"), list(_domain_cases(DOMAIN_API)))
def test_domain_api_permission(request, client_for, world, row, role, expected):
    url = row.url(world, _LazyYear(request))
    client = client_for(role)

    if row.method in ("get", "delete"):
        response = getattr(client, row.method)(url)
    else:
        response = getattr(client, row.method)(url, row.data or {}, content_type="application/json")

    assert response.status_code == int(expected), response.content[:300]


def _cases():
    for row in PAGES:
        codes = row.codes.split()
        assert len(codes) == len(ROLES), row.name
        for role, code in zip(ROLES, codes, strict=True):
            yield pytest.param(row, role, code, id=f"{row.name}-{role}")


@pytest.mark.parametrize(("row", "role", "expected"), list(_cases()))
def test_page_permission(client_for, world, row, role, expected):
    client = client_for(role)
    url = row.url(world)

    response = getattr(client, row.method)(url, row.data or {})

    if expected == "L":
        assert (response.status_code, response.url.split("?")[0]) == (
            302,
            reverse("accounts:login"),
        )
    elif expected == "R":
        assert response.status_code == 302
        assert not response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == int(expected)


def _url_names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            if p.namespace in ("admin",) or (p.app_name or "").startswith("api"):
                continue
            yield from _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def _page_name(row: Row) -> str:
    """A row's URL name without the case in brackets: "journal:cell (another lesson)"."""
    return row.name.split(" (")[0]


def test_every_page_is_in_the_matrix():
    listed = {_page_name(row) for row in PAGES + JOURNAL + DOMAIN_PAGES}
    names = {
        n for n in _url_names(get_resolver().url_patterns) if not n.startswith("api-")
    } - EXEMPT

    assert sorted(names - listed) == []


def test_matrix_lists_no_page_that_does_not_exist():
    names = set(_url_names(get_resolver().url_patterns))

    assert sorted({_page_name(row) for row in PAGES + JOURNAL + DOMAIN_PAGES} - names) == []
