"""Bad input to every write of the journal API: always a 422 problem naming the field, never
a 500, and nothing written — neither a new row nor a changed one."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import defaultdict
from typing import Any

import pytest
from django.db.models import F

from setka.journal.models import Attendance, Lesson, Mark, MarkKind, PeriodMark
from setka.journal.services import records, structure, timetable
from setka.network.models import Membership
from tests import factories as f

from ..clock import d, iso
from .conftest import PROBLEM, error_fields, table_counts


def journal_state() -> dict[str, list]:
    """Every value a write could change (so that "nothing written" also covers updates)."""
    return {
        "marks": list(
            Mark.objects.order_by("pk").values_list(
                "pk", "value", "passed", "kind_id", "comment", "is_deleted"
            )
        ),
        "attendance": list(Attendance.objects.order_by("pk").values_list("pk", "code", "comment")),
        "lessons": list(Lesson.objects.order_by("pk").values_list("pk", "topic", "kind")),
        "period_marks": list(
            PeriodMark.objects.order_by("pk").values_list("pk", "value", "passed", "not_certified")
        ),
        "counts": [table_counts()],
    }


@pytest.fixture
def ctx(world, jw) -> dict[str, Any]:
    teacher, director = world.users["teacher"], world.users["director"]
    lessons = list(jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25)))
    q1_lesson = jw.lessons(period=jw.q1).first()
    mark = records.mark_create(actor=teacher, lesson=lessons[0], student=jw.students[0], value=4)
    q1_mark = records.mark_create(actor=teacher, lesson=q1_lesson, student=jw.students[0], value=3)
    # entered before this editing session: deleting them needs a reason (services/deletion.py)
    Mark.objects.update(created_at=F("created_at") - dt.timedelta(hours=1))
    records.period_close(actor=director, period=jw.q1)
    cancelled = lessons[2]
    timetable.lesson_cancel(actor=director, lesson=cancelled, reason="карантин")
    # Another class of the same school, also taught maths by the teacher.
    other = structure.group_create(actor=director, year=jw.year, name="7А", grade=7, letter="А")
    stranger = f.PersonFactory(municipality=world.municipality, surname="Чужаков")
    f.MembershipFactory(person=stranger, institution=world.school, role=Membership.Role.STUDENT)
    structure.group_member_add(actor=director, group=other, student=stranger)
    structure.assignment_create(
        actor=director, group=other, subject=jw.maths, teacher=world.people["teacher"]
    )
    other_kind = MarkKind.objects.create(
        institution=world.other_school, name="Чужой", short_name="ч"
    )
    return {
        "lesson": lessons[0].pk,
        "pe_lesson": jw.lessons(subject=jw.pe, period=jw.q2).first().pk,
        "q1_lesson": q1_lesson.pk,
        "cancelled": cancelled.pk,
        "student": jw.students[0].pk,
        "stranger": stranger.pk,
        "other_student": world.people["other_student"].pk,
        "group": jw.klass.pk,
        "other_group": other.pk,
        "maths": jw.maths.pk,
        "pe": jw.pe.pk,
        "mark": mark.pk,
        "q1_mark": q1_mark.pk,
        "other_kind": other_kind.pk,
        "q1": jw.q1.pk,
        "q2": jw.q2.pk,
    }


def _endpoints(c: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """name → (method, path, a valid body); all as the world's teacher."""
    cell = {"lesson_id": c["lesson"], "student_id": c["student"]}
    return {
        "mark_create": ("POST", "/journal/marks", {**cell, "value": 5, "comment": "x"}),
        "mark_update": ("PATCH", f"/journal/marks/{c['mark']}", {"value": 5, "reason": "x"}),
        "mark_delete": ("DELETE", f"/journal/marks/{c['mark']}", {"reason": "x"}),
        "cell_save": ("PUT", "/journal/cells", {**cell, "text": "5 4"}),
        "attendance_set": ("PUT", "/journal/attendance", {**cell, "code": "Н", "comment": "x"}),
        "homework_set": (
            "PUT",
            f"/journal/lessons/{c['lesson']}/homework",
            {"text": "x", "minutes": 20, "due_on": iso(2026, 12, 1)},
        ),
        "lesson_update": (
            "PATCH",
            f"/journal/lessons/{c['lesson']}",
            {"topic": "x", "kind": "control"},
        ),
        "period_mark_set": (
            "PUT",
            f"/journal/groups/{c['group']}/subjects/{c['maths']}/period-marks",
            {"student_id": c["student"], "period_id": c["q2"], "value": 5},
        ),
    }


