"""Marks through the API: POST /journal/marks, GET/PATCH/DELETE /journal/marks/{id}, the
history, PUT /journal/cells and PUT /journal/attendance."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.accounts.services import token_create
from setka.core.models import AuditEntry
from setka.journal.models import Attendance, Mark, MarkKind
from setka.journal.services import records
from setka.network.models import Membership
from tests import factories as f
from tests.conftest import ROLES

from ..clock import d
from .conftest import assert_problem, error_fields, table_counts

WRITERS = {"teacher"}
READERS = {"teacher", "director", "admin"}


def expect(response, role: str, ok: int = 200) -> None:
    """Writers succeed; the other readers of the journal get 403; everyone else 404 (or,
    for a lesson named in the body, 422)."""
    if role == "anonymous":
        assert_problem(response, 401)
    elif role in WRITERS:
        assert response.status_code == ok, response.content
    elif role in READERS:
        assert_problem(response, 403)
    else:
        assert response.status_code in (404, 422), response.content
        assert response["Content-Type"] == "application/problem+json"


@pytest.fixture
def lesson(jw):
    return jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25)).first()


@pytest.fixture
def mark(world, jw, lesson):
    return records.mark_create(
        actor=world.users["teacher"], lesson=lesson, student=jw.students[0], value=4
    )


@pytest.fixture
def class_teacher(world, jw):
    """A class teacher of 7Б who does not teach maths: reads the journal, may not write."""
    person = f.PersonFactory(
        municipality=world.municipality,
        surname="Классова",
        user=f.UserFactory(username="class_teacher"),
    )
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)
    jw.klass.class_teacher = person
    jw.klass.save()
    return person.user


# --- entering a mark ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_mark_create_permissions(api, world, jw, lesson, role):
    before = Mark.objects.count()

    response = api.as_(role).post(
        "/journal/marks", {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 5}
    )

    expect(response, role, 201)
    assert Mark.objects.count() == before + (role in WRITERS)


def test_mark_create_answers_the_mark_and_audits(api, world, jw, lesson):
    kind = records.default_kind(lesson)

    response = api.as_("teacher").post(
        "/journal/marks",
        {
            "lesson_id": lesson.pk,
            "student_id": jw.students[1].pk,
            "value": 3,
            "comment": " устный ответ ",
            "group_id": jw.klass.pk,
            "subject_id": jw.maths.pk,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    mark = Mark.objects.get()
    assert body["id"] == mark.pk
    assert (body["value"], body["passed"], body["text"]) == (3, None, "3")
    assert body["kind"]["id"] == kind.pk
    assert body["comment"] == "устный ответ"
    assert (body["lesson_id"], body["student_id"], body["date"]) == (
        lesson.pk,
        jw.students[1].pk,
        lesson.date.isoformat(),
    )
    entry = AuditEntry.objects.get(object_type="journal.mark", object_id=mark.pk)
    assert entry.action == "journal.mark.create"
    assert entry.actor == world.users["teacher"]
    assert jw.students[1].surname in entry.object_repr


@pytest.mark.parametrize("path", ["/journal/marks", "/journal/marks/batch"])
def test_mark_of_a_control_work_takes_the_control_kind(api, world, jw, lesson, path):
    lesson.kind = lesson.Kind.CONTROL
    lesson.save()
    control = MarkKind.objects.filter(institution=world.school, is_control=True).first()
    assert control is not None
    one = {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 4}

    response = api.as_("teacher").post(path, {"marks": [one]} if "batch" in path else one)

    assert response.status_code == 201, response.content
    body = response.json()
    mark = body["marks"][0] if "batch" in path else body
    assert mark["kind"]["id"] == control.pk == records.default_kind(lesson).pk


def test_mark_create_with_kind_and_pass_fail(api, world, jw):
    pe_lesson = jw.lessons(subject=jw.pe, period=jw.q2).first()
    kinds = MarkKind.objects.filter(institution=world.school).order_by("-weight")
    control = kinds.first()

    response = api.as_("teacher").post(
        "/journal/marks",
        {
            "lesson_id": pe_lesson.pk,
            "student_id": jw.students[0].pk,
            "passed": True,
            "kind_id": control.pk,
        },
    )

    assert response.status_code == 201, response.content
    assert (response.json()["text"], response.json()["kind"]["id"]) == ("зач", control.pk)


def test_mark_create_by_substitute(api, world, jw, lesson):
    lesson.substitute = world.people["partner"]
    lesson.save()

    response = api.as_("partner").post(
        "/journal/marks", {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 5}
    )

    assert response.status_code == 201, response.content
    other = jw.lessons(period=jw.q2).exclude(pk=lesson.pk).first()
    response = api.post(
        "/journal/marks", {"lesson_id": other.pk, "student_id": jw.students[0].pk, "value": 5}
    )
    assert_problem(response, 403)  # substitutes only their own lesson


def test_mark_create_two_teachers_both_in_history(api, world, jw, lesson):
    """The same cell by two clients: both marks are written (several per lesson), each with
    its own audit record."""
    body = {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 5}

    first = api.as_("teacher").post("/journal/marks", body)
    second = api.post("/journal/marks", {**body, "value": 2})

    assert (first.status_code, second.status_code) == (201, 201)
    assert AuditEntry.objects.filter(action="journal.mark.create").count() == 2


@pytest.mark.parametrize("auth", ["session", "token"])
def test_mark_create_query_budget(api, world, jw, lesson, django_assert_max_num_queries, auth):
    """The path of marks entry stays lean: 10 queries with the session, 9 with a token (auth,
    roles, the lesson with the teaching assignment and the student in the group, then the
    service: the student's marks for the lesson (at most four), the kind, the mark, the audit
    record, and the transaction's two statements)."""
    client = api.as_("teacher")
    extra = {}
    if auth == "token":
        _token, raw = token_create(actor=world.users["teacher"], name="bench")
        client = api.as_("anonymous")
        extra = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        client.post(
            "/journal/marks",
            {"lesson_id": lesson.pk, "student_id": jw.students[1].pk, "value": 5},
            **extra,
        )
    body = {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "value": 5}

    with django_assert_max_num_queries(10 if auth == "session" else 9):
        response = client.post("/journal/marks", body, **extra)

    assert response.status_code == 201, response.content


# --- reading, correcting, deleting ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_mark_detail_permissions(api, world, jw, mark, role):
    response = api.as_(role).get(f"/journal/marks/{mark.pk}")

    if role == "anonymous":
        assert_problem(response, 401)
    elif role in READERS:
        assert response.json()["value"] == 4
    else:
        assert_problem(response, 404)


@pytest.mark.parametrize("role", ROLES)
def test_mark_update_permissions(api, world, jw, mark, role):
    response = api.as_(role).patch(f"/journal/marks/{mark.pk}", {"value": 5})

    expect(response, role)
    mark.refresh_from_db()
    assert mark.value == (5 if role in WRITERS else 4)


def test_mark_update_changes_only_what_is_sent(api, world, jw, mark):
    kind = MarkKind.objects.filter(institution=world.school).exclude(pk=mark.kind_id)[0]

    response = api.as_("teacher").patch(
        f"/journal/marks/{mark.pk}",
        {"value": 3, "kind_id": kind.pk, "reason": "ошибка при вводе"},
    )

    assert response.status_code == 200, response.content
    mark.refresh_from_db()
    assert (mark.value, mark.kind_id, mark.comment) == (3, kind.pk, "")
    entry = AuditEntry.objects.get(action="journal.mark.update", object_id=mark.pk)
    assert entry.changes["value"] == [4, 3]
    assert entry.reason == "ошибка при вводе"


@pytest.mark.parametrize("role", ROLES)
def test_mark_delete_permissions(api, world, jw, mark, role):
    response = api.as_(role).delete(f"/journal/marks/{mark.pk}", {"reason": "ошибка"})

    expect(response, role)
    mark.refresh_from_db()
    assert mark.is_deleted is (role in WRITERS)


@pytest.mark.parametrize("how", ["body", "query"])
def test_mark_delete_keeps_the_mark_flagged(api, world, jw, mark, how):
    if how == "body":
        response = api.as_("teacher").delete(f"/journal/marks/{mark.pk}", {"reason": "не тот"})
    else:
        response = api.as_("teacher").delete(f"/journal/marks/{mark.pk}?reason=не%20тот")

    assert response.status_code == 200, response.content
    assert response.json()["is_deleted"] is True
    mark.refresh_from_db()
    assert mark.is_deleted is True
    entry = AuditEntry.objects.get(action="journal.mark.delete", object_id=mark.pk)
    assert entry.reason == "не тот"


@pytest.mark.parametrize("body", [None, {}, {"reason": ""}, {"reason": "   "}])
def test_mark_delete_without_reason_is_422(api, world, jw, mark, body):
    # older than the editing session (journal/services/deletion.py): a reason is needed
    Mark.objects.filter(pk=mark.pk).update(created_at=mark.created_at - dt.timedelta(hours=1))
    before = table_counts()

    response = api.as_("teacher").delete(f"/journal/marks/{mark.pk}", body)

    assert_problem(response, 422)
    assert error_fields(response) == {"reason"}
    assert table_counts() == before
    mark.refresh_from_db()
    assert mark.is_deleted is False


def test_deleted_mark_cannot_be_corrected(api, world, jw, mark):
    records.mark_delete(actor=world.users["teacher"], mark=mark, reason="x")

    response = api.as_("teacher").patch(f"/journal/marks/{mark.pk}", {"value": 5})

    assert_problem(response, 422)
    assert api.get(f"/journal/marks/{mark.pk}").json()["is_deleted"] is True


# --- the history ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, "class_teacher"])
def test_mark_history_permissions(api, mark, class_teacher, role):
    client = api.as_(role) if role != "class_teacher" else api.as_("anonymous")
    if role == "class_teacher":
        client.client.force_login(class_teacher)

    response = client.get(f"/journal/marks/{mark.pk}/history")

    if role == "anonymous":
        assert_problem(response, 401)
    elif role in READERS or role == "class_teacher":  # whoever reads the group's journal
        assert response.status_code == 200
    else:
        assert_problem(response, 404)


def test_mark_history_lists_every_change(api, world, jw, mark):
    teacher = world.users["teacher"]
    records.mark_update(actor=teacher, mark=mark, value=5, reason="пересдал")
    records.mark_delete(actor=teacher, mark=mark, reason="не тот ученик")

    body = api.as_("director").get(f"/journal/marks/{mark.pk}/history").json()

    assert [e["action"] for e in body] == ["create", "update", "delete"]
    assert body[1]["changes"] == [{"field": "value", "old": 4, "new": 5}]
    assert body[1]["reason"] == "пересдал"
    assert body[2]["reason"] == "не тот ученик"
    assert {e["actor_id"] for e in body} == {teacher.pk}
    assert body[0]["actor"] == world.people["teacher"].short_name


# --- cells and attendance -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_cell_save_permissions(api, world, jw, lesson, role):
    response = api.as_(role).put(
        "/journal/cells", {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "text": "5"}
    )

    expect(response, role)


def test_cell_save_makes_the_cell_hold_what_is_typed(api, world, jw, lesson, mark):
    student = jw.students[0]
    url = "/journal/cells"
    body = {"lesson_id": lesson.pk, "student_id": student.pk}

    response = api.as_("teacher").put(url, {**body, "text": "ОП 5 3"})

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["text"], data["attendance"]) == ("ОП 5 3", "ОП")
    assert [m["value"] for m in data["marks"]] == [5, 3]
    assert data["marks"][0]["id"] == mark.pk  # corrected in place, with its history
    assert (data["average"], data["count"], data["suggested"]) == (4.0, 2, None)
    response = api.put(url, {**body, "text": ""})
    assert response.json()["marks"] == []
    assert Mark.objects.filter(lesson=lesson, is_deleted=False).count() == 0
    assert Mark.objects.filter(lesson=lesson, is_deleted=True).count() == 2
    assert Attendance.objects.get(lesson=lesson, student=student).code == ""


