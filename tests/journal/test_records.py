import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from setka.core.audit import audit_entries_for
from setka.journal.models import Attendance, Lesson, Mark, PeriodMark
from setka.journal.services import records, timetable
from setka.network.models import Membership

from .. import factories as f
from ..clock import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(jw):
    return jw.lessons(period=jw.q2).first()


def test_mark_create_writes_mark_and_audit(jw, world, lesson):
    student = jw.students[0]

    mark = records.mark_create(
        actor=world.users["teacher"], lesson=lesson, student=student, value=5
    )

    assert (mark.value, mark.date, mark.group_id, mark.subject_id) == (
        5,
        lesson.date,
        jw.klass.pk,
        jw.maths.pk,
    )
    assert mark.kind.name == "Ответ на уроке"
    assert [e.action for e in audit_entries_for(mark)] == ["journal.mark.create"]


@pytest.mark.parametrize("value", [0, 6, -1, "5", 4.5, True, None])
def test_mark_outside_scale_is_refused_and_nothing_stored(jw, world, lesson, value):
    with pytest.raises(ValidationError):
        records.mark_create(
            actor=world.users["teacher"], lesson=lesson, student=jw.students[0], value=value
        )

    assert Mark.objects.count() == 0


def test_pass_fail_subject_takes_only_pass_or_fail(jw, world):
    pe_lesson = jw.lessons(subject=jw.pe, period=jw.q2).first()

    with pytest.raises(ValidationError):
        records.mark_create(
            actor=world.users["teacher"], lesson=pe_lesson, student=jw.students[0], value=5
        )
    mark = records.mark_create(
        actor=world.users["teacher"], lesson=pe_lesson, student=jw.students[0], passed=True
    )

    assert (mark.value, mark.passed, mark.display) == (None, True, "зач")


def test_mark_for_student_not_in_group_is_refused(jw, world, lesson):
    outsider = world.people["other_student"]

    with pytest.raises(ValidationError) as exc:
        records.mark_create(actor=world.users["teacher"], lesson=lesson, student=outsider, value=4)

    assert exc.value.message_dict["student"]
    assert Mark.objects.count() == 0


def test_mark_by_teacher_of_another_group_is_forbidden(jw, world, lesson):
    with pytest.raises(PermissionDenied):
        records.mark_create(
            actor=world.users["other_teacher"], lesson=lesson, student=jw.students[0], value=4
        )


def test_substitute_may_enter_marks_for_that_lesson_only(jw, world, lesson):
    partner = world.people["partner"]
    f.MembershipFactory(person=partner, institution=world.school, role=Membership.Role.TEACHER)
    timetable.lesson_substitute(actor=world.users["director"], lesson=lesson, substitute=partner)
    other_lesson = jw.lessons(period=jw.q2)[1]

    records.mark_create(
        actor=world.users["partner"], lesson=lesson, student=jw.students[0], value=4
    )
    with pytest.raises(PermissionDenied):
        records.mark_create(
            actor=world.users["partner"], lesson=other_lesson, student=jw.students[0], value=4
        )


def test_closed_period_locks_marks(jw, world, lesson):
    records.period_close(actor=world.users["director"], period=jw.q2)
    lesson.refresh_from_db()

    with pytest.raises(ValidationError) as exc:
        records.mark_create(
            actor=world.users["teacher"], lesson=lesson, student=jw.students[0], value=5
        )

    assert exc.value.code == "locked"


def test_reopen_needs_reason_and_is_audited(jw, world):
    records.period_close(actor=world.users["director"], period=jw.q2)

    with pytest.raises(ValidationError):
        records.period_reopen(actor=world.users["director"], period=jw.q2, reason="")
    records.period_reopen(actor=world.users["director"], period=jw.q2, reason="исправление ошибки")

    assert [e.action for e in audit_entries_for(jw.q2)] == [
        "journal.period.reopen",
        "journal.period.close",
    ]


def test_teacher_cannot_close_a_period(jw, world):
    with pytest.raises(PermissionDenied):
        records.period_close(actor=world.users["teacher"], period=jw.q2)


def test_cancelled_lesson_takes_no_marks(jw, world, lesson):
    timetable.lesson_cancel(actor=world.users["director"], lesson=lesson, reason="карантин")
    lesson = Lesson.objects.get(pk=lesson.pk)

    with pytest.raises(ValidationError):
        records.mark_create(
            actor=world.users["teacher"], lesson=lesson, student=jw.students[0], value=5
        )