DUMMY_IDS: dict[str, Any] = defaultdict(lambda: 1)
ENDPOINTS = list(_endpoints(DUMMY_IDS))


def _leaves(body: Any, fn) -> Any:
    return {k: fn(k, v) for k, v in body.items()} if isinstance(body, dict) else body


GARBAGE = {
    "not_json": lambda body: "{'value': 5",
    "json_list": lambda body: [body],
    "json_string": lambda body: "hello",
    "json_number": lambda body: 42,
    "nested_objects": lambda body: _leaves(body, lambda k, v: {"$gt": ""}),
    "lists": lambda body: _leaves(body, lambda k, v: [v, v]),
    "too_long": lambda body: _leaves(body, lambda k, v: "я" * 6000 if isinstance(v, str) else v),
    "nul_bytes": lambda body: _leaves(body, lambda k, v: "a\x00b" if isinstance(v, str) else v),
    "huge_numbers": lambda body: _leaves(body, lambda k, v: 10**40 if isinstance(v, int) else v),
    # Ids may come as strings ("12"); marks and minutes are numbers, strictly.
    "strings_for_numbers": lambda body: _leaves(
        body, lambda k, v: str(v) if k in ("value", "minutes") else v
    ),
    "floats": lambda body: _leaves(body, lambda k, v: v + 0.5 if isinstance(v, int) else v),
    "bad_dates": lambda body: _leaves(body, lambda k, v: "2026-02-30" if k == "due_on" else v),
    "bad_enums": lambda body: _leaves(body, lambda k, v: "exam" if k == "kind" else v),
    "unknown_field": lambda body: {**body, "is_deleted": False, "created_by": 1},
}


def _applicable() -> list[tuple[str, str]]:
    bodies = {name: spec[2] for name, spec in _endpoints(DUMMY_IDS).items()}
    return [
        (endpoint, garbage)
        for endpoint in ENDPOINTS
        for garbage, spoil in GARBAGE.items()
        if spoil(copy.deepcopy(bodies[endpoint])) != bodies[endpoint]
    ]


@pytest.mark.parametrize(("endpoint", "garbage"), _applicable())
def test_journal_write_garbage_is_422_and_writes_nothing(api, ctx, endpoint, garbage):
    method, path, valid = _endpoints(ctx)[endpoint]
    body = GARBAGE[garbage](copy.deepcopy(valid))
    raw = body if garbage == "not_json" else json.dumps(body)
    before = journal_state()

    response = api.as_("teacher").call(method, path, raw=raw)

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"]
    assert journal_state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_journal_write_valid_body_of_the_garbage_test_works(api, world, jw, ctx, endpoint):
    method, path, valid = _endpoints(ctx)[endpoint]

    response = api.as_("teacher").call(method, path, valid)

    assert response.status_code in (200, 201), response.content


# --- the journal's own rules: (endpoint, what to change in the valid body, the field) -------