def test_cell_save_pass_fail(api, world, jw):
    pe_lesson = jw.lessons(subject=jw.pe, period=jw.q2).first()

    response = api.as_("teacher").put(
        "/journal/cells",
        {"lesson_id": pe_lesson.pk, "student_id": jw.students[0].pk, "text": "Н зач"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["text"] == "Н зач"
    assert response.json()["marks"][0]["passed"] is True


@pytest.mark.parametrize("role", ROLES)
def test_attendance_set_permissions(api, world, jw, lesson, role):
    response = api.as_(role).put(
        "/journal/attendance",
        {"lesson_id": lesson.pk, "student_id": jw.students[0].pk, "code": "Н"},
    )

    expect(response, role)


@pytest.mark.parametrize(
    ("code", "stored"), [("Н", "Н"), ("б", "Б"), ("уп", "УП"), ("ОП", "ОП"), ("n", "Н"), ("", "")]
)
def test_attendance_set_codes(api, jw, lesson, code, stored):
    response = api.as_("teacher").put(
        "/journal/attendance",
        {
            "lesson_id": lesson.pk,
            "student_id": jw.students[0].pk,
            "code": code,
            "comment": "справка",
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["code"] == stored
    assert Attendance.objects.get(lesson=lesson, student=jw.students[0]).code == stored


def test_cell_save_by_two_teachers_last_write_wins_both_in_history(api, world, jw, lesson):
    lesson.substitute = world.people["partner"]
    lesson.save()
    body = {"lesson_id": lesson.pk, "student_id": jw.students[0].pk}

    first = api.as_("teacher").put("/journal/cells", {**body, "text": "5"})
    second = api.as_("partner").put("/journal/cells", {**body, "text": "4"})

    assert (first.status_code, second.status_code) == (200, 200)
    (mark,) = Mark.objects.filter(lesson=lesson, student=jw.students[0])
    assert mark.value == 4
    history = api.get(f"/journal/marks/{mark.pk}/history").json()
    assert [(e["action"], e["actor_id"]) for e in history] == [
        ("create", world.users["teacher"].pk),
        ("update", world.users["partner"].pk),
    ]


# --- many marks at once --------------------------------------------------------------------


def _batch(lesson, students, values):
    return {
        "marks": [
            {"lesson_id": lesson.pk, "student_id": s.pk, "value": v}
            for s, v in zip(students, values, strict=True)
        ]
    }


@pytest.mark.parametrize("role", ROLES)
def test_marks_batch_permissions(api, world, jw, lesson, role):
    before = table_counts()

    response = api.as_(role).post("/journal/marks/batch", _batch(lesson, jw.students[:2], [5, 4]))

    expect(response, role, 201)
    if role not in WRITERS:
        assert table_counts() == before


def test_marks_batch_stores_every_mark_with_its_audit_entry(api, world, jw, lesson):
    other = jw.lessons(period=jw.q2).exclude(pk=lesson.pk).first()
    body = _batch(lesson, jw.students[:2], [5, 3])
    body["marks"].append(
        {"lesson_id": other.pk, "student_id": jw.students[0].pk, "value": 2, "comment": " к/р "}
    )

    response = api.as_("teacher").post("/journal/marks/batch", body)

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["created"] == 3
    marks = {m.pk: m for m in Mark.objects.all()}
    assert [m["id"] for m in data["marks"]] == sorted(marks)
    assert [(m["lesson_id"], m["student_id"], m["value"]) for m in data["marks"]] == [
        (lesson.pk, jw.students[0].pk, 5),
        (lesson.pk, jw.students[1].pk, 3),
        (other.pk, jw.students[0].pk, 2),
    ]
    assert data["marks"][2]["comment"] == "к/р"
    assert data["marks"][0]["kind"]["id"] == records.default_kind(lesson).pk
    entries = AuditEntry.objects.filter(action="journal.mark.create")
    assert sorted(e.object_id for e in entries) == sorted(marks)
    assert {e.actor_id for e in entries} == {world.users["teacher"].pk}
    assert entries.get(object_id=data["marks"][1]["id"]).changes["value"] == [None, 3]


def test_marks_batch_with_one_bad_mark_stores_nothing(api, world, jw, lesson):
    stranger = f.PersonFactory(municipality=world.municipality)
    body = _batch(lesson, [jw.students[0], stranger, jw.students[1]], [5, 4, 3])
    before = table_counts()

    response = api.as_("teacher").post("/journal/marks/batch", body)

    body = assert_problem(response, 422)
    assert error_fields(response) == {"marks.1.student_id"}
    assert body["errors"][0]["code"] == "not_in_group"
    assert table_counts() == before


def test_marks_batch_in_a_closed_period_names_the_mark(api, world, jw, lesson):
    closed = jw.lessons(period=jw.q1).first()
    jw.q1.is_closed = True
    jw.q1.save()
    body = _batch(lesson, jw.students[:1], [5])
    body["marks"].append({"lesson_id": closed.pk, "student_id": jw.students[0].pk, "value": 4})
    before = table_counts()

    response = api.as_("teacher").post("/journal/marks/batch", body)

    assert_problem(response, 422)
    assert error_fields(response) == {"marks.1"}
    assert "1 четверть" in response.json()["errors"][0]["message"]
    assert table_counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"marks": []}, "marks"),
        ({"marks": [{"lesson_id": 1, "student_id": 1, "value": 5}] * 201}, "marks"),
        ({"marks": [{"lesson_id": 1, "student_id": 1, "value": 6}]}, "marks.0.value"),
        ({}, "marks"),
    ],
)
def test_marks_batch_bad_input_is_422(api, world, jw, body, field):
    before = table_counts()

    response = api.as_("teacher").post("/journal/marks/batch", body)

    assert_problem(response, 422)
    assert field in error_fields(response)
    assert table_counts() == before