def test_delete_keeps_the_mark_with_reason(jw, world, lesson):
    mark = records.mark_create(
        actor=world.users["teacher"], lesson=lesson, student=jw.students[0], value=2
    )
    # older than the editing session (journal/services/deletion.py): a reason is needed
    Mark.objects.filter(pk=mark.pk).update(created_at=mark.created_at - dt.timedelta(hours=1))
    mark.refresh_from_db()

    with pytest.raises(ValidationError):
        records.mark_delete(actor=world.users["teacher"], mark=mark, reason="")
    records.mark_delete(actor=world.users["teacher"], mark=mark, reason="ошибся учеником")

    mark.refresh_from_db()
    assert mark.is_deleted
    assert audit_entries_for(mark).first().reason == "ошибся учеником"


def test_cell_save_adds_changes_and_removes_marks(jw, world, lesson):
    teacher, student = world.users["teacher"], jw.students[0]

    records.cell_save(actor=teacher, lesson=lesson, student=student, text="5 4")
    records.cell_save(actor=teacher, lesson=lesson, student=student, text="3")

    live = list(
        Mark.objects.filter(lesson=lesson, student=student, is_deleted=False).values_list(
            "value", flat=True
        )
    )
    assert live == [3]
    assert Mark.objects.filter(lesson=lesson, student=student, is_deleted=True).count() == 1


def test_cell_save_with_attendance_codes(jw, world, lesson):
    teacher, student = world.users["teacher"], jw.students[0]

    result = records.cell_save(actor=teacher, lesson=lesson, student=student, text="оп 5")
    records.cell_save(actor=teacher, lesson=lesson, student=jw.students[1], text="н")

    assert result.attendance == "ОП"
    assert Attendance.objects.get(lesson=lesson, student=jw.students[1]).code == "Н"


@pytest.mark.parametrize("text", ["7", "Х", "н б", "5 5 5 5 5", "зачёт?"])
def test_cell_save_bad_input_stores_nothing(jw, world, lesson, text):
    with pytest.raises(ValidationError):
        records.cell_save(
            actor=world.users["teacher"], lesson=lesson, student=jw.students[0], text=text
        )

    assert Mark.objects.count() == 0
    assert Attendance.objects.count() == 0


def test_two_teachers_same_cell_last_write_wins_both_in_history(jw, world, lesson):
    director = world.people["director"]
    f.MembershipFactory(person=director, institution=world.school, role=Membership.Role.TEACHER)
    from setka.journal.services import structure

    structure.assignment_create(
        actor=world.users["director"], group=jw.klass, subject=jw.maths, teacher=director
    )
    student = jw.students[0]

    records.cell_save(actor=world.users["teacher"], lesson=lesson, student=student, text="4")
    records.cell_save(actor=world.users["director"], lesson=lesson, student=student, text="5")

    mark = Mark.objects.get(lesson=lesson, student=student, is_deleted=False)
    history = list(audit_entries_for(mark).order_by("created_at", "id"))
    assert mark.value == 5
    assert [(e.action, e.actor.username) for e in history] == [
        ("journal.mark.create", "teacher"),
        ("journal.mark.update", "director"),
    ]
    assert history[1].changes["value"] == [4, 5]


@pytest.mark.parametrize("code", ["X", "absent", "ПП"])
def test_unknown_attendance_code_is_refused(jw, world, lesson, code):
    with pytest.raises(ValidationError):
        records.attendance_set(
            actor=world.users["teacher"], lesson=lesson, student=jw.students[0], code=code
        )

    assert Attendance.objects.count() == 0


def test_period_mark_suggestion_and_override(jw, world):
    teacher = world.users["teacher"]
    student = jw.students[0]
    lessons = list(jw.lessons(period=jw.q2)[:3])
    for lesson, value in zip(lessons, [5, 4, 4], strict=True):
        records.mark_create(actor=teacher, lesson=lesson, student=student, value=value)

    pm = records.period_mark_set(
        actor=teacher, group=jw.klass, subject=jw.maths, student=student, period=jw.q2, value=5
    )

    assert (str(pm.average), pm.suggested, pm.is_override) == ("4.33", 4, True)
    assert PeriodMark.objects.count() == 1


def test_period_mark_for_student_outside_group_is_refused(jw, world):
    with pytest.raises(ValidationError):
        records.period_mark_set(
            actor=world.users["teacher"],
            group=jw.klass,
            subject=jw.maths,
            student=world.people["other_student"],
            period=jw.q2,
            value=4,
        )


def test_student_who_left_keeps_marks_but_gets_no_new_ones(jw, world):
    student = jw.students[1]
    member = jw.klass.members.get(student=student)
    member.ends_on = d(2026, 11, 10)
    member.save()
    later = jw.lessons(period=jw.q2).filter(date__gt=d(2026, 11, 10)).first()

    with pytest.raises(ValidationError):
        records.mark_create(actor=world.users["teacher"], lesson=later, student=student, value=4)