CASES = {
    # marks outside the scale, or of the wrong grading
    "mark_zero": ("mark_create", {"value": 0}, "value"),
    "mark_six": ("mark_create", {"value": 6}, "value"),
    "mark_bool": ("mark_create", {"value": True}, "value"),
    "mark_none": ("mark_create", {"value": None}, "value"),
    "mark_passed_for_marks": ("mark_create", {"value": None, "passed": True}, "passed"),
    "mark_value_for_pass_fail": ("mark_create", {"lesson_id": "pe_lesson"}, "value"),
    # students not in the group, lessons of another group or not to be seen
    "mark_student_of_another_class": ("mark_create", {"student_id": "stranger"}, "student_id"),
    "mark_student_of_another_school": (
        "mark_create",
        {"student_id": "other_student"},
        "student_id",
    ),
    "mark_student_unknown": ("mark_create", {"student_id": 99999999}, "student_id"),
    "mark_lesson_unknown": ("mark_create", {"lesson_id": 99999999}, "lesson_id"),
    "mark_lesson_of_another_group": ("mark_create", {"group_id": "other_group"}, "lesson_id"),
    "mark_lesson_of_another_subject": ("mark_create", {"subject_id": "pe"}, "lesson_id"),
    "mark_kind_of_another_school": ("mark_create", {"kind_id": "other_kind"}, "kind_id"),
    "mark_kind_unknown": ("mark_create", {"kind_id": 99999999}, "kind_id"),
    # a locked period, a cancelled lesson
    "mark_locked_period": ("mark_create", {"lesson_id": "q1_lesson"}, None),
    "mark_cancelled_lesson": ("mark_create", {"lesson_id": "cancelled"}, None),
    "mark_update_locked": ("mark_update:q1_mark", {}, None),
    "mark_update_six": ("mark_update", {"value": 6}, "value"),
    "mark_update_kind": ("mark_update", {"kind_id": "other_kind"}, "kind_id"),
    "mark_delete_locked": ("mark_delete:q1_mark", {}, None),
    "mark_delete_no_reason": ("mark_delete", {"reason": " "}, "reason"),
    # cells
    "cell_six": ("cell_save", {"text": "6"}, "value"),
    "cell_too_many": ("cell_save", {"text": "5 5 5 5 5"}, "value"),
    "cell_two_codes": ("cell_save", {"text": "Н Б"}, "code"),
    "cell_unknown_code": ("cell_save", {"text": "X"}, "code"),
    "cell_pass_for_marks": ("cell_save", {"text": "зач"}, "passed"),
    "cell_student_of_another_class": ("cell_save", {"student_id": "stranger"}, "student_id"),
    "cell_grid_mismatch": ("cell_save", {"group_id": "other_group"}, "lesson_id"),
    "cell_locked_period": ("cell_save", {"lesson_id": "q1_lesson"}, None),
    "cell_too_long": ("cell_save", {"text": "5" * 41}, "text"),
    # attendance
    "attendance_unknown_code": ("attendance_set", {"code": "X"}, "code"),
    "attendance_two_codes": ("attendance_set", {"code": "НБ"}, "code"),
    "attendance_number": ("attendance_set", {"code": 1}, "code"),
    "attendance_student_of_another_class": (
        "attendance_set",
        {"student_id": "stranger"},
        "student_id",
    ),
    "attendance_locked_period": ("attendance_set", {"lesson_id": "q1_lesson"}, None),
    # homework and lessons: dates outside the year
    "homework_due_outside_year": ("homework_set", {"due_on": iso(2027, 9, 1)}, "due_on"),
    "homework_due_before_lesson": ("homework_set", {"due_on": iso(2026, 9, 2)}, "due_on"),
    "lesson_unknown_kind": ("lesson_update", {"kind": "exam"}, "kind"),
    "lesson_topic_too_long": ("lesson_update", {"topic": "x" * 501}, "topic"),
    # period marks
    "period_mark_six": ("period_mark_set", {"value": 6}, "value"),
    "period_mark_nothing": ("period_mark_set", {"value": None}, "value"),
    "period_mark_student_of_another_class": (
        "period_mark_set",
        {"student_id": "stranger"},
        "student_id",
    ),
    "period_mark_student_unknown": ("period_mark_set", {"student_id": 99999999}, "student_id"),
    "period_mark_unknown_period": ("period_mark_set", {"period_id": 99999999}, "period_id"),
    "period_mark_locked": ("period_mark_set", {"period_id": "q1"}, None),
}


def _call(api, ctx, case: str):
    endpoint, change, _field = CASES[case]
    endpoint, _, mark_key = endpoint.partition(":")
    method, path, body = _endpoints(ctx)[endpoint]
    if mark_key:
        path = path.replace(f"/{ctx['mark']}", f"/{ctx[mark_key]}")
    body = {**body, **{k: ctx.get(v, v) if isinstance(v, str) else v for k, v in change.items()}}
    return api.as_("teacher").call(method, path, body)


@pytest.mark.parametrize("case", list(CASES))
def test_journal_rule_breaking_input_is_422_and_writes_nothing(api, world, jw, ctx, case):
    field = CASES[case][2]
    before = journal_state()

    response = _call(api, ctx, case)

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    assert field in error_fields(response)
    assert journal_state() == before


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("mark_locked_period", "locked"),
        ("mark_cancelled_lesson", "cancelled"),
        ("mark_student_of_another_class", "not_in_group"),
        ("mark_lesson_unknown", "not_found"),
        ("cell_grid_mismatch", "not_in_journal"),
        ("attendance_unknown_code", "bad_code"),
        ("mark_kind_unknown", "bad_kind"),
        ("mark_delete_no_reason", "reason_required"),
    ],
)
def test_journal_rule_breaking_input_has_a_stable_code(api, ctx, case, code):
    response = _call(api, ctx, case)

    assert [e["code"] for e in response.json()["errors"]] == [code]
