"""One rule decides "teaches this group and subject" (``rules.teaching_assignments``); the two
hand-written statements of ``journal.access`` (``sql.ACCESS``: every journal page;
``sql.LESSON_WRITE``: every mark entered) fold it into their one query through
``rules.teaches_sql``. This matrix proves the statements and
every fetch-and-authorize function equal to the rule — on SQLite and on PostgreSQL — for a
teacher, a substitute (who writes only the lessons they cover), ended and future assignments,
a subgroup and a network group (issue 7, §1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.http import Http404

from setka.core import sqlrows
from setka.journal import access, rules, sql
from setka.journal.models import Lesson, StudyGroup, TeachingAssignment
from setka.journal.services import structure
from setka.network.models import Membership

from .. import factories as f
from ..clock import TODAY

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


@dataclass
class Case:
    name: str
    user: object
    lesson: Lesson
    teaches: bool  # the rule's answer, worked out by hand
    writes: bool  # may write this lesson (a teacher of it, or its substitute)


def _teacher(world, institution=None):
    person = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(
        person=person, institution=institution or world.school, role=Membership.Role.TEACHER
    )
    return person


def _assign(group, subject, teacher, starts_on, ends_on=None):
    return TeachingAssignment.objects.create(
        institution_id=group.institution_id,
        group=group,
        subject=subject,
        teacher=teacher,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def _lesson(jw, group, subject, teacher, day=TODAY, substitute=None):
    return Lesson.objects.create(
        institution_id=group.institution_id,
        year=jw.year,
        period=jw.q2,
        group=group,
        subject=subject,
        teacher=teacher,
        substitute=substitute,
        date=day,
        number=7,
    )


@pytest.fixture
def cases(world, jw) -> list[Case]:
    maths, klass, start = jw.maths, jw.klass, jw.year.starts_on
    teacher = world.people["teacher"]  # teaches maths in 7Б (an open assignment)
    first, other = list(jw.lessons(period=jw.q2)[:2])
    substitute = _teacher(world)
    first.substitute = substitute
    first.save(update_fields=["substitute"])

    ended = _teacher(world)  # taught maths in 7Б until yesterday
    _assign(klass, maths, ended, start, TODAY - ONE_DAY)
    last_day = _teacher(world)  # until today: still teaches
    _assign(klass, maths, last_day, start, TODAY)
    future = _teacher(world)  # from tomorrow
    _assign(klass, maths, future, TODAY + ONE_DAY)

    english = structure.subject_get_or_create(world.municipality, "Английский язык", "англ")
    half = StudyGroup.objects.create(
        institution=world.school, year=jw.year, kind=StudyGroup.Kind.SUBGROUP, name="7Б англ 1",
        parent=klass,
    )  # fmt: skip
    linguist = _teacher(world)
    _assign(half, english, linguist, start)
    half_lesson = _lesson(jw, half, english, linguist)
    class_english = _lesson(jw, klass, english, teacher)

    robotics = structure.subject_get_or_create(world.municipality, "Робототехника", "робот")
    network = StudyGroup.objects.create(
        institution=world.school, year=jw.year, kind=StudyGroup.Kind.NETWORK, name="Роботы",
    )  # fmt: skip
    partner = world.people["partner"]  # a teacher of the ДДТ, not of the school
    _assign(network, robotics, partner, start)
    network_lesson = _lesson(jw, network, robotics, partner)

    u = world.users
    return [
        Case("teacher", u["teacher"], first, True, True),
        Case("teacher, another lesson", u["teacher"], other, True, True),
        Case("substitute, the covered lesson", substitute.user, first, False, True),
        Case("substitute, another lesson", substitute.user, other, False, False),
        Case("assignment ended yesterday", ended.user, first, False, False),
        Case("assignment ending today", last_day.user, first, True, True),
        Case("assignment from tomorrow", future.user, first, False, False),
        Case("subgroup's teacher, the subgroup", linguist.user, half_lesson, True, True),
        Case("subgroup's teacher, the class", linguist.user, class_english, False, False),
        Case("class's teacher, the subgroup", u["teacher"], half_lesson, False, False),
        Case("network group's partner teacher", partner.user, network_lesson, True, True),
        Case("teacher, the network group", u["teacher"], network_lesson, False, False),
        Case("director (reads, teaches nothing)", u["director"], first, False, False),
        Case("student", u["student"], first, False, False),
    ]


def _person_id(user) -> int | None:
    person = getattr(user, "person", None)
    return person.pk if person is not None else None


def _sql_teaches(statement: str, sizes: list[int], params: dict) -> bool:
    row = sqlrows.rows(statement, {"today": TODAY, **params})[0]
    return bool(row[sum(sizes)])


def test_the_statements_answer_as_the_rule(cases):
    for case in cases:
        lesson, person_id = case.lesson, _person_id(case.user)
        rule = rules.teaches(person_id, lesson.group_id, lesson.subject_id)
        journal_sql = _sql_teaches(
            sql.ACCESS,
            sql.ACCESS_SIZES,
            {"group": lesson.group_id, "subject": lesson.subject_id, "person": person_id},
        )
        lesson_sql = _sql_teaches(
            sql.LESSON_WRITE,
            sql.LESSON_WRITE_SIZES,
            {"lesson": lesson.pk, "person": person_id, "student": 0},
        )

        assert (rule, journal_sql, lesson_sql) == (case.teaches,) * 3, case.name


def test_every_access_function_writes_as_the_rule(cases, jw):
    student_id = jw.students[0].pk
    for case in cases:
        lesson, user = case.lesson, case.user
        rule = rules.can_write_lesson(user, lesson)
        write = access.lesson_for_write(user, lesson.pk, student_id)
        answers = {"rule": rule, "lesson_for_write": write.grant is not None}
        try:
            _lesson, ja = access.lesson_for_user(user, lesson.pk)
            answers["lesson_for_user"] = ja.can_write(lesson)
            journal = access.journal_for_user(user, lesson.group_id, lesson.subject_id)
            answers["journal_for_user"] = journal.can_write(lesson)
            assert journal.teaches == ja.teaches == case.teaches, case.name
            assert journal.writes == case.teaches, case.name  # the whole journal: teachers
        except Http404:
            assert write.lesson is None, case.name  # unreadable for every function alike

        assert answers == dict.fromkeys(answers, case.writes), case.name


def test_a_grant_is_made_only_by_the_access_layer(world, jw):
    lesson = jw.lessons(period=jw.q2).first()

    with pytest.raises(TypeError):
        access.LessonGrant(world.users["teacher"].pk, lesson.pk, frozenset())


def test_a_service_ignores_a_grant_for_another_user_or_lesson(world, jw):
    from django.core.exceptions import PermissionDenied

    from setka.journal.services import records

    first, other = list(jw.lessons(period=jw.q2).filter(date__lte=TODAY)[:2])
    write = access.lesson_for_write(world.users["teacher"], first.pk, jw.students[0].pk)
    assert write.grant is not None
    stranger = _teacher(world).user

    with pytest.raises(PermissionDenied):
        records.attendance_set(
            actor=stranger, lesson=first, student=jw.students[0], code="Н", grant=write.grant
        )
    assert not write.grant.covers(world.users["teacher"], other)