def test_marks_batch_size_errors_speak_of_items(api, world, jw):
    one = {"lesson_id": 1, "student_id": 1, "value": 5}
    client = api.as_("teacher")

    empty = client.post("/journal/marks/batch", {"marks": []}, HTTP_ACCEPT_LANGUAGE="ru")
    many = client.post("/journal/marks/batch", {"marks": [one] * 201}, HTTP_ACCEPT_LANGUAGE="ru")

    assert assert_problem(empty, 422)["errors"][0]["message"] == (
        "Слишком мало элементов: нужно не меньше 1."
    )
    assert assert_problem(many, 422)["errors"][0]["message"] == (
        "Слишком много элементов: можно не больше 200."
    )


@pytest.mark.parametrize("size", [2, 6])
def test_marks_batch_queries_do_not_grow_with_the_marks(
    api, world, jw, lesson, size, django_assert_num_queries
):
    """Session, user, roles, the lesson (with its default kind), its group's members, the
    transaction, the marks the students have for the lessons already (at most four each), the
    marks and their audit entries: the same for 2 marks and for 6."""
    client = api.as_("teacher")
    body = _batch(lesson, (jw.students * 3)[:size], [5, 4, 3, 2, 5, 4][:size])

    with django_assert_num_queries(10):
        response = client.post("/journal/marks/batch", body)

    assert response.status_code == 201, response.content
    assert Mark.objects.count() == size
