"""The journal grid page, its cell and period-mark endpoints: permissions, content, bad input
(4xx JSON with a message, nothing written), locked periods, CSRF and the query budget."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from setka.journal.models import Attendance, GroupMember, Lesson, Mark, PeriodMark
from setka.journal.services import records
from setka.network.models import Membership

from .. import factories as f
from ..clock import d

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def grid_url(jw, subject=None, **query):
    url = reverse("journal:grid", args=[jw.klass.pk, (subject or jw.maths).pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def cell_url(jw, subject=None):
    return reverse("journal:cell", args=[jw.klass.pk, (subject or jw.maths).pk])


def pm_url(jw, subject=None):
    return reverse("journal:period_mark", args=[jw.klass.pk, (subject or jw.maths).pk])


@pytest.fixture
def lesson(jw):
    """A maths lesson of the 2nd quarter, before today."""
    return jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20)).first()


def post_cell(client, jw, lesson, student, text, *, subject=None):
    return client.post(
        cell_url(jw, subject),
        {"lesson": lesson.pk, "student": student.pk, "text": text},
        **EN,
    )


# --- the page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("teacher", 200),
        ("director", 200),
        ("admin", 200),
        ("metodist", 404),
        ("student", 404),
        ("parent", 404),
        ("partner", 404),
        ("other_teacher", 404),
        ("other_parent", 404),
    ],
)
def test_grid_permission_matrix(client_for, jw, role, status):
    response = client_for(role).get(grid_url(jw))

    assert response.status_code == status


def test_grid_teacher_writes_admin_reads(client_for, jw):
    teacher = client_for("teacher").get(grid_url(jw))
    director = client_for("director").get(grid_url(jw))

    assert (teacher.context["writes"], teacher.context["can_set_period_marks"]) == (True, True)
    assert (director.context["writes"], director.context["can_set_period_marks"]) == (False, False)
    assert b'aria-readonly="true"' in director.content


def test_grid_class_teacher_who_does_not_teach_the_subject_reads(client, world, jw):
    person = f.PersonFactory(
        municipality=world.municipality, with_user=True, surname="Классова", given_name="Ирина"
    )
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)
    jw.klass.class_teacher = person
    jw.klass.save()
    client.force_login(person.user)

    response = client.get(grid_url(jw))

    assert response.status_code == 200
    assert response.context["writes"] is False


def test_grid_defaults_to_the_current_period(client_for, jw):
    response = client_for("teacher").get(grid_url(jw))

    assert response.context["period"] == jw.q2
    lessons = [c.lesson for c in response.context["columns"]]
    assert lessons == list(jw.lessons(period=jw.q2))


def test_grid_chosen_period(client_for, jw):
    response = client_for("teacher").get(grid_url(jw, period=jw.q1.pk))

    assert response.context["period"] == jw.q1


@pytest.mark.parametrize("period", ["abc", "0", "999999"])
def test_grid_unknown_period_is_404(client_for, jw, period):
    response = client_for("teacher").get(grid_url(jw, period=period))

    assert response.status_code == 404


def test_grid_unknown_group_or_subject_is_404(client_for, jw):
    client = client_for("director")

    assert client.get(reverse("journal:grid", args=[999999, jw.maths.pk])).status_code == 404
    assert client.get(reverse("journal:grid", args=[jw.klass.pk, 999999])).status_code == 404


def test_grid_shows_marks_attendance_averages_and_period_marks(client_for, world, jw, lesson):
    teacher = world.users["teacher"]
    student = jw.students[0]
    records.cell_save(actor=teacher, lesson=lesson, student=student, text="5 4")
    later = jw.lessons(period=jw.q2).filter(date__gt=lesson.date).first()
    records.cell_save(actor=teacher, lesson=later, student=student, text="ОП 3")
    records.cell_save(actor=teacher, lesson=later, student=jw.students[1], text="Н")
    records.period_mark_set(
        actor=teacher, group=jw.klass, subject=jw.maths, student=student, period=jw.q2, value=4
    )

    response = client_for("teacher").get(grid_url(jw))

    row = next(r for r in response.context["rows"] if r.student.id == student.pk)
    texts = [c["text"] for c in row.cells if c["text"]]
    assert texts == ["5 4", "ОП 3"]
    assert (row.average, row.student.count, row.student.suggested) == ("4,00", 3, 4)
    assert row.student.period_mark == "4"
    content = response.content.decode()
    assert 'title="Ответ на уроке">5</span>' in content
    assert '<span class="att">Н</span>' in content


def test_grid_shows_a_student_who_left_greyed_with_old_marks(client_for, world, jw, lesson):
    leaver = jw.students[1]
    records.cell_save(actor=world.users["teacher"], lesson=lesson, student=leaver, text="3")
    GroupMember.objects.filter(group=jw.klass, student=leaver).update(ends_on=d(2026, 11, 20))

    response = client_for("teacher").get(grid_url(jw))

    row = next(r for r in response.context["rows"] if r.student.id == leaver.pk)
    assert row.student.left_on == d(2026, 11, 20)
    assert [c["text"] for c in row.cells if c["text"]] == ["3"]
    late_cells = [
        c
        for c, col in zip(row.cells, response.context["columns"], strict=True)
        if col.lesson.date > d(2026, 11, 20)
    ]
    assert late_cells
    assert not any(c["editable"] for c in late_cells)
    assert b'class="left"' in response.content


def test_grid_closed_period_is_read_only(client_for, world, jw):
    records.period_close(actor=world.users["director"], period=jw.q2)

    response = client_for("teacher").get(grid_url(jw))

    assert response.context["writes"] is False
    assert not any(c.editable for c in response.context["columns"])


def test_grid_substitute_writes_only_the_substituted_lesson(client, world, jw, lesson):
    person = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)
    Lesson.objects.filter(pk=lesson.pk).update(substitute=person)
    client.force_login(person.user)

    response = client.get(grid_url(jw))

    editable = [c.lesson.pk for c in response.context["columns"] if c.editable]
    assert editable == [lesson.pk]
    assert response.context["can_set_period_marks"] is False


def test_grid_pass_fail_subject_offers_pass_and_fail(client_for, jw):
    response = client_for("teacher").get(grid_url(jw, subject=jw.pe))

    assert [v for v, _label in response.context["period_mark_choices"]] == ["pass", "fail", "na"]
    assert b'data-pass-fail="1"' in response.content


@pytest.mark.parametrize("extra", [0, 30], ids=["5 students", "35 students"])
def test_grid_query_budget(client_for, django_assert_num_queries, world, jw, extra):
    for i in range(extra):
        person = f.PersonFactory(municipality=world.municipality, surname=f"Доп{i:02}")
        GroupMember.objects.create(
            group=jw.klass,
            student=person,
            home_institution=world.school,
            starts_on=jw.year.starts_on,
        )
    teacher = world.users["teacher"]
    students = list(GroupMember.objects.filter(group=jw.klass).values_list("student", flat=True))
    lessons = list(jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25)))
    kind = records.default_kind(lessons[0])
    Mark.objects.bulk_create(
        Mark(
            institution_id=world.school.pk,
            lesson=lesson,
            student_id=sid,
            group=jw.klass,
            subject=jw.maths,
            date=lesson.date,
            value=4 + (sid + lesson.pk) % 2,
            kind=kind,
        )
        for lesson in lessons
        for sid in students
    )
    Attendance.objects.bulk_create(
        Attendance(
            institution_id=world.school.pk,
            lesson=lessons[0],
            student_id=sid,
            group=jw.klass,
            date=lessons[0].date,
            code="Н",
        )
        for sid in students
    )
    client = client_for("teacher")

    with django_assert_num_queries(10):
        response = client.get(grid_url(jw))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 5 + extra
    assert teacher.pk


# --- the cell endpoint -----------------------------------------------------------------------


def test_cell_save_mark_answers_new_content_and_average(client_for, jw, lesson):
    student = jw.students[0]

    response = post_cell(client_for("teacher"), jw, lesson, student, "5")

    assert response.status_code == 200
    data = response.json()
    assert (data["ok"], data["text"], data["count"], data["suggested"]) == (True, "5", 1, "")
    assert data["average"] == "5.00"
    assert data["marks"] == [{"text": "5", "kind": "Ответ на уроке"}]
    mark = Mark.objects.get()
    assert (mark.lesson_id, mark.student_id, mark.value) == (lesson.pk, student.pk, 5)


def test_cell_save_attendance_and_marks(client_for, jw, lesson):
    student = jw.students[0]
    client = client_for("teacher")

    data = post_cell(client, jw, lesson, student, "оп 5 4").json()

    assert (data["attendance"], data["text"]) == ("ОП", "ОП 5 4")
    assert Attendance.objects.get().code == "ОП"
    assert sorted(Mark.objects.values_list("value", flat=True)) == [4, 5]


def test_cell_save_empty_clears_the_cell_keeping_history(client_for, jw, lesson):
    student = jw.students[0]
    client = client_for("teacher")
    post_cell(client, jw, lesson, student, "Н 5")

    data = post_cell(client, jw, lesson, student, "").json()

    assert (data["ok"], data["text"], data["marks"]) == (True, "", [])
    assert Mark.objects.get().is_deleted is True
    assert Attendance.objects.get().code == ""


def test_cell_save_pass_fail_subject(client_for, jw):
    pe_lesson = jw.lessons(subject=jw.pe, period=jw.q2).first()

    data = post_cell(
        client_for("teacher"), jw, pe_lesson, jw.students[0], "зач", subject=jw.pe
    ).json()

    assert (data["ok"], data["text"]) == (True, "зач")
    assert Mark.objects.get().passed is True


@pytest.mark.parametrize("text", ["9", "0", "6", "Х", "5 5 5 5 5", "Н Б", "5.5", "x" * 41])
def test_cell_save_bad_input_is_400_with_message_and_nothing_written(client_for, jw, lesson, text):
    response = post_cell(client_for("teacher"), jw, lesson, jw.students[0], text)

    assert response.status_code == 400
    data = response.json()
    assert data["ok"] is False
    assert data["error"]
    assert (Mark.objects.count(), Attendance.objects.count()) == (0, 0)


def test_cell_save_mark_on_pass_fail_subject_is_refused(client_for, jw):
    pe_lesson = jw.lessons(subject=jw.pe, period=jw.q2).first()

    response = post_cell(client_for("teacher"), jw, pe_lesson, jw.students[0], "5", subject=jw.pe)

    assert response.status_code == 400
    assert "pass / fail" in response.json()["error"]
    assert Mark.objects.count() == 0


def test_cell_save_bad_mark_message_is_clear(client_for, jw, lesson):
    response = post_cell(client_for("teacher"), jw, lesson, jw.students[0], "9")

    assert response.json()["error"] == "A mark must be a whole number from 1 to 5, not “9”."


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"lesson": "x", "student": "1", "text": "5"},
        {"lesson": "1", "student": "-1", "text": "5"},
    ],
)
def test_cell_save_incomplete_request_is_400(client_for, jw, data):
    response = client_for("teacher").post(cell_url(jw), data, **EN)

    assert response.status_code == 400
    assert response.json()["ok"] is False


def test_cell_save_in_a_closed_period_is_409(client_for, world, jw, lesson):
    records.period_close(actor=world.users["director"], period=jw.q2)

    response = post_cell(client_for("teacher"), jw, lesson, jw.students[0], "5")

    assert response.status_code == 409
    assert response.json()["code"] == "locked"
    assert Mark.objects.count() == 0


def test_cell_save_for_a_cancelled_lesson_is_409(client_for, jw, lesson):
    Lesson.objects.filter(pk=lesson.pk).update(status=Lesson.Status.CANCELLED)

    response = post_cell(client_for("teacher"), jw, lesson, jw.students[0], "5")

    assert response.status_code == 409
    assert Mark.objects.count() == 0


def test_cell_save_lesson_of_another_journal_is_404(client_for, jw):
    pe_lesson = jw.lessons(subject=jw.pe, period=jw.q2).first()

    response = post_cell(client_for("teacher"), jw, pe_lesson, jw.students[0], "5")  # maths URL

    assert response.status_code == 404
    assert response.json()["ok"] is False
    assert Mark.objects.count() == 0


def test_cell_save_student_of_another_school_is_400(client_for, world, jw, lesson):
    response = post_cell(client_for("teacher"), jw, lesson, world.people["other_student"], "5")

    assert response.status_code == 400
    assert response.json()["code"] == "not_in_group"
    assert Mark.objects.count() == 0


def test_cell_save_unknown_student_is_400(client_for, jw, lesson):
    response = client_for("teacher").post(
        cell_url(jw), {"lesson": lesson.pk, "student": 999999, "text": "5"}, **EN
    )

    assert response.status_code == 400
    assert Mark.objects.count() == 0


REFUSED = [
    ("director", 403),
    ("admin", 403),
    ("student", 404),
    ("parent", 404),
    ("other_teacher", 404),
    ("metodist", 404),
]


@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_cell_save_by_readers_and_strangers_is_refused(client_for, jw, lesson, role, status):
    response = post_cell(client_for(role), jw, lesson, jw.students[0], "5")

    assert response.status_code == status
    assert response.json()["ok"] is False
    assert Mark.objects.count() == 0


def test_cell_save_anonymous_is_redirected(client, jw, lesson):
    response = post_cell(client, jw, lesson, jw.students[0], "5")

    assert response.status_code == 302
    assert Mark.objects.count() == 0


def test_cell_save_substitute_of_another_lesson_is_403(client, world, jw, lesson):
    person = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)
    other = jw.lessons(period=jw.q2).exclude(pk=lesson.pk).first()
    Lesson.objects.filter(pk=other.pk).update(substitute=person)
    client.force_login(person.user)

    refused = post_cell(client, jw, lesson, jw.students[0], "5")
    allowed = post_cell(client, jw, other, jw.students[0], "5")

    assert (refused.status_code, allowed.status_code) == (403, 200)
    assert Mark.objects.get().lesson_id == other.pk


def test_cell_save_get_is_405(client_for, jw):
    assert client_for("teacher").get(cell_url(jw)).status_code == 405


def test_cell_save_needs_the_csrf_token(world, jw, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["teacher"])
    page = client.get(grid_url(jw))
    token = page.context["csrf_token"]
    data = {"lesson": lesson.pk, "student": jw.students[0].pk, "text": "5"}

    without = client.post(cell_url(jw), data)
    with_header = client.post(cell_url(jw), data, HTTP_X_CSRFTOKEN=str(token))

    assert (without.status_code, with_header.status_code) == (403, 200)
    assert Mark.objects.count() == 1


def test_cell_save_two_teachers_last_write_wins(client, world, jw, lesson):
    second = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=second, institution=world.school, role=Membership.Role.TEACHER)
    Lesson.objects.filter(pk=lesson.pk).update(substitute=second)
    client.force_login(world.users["teacher"])
    post_cell(client, jw, lesson, jw.students[0], "4")
    client.force_login(second.user)

    post_cell(client, jw, lesson, jw.students[0], "5")

    mark = Mark.objects.get(is_deleted=False)
    assert mark.value == 5


# --- period marks ----------------------------------------------------------------------------


def post_pm(client, jw, student, value, *, period=None, subject=None):
    return client.post(
        pm_url(jw, subject),
        {"student": student.pk, "period": (period or jw.q2).pk, "value": value},
        **EN,
    )


def test_period_mark_set_and_override(client_for, world, jw, lesson):
    student = jw.students[0]
    records.cell_save(actor=world.users["teacher"], lesson=lesson, student=student, text="5 5 4")
    client = client_for("teacher")

    confirmed = post_pm(client, jw, student, "5").json()
    overridden = post_pm(client, jw, student, "4").json()

    assert (confirmed["text"], confirmed["is_override"]) == ("5", False)
    assert (overridden["text"], overridden["is_override"], overridden["suggested"]) == (
        "4",
        True,
        5,
    )
    assert PeriodMark.objects.get().value == 4


def test_period_mark_not_certified(client_for, jw):
    data = post_pm(client_for("teacher"), jw, jw.students[0], "na").json()

    assert data["text"] == "н/а"
    assert PeriodMark.objects.get().not_certified is True


def test_period_mark_pass_fail(client_for, jw):
    data = post_pm(client_for("teacher"), jw, jw.students[0], "pass", subject=jw.pe).json()

    assert data["text"] == "зач"


@pytest.mark.parametrize("value", ["", "6", "abc", "pass"])
def test_period_mark_bad_value_is_400(client_for, jw, value):
    response = post_pm(client_for("teacher"), jw, jw.students[0], value)

    assert response.status_code == 400
    assert response.json()["error"]
    assert PeriodMark.objects.count() == 0


def test_period_mark_closed_period_is_409(client_for, world, jw):
    records.period_close(actor=world.users["director"], period=jw.q2)

    response = post_pm(client_for("teacher"), jw, jw.students[0], "5")

    assert response.status_code == 409
    assert PeriodMark.objects.count() == 0


def test_period_mark_foreign_student_is_400(client_for, world, jw):
    response = post_pm(client_for("teacher"), jw, world.people["other_student"], "5")

    assert response.status_code == 400
    assert PeriodMark.objects.count() == 0


@pytest.mark.parametrize(("role", "status"), [("director", 403), ("student", 404)])
def test_period_mark_by_others_is_refused(client_for, jw, role, status):
    response = post_pm(client_for(role), jw, jw.students[0], "5")

    assert response.status_code == status
    assert PeriodMark.objects.count() == 0


def test_cell_response_is_json(client_for, jw, lesson):
    response = post_cell(client_for("teacher"), jw, lesson, jw.students[0], "9")

    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["code"] == "bad_value"
