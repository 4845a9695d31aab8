"""The journal of the demo municipality (``setka.journal.demo``), on a reduced demo: two
students a class, the journal of school №3, the gymnasium and the ДДТ network group, lessons
up to two weeks ahead. Built once for the module (about ten seconds) inside a transaction
that is rolled back at the end; each test runs in a savepoint of it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import pairwise

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.deletion import ProtectedError

from setka.core.models import AuditEntry
from setka.journal.demo.calendar import school_year
from setka.journal.models import (
    AcademicYear,
    Attendance,
    Bell,
    GroupMember,
    Homework,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    StudyGroup,
    Subject,
    TeachingAssignment,
    TimetableEntry,
)
from setka.journal.services.entry import MAX_MARKS_PER_LESSON
from setka.network.demo import build_demo
from setka.network.models import Guardianship, Institution, Membership, Municipality, Person
from setka.network.roles import user_roles

from .. import clock

# The demo is built around its "today" with the real Russian school calendar; the tests
# build it on the Thursday of the 4th week of the 2nd quarter of the school year that holds
# the suite's day (26 November 2026 for the school year 2026/2027).
START = clock.school_year_start(clock.TODAY)
_q2 = school_year(START).periods[1][0]
MONDAY = _q2 - dt.timedelta(days=_q2.weekday()) + dt.timedelta(weeks=3)
TODAY = MONDAY + dt.timedelta(days=3)


def build(**kwargs):
    return build_demo(students_per_class=2, today=TODAY, **kwargs)


@pytest.fixture
def frozen_clock(_frozen_session_clock):
    with time_machine.travel(clock.at(TODAY), tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(clock.at(TODAY), tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        ctx = build()
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def users(demo, db):
    model = get_user_model()
    return {u.username: u for u in model.objects.select_related("person")}


def person(users, login: str) -> Person:
    return users[login].person


# --- what the demo logins see ----------------------------------------------------------------


def test_demo_teacher_teaches_7b_and_other_classes_this_week(users):
    teacher = person(users, "teacher")

    assignments = TeachingAssignment.objects.active(TODAY).filter(teacher=teacher)
    classes = set(assignments.values_list("group__name", flat=True))
    week = Lesson.objects.filter(teacher=teacher, date__gte=MONDAY, date__lte=TODAY)

    assert "7Б" in classes
    assert len(classes) >= 2
    assert set(assignments.filter(group__name="7Б").values_list("subject__name", flat=True)) == {
        "Алгебра",
        "Геометрия",
        "Вероятность и статистика",
    }
    assert StudyGroup.objects.get(name="7Б", institution__slug="school-3").class_teacher == teacher
    assert week.count() >= 10
    assert week.filter(date=TODAY).exists()


def test_demo_student_has_marks_and_homework_this_week(users):
    student = person(users, "student")
    groups = GroupMember.objects.active(TODAY).filter(student=student).values("group")

    marks = Mark.objects.filter(student=student, date__gte=MONDAY, date__lt=TODAY)
    homework = Homework.objects.filter(group__in=groups, due_on__gte=MONDAY, due_on__lte=TODAY)

    assert marks.count() >= 3
    assert homework.count() >= 5
    assert all(h.minutes > 0 and h.text for h in homework)


def test_demo_parent_sees_two_children_with_marks(users):
    parent = users["parent"]
    children = user_roles(parent).children

    marks = Counter(
        Mark.objects.filter(student_id__in=children, is_deleted=False).values_list(
            "student_id", flat=True
        )
    )

    assert len(children) == 2
    assert set(marks) == set(children)
    assert min(marks.values()) >= 20
    for child in Person.objects.filter(pk__in=children):
        assert parent.has_perm("journal.view_diary", child)


def test_demo_partner_teaches_a_network_group_with_students_of_several_schools(users):
    partner, student = person(users, "partner"), person(users, "student")
    group = StudyGroup.objects.get(kind=StudyGroup.Kind.NETWORK)

    homes = set(group.members.values_list("home_institution__slug", flat=True))

    assert group.institution.slug == "ddt"
    assert TeachingAssignment.objects.active(TODAY).filter(teacher=partner, group=group).exists()
    assert group.members.filter(student=student, home_institution__slug="school-3").exists()
    assert len(homes) >= 2
    assert Mark.objects.filter(group=group, student=student).exists()
    assert Lesson.objects.filter(group=group, date__gte=MONDAY, date__lte=TODAY).exists()


# --- the year, its structure and its history -------------------------------------------------


def test_demo_first_quarter_is_closed_with_period_marks(users):
    student = person(users, "student")
    school = Institution.objects.get(slug="school-3")
    q1, q2 = Period.objects.filter(year__institution=school).order_by("number")[:2]

    marks = PeriodMark.objects.filter(period=q1, institution=school)

    assert q1.is_closed
    assert not q2.is_closed
    assert marks.filter(student=student, group__name="7Б", subject__name="Алгебра").exists()
    assert marks.filter(value__isnull=False).count() > 0.8 * marks.count()
    assert marks.filter(is_override=False, value=F("suggested")).count() > 0.8 * marks.count()
    assert AuditEntry.objects.filter(action="journal.period.close", object_id=q1.pk).exists()


def test_demo_year_follows_the_calendar(demo, db):
    calendar = school_year(START)

    year = AcademicYear.objects.get(institution__slug="school-3")
    holidays = list(year.holidays.values_list("starts_on", "ends_on"))

    assert year.name == f"{START}/{START + 1}"
    assert list(year.periods.values_list("starts_on", "ends_on")) == calendar.periods
    assert sorted(holidays) == sorted((a, b) for _, a, b in calendar.holidays)
    for _, first, last in calendar.holidays:
        assert not Lesson.objects.filter(year=year, date__range=(first, last)).exists()
    autumn = next((a, b) for name, a, b in calendar.holidays if name == "Осенние каникулы")
    assert not Lesson.objects.filter(year=year, date__range=autumn).exists()
    assert year.bells.filter(shift=1).count() == 8
    assert year.bells.filter(shift=2).count() == 6


def test_demo_schools_work_in_two_shifts(demo, db):
    year = AcademicYear.objects.get(institution__slug="gymnasium")
    shifts = dict(year.groups.filter(kind=StudyGroup.Kind.CLASS).values_list("name", "shift"))
    subgroups = year.groups.filter(kind=StudyGroup.Kind.SUBGROUP)
    second = year.bells.get(shift=2, number=1)

    assert shifts["3А"] == 2
    assert shifts["1А"] == shifts["5А"] == shifts["9А"] == shifts["11А"] == 1
    assert all(g.shift == g.parent.shift for g in subgroups.select_related("parent"))
    assert second.starts_at >= dt.time(13, 30)


def test_demo_school_year_calendar_has_four_quarters_between_breaks():
    for start in range(2024, 2031):
        calendar = school_year(start)

        ends = [e for _, e in calendar.periods]
        starts = [s for s, _ in calendar.periods]

        assert calendar.starts_on == starts[0]
        assert all(a < b for a, b in zip(ends, starts[1:], strict=False))
        assert all(s.isoweekday() <= 5 for s in starts)
        assert {h[0] for h in calendar.holidays} >= {"Осенние каникулы", "Зимние каникулы"}


def test_demo_timetable_and_lessons_have_no_clashes(demo, db):
    """No teacher is in two places at once: by the clock, since a lesson of the second shift
    may share its number with one of the first."""
    bells = {(b.year_id, b.shift, b.number): (b.starts_at, b.ends_at) for b in Bell.objects.all()}
    taught = defaultdict(list)
    for teacher, weekday, year, shift, number in TimetableEntry.objects.values_list(
        "teacher_id", "weekday", "group__year_id", "group__shift", "number"
    ):
        taught[teacher, weekday].append(bells[year, shift, number])
    for spans in taught.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in pairwise(spans)), spans
    class_slots = Counter()
    for group_id, parent_id, weekday, number in TimetableEntry.objects.values_list(
        "group_id", "group__parent_id", "weekday", "number"
    ):
        class_slots[parent_id or group_id, weekday, number, parent_id is None] += 1
    teacher_lessons = Counter(
        Lesson.objects.filter(status=Lesson.Status.HELD).values_list(
            "teacher_id", "date", "group__shift", "number"
        )
    )

    for (klass, weekday, number, whole), n in class_slots.items():
        assert n == 1 or not whole
        assert not whole or class_slots.get((klass, weekday, number, False), 0) == 0
    assert max(teacher_lessons.values()) == 1


def test_demo_classes_have_subjects_of_their_grade(demo, db):
    klass = StudyGroup.objects.get(name="3А", institution__slug="gymnasium")
    seventh = StudyGroup.objects.get(name="7Б", institution__slug="school-3")

    third_subjects = set(
        TeachingAssignment.objects.filter(Q(group=klass) | Q(group__parent=klass)).values_list(
            "subject__name", flat=True
        )
    )
    english = StudyGroup.objects.filter(parent=seventh, kind=StudyGroup.Kind.SUBGROUP)

    assert {"Русский язык", "Математика", "Окружающий мир", "Английский язык"} <= third_subjects
    assert "Алгебра" not in third_subjects
    assert english.count() == 2
    assert set(english.values_list("assignments__subject__name", flat=True)) == {"Английский язык"}
    assert all(g.members.count() >= 1 for g in english)


def test_demo_marks_keep_the_invariants_of_the_services(demo, db):
    member = GroupMember.objects.filter(
        group=OuterRef("group"), student=OuterRef("student"), starts_on__lte=OuterRef("date")
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("date")))
    absent = Attendance.objects.filter(
        lesson=OuterRef("lesson"), student=OuterRef("student"), code__in=["Н", "Б", "УП"]
    )
    marks = Mark.objects.all()

    assert marks.count() > 1000
    assert not marks.exclude(Exists(member)).exists()
    assert not marks.filter(Exists(absent)).exists()
    assert not marks.filter(value__isnull=False).exclude(value__range=(1, 5)).exists()
    assert not marks.filter(value__isnull=True, passed__isnull=True).exists()
    pass_fail = Subject.Grading.PASS_FAIL
    assert not marks.filter(subject__grading=pass_fail, value__isnull=False).exists()
    assert not marks.exclude(subject__grading=pass_fail).filter(passed__isnull=False).exists()
    assert marks.filter(subject__grading=pass_fail).exists()
    assert not marks.exclude(
        group=F("lesson__group"),
        subject=F("lesson__subject"),
        date=F("lesson__date"),
        institution=F("lesson__institution"),
    ).exists()
    assert not marks.filter(group__grade=1).exists()
    assert not marks.filter(lesson__status=Lesson.Status.CANCELLED).exists()
    assert not marks.filter(date__gte=TODAY).exists()
    assert not Attendance.objects.filter(date__gte=TODAY).exists()  # nothing ahead of a lesson
    per_lesson = marks.filter(is_deleted=False).values("lesson", "student").annotate(n=Count("id"))
    assert not per_lesson.filter(n__gt=MAX_MARKS_PER_LESSON).exists()
    assert not marks.exclude(kind__institution=F("institution")).exists()


def test_demo_lessons_attendance_and_homework_are_consistent(demo, db):
    lessons = Lesson.objects.all()

    in_period = Q(period__starts_on__lte=F("date"), period__ends_on__gte=F("date"))
    assert not lessons.exclude(in_period).exists()
    missing = lessons.filter(date__lt=TODAY, status=Lesson.Status.HELD, topic="").count()
    assert 0 < missing <= 0.06 * lessons.filter(date__lt=TODAY).count()
    assert lessons.filter(kind=Lesson.Kind.CONTROL, date__lt=TODAY).exists()
    assert not Attendance.objects.exclude(
        group=F("lesson__group"), date=F("lesson__date"), institution=F("lesson__institution")
    ).exists()
    assert not Attendance.objects.exclude(code__in=["Н", "Б", "УП", "ОП"]).exists()
    assert not Homework.objects.filter(due_on__lte=F("lesson__date")).exists()
    assert Homework.objects.filter(is_late=True).exists()
    assert not Homework.objects.filter(lesson__group__grade=1).exists()
    assert not Attendance.objects.filter(lesson__status=Lesson.Status.CANCELLED).exists()


def test_demo_has_a_substitution_a_cancelled_lesson_and_corrected_marks(users):
    teacher = person(users, "teacher")
    school = Institution.objects.get(slug="school-3")

    substituted = Lesson.objects.filter(institution=school, substitute__isnull=False)
    cancelled = Lesson.objects.filter(institution=school, status=Lesson.Status.CANCELLED)
    updated = AuditEntry.objects.filter(action="journal.mark.update", institution_id=school.pk)
    deleted = Mark.objects.filter(institution=school, is_deleted=True)

    assert substituted.filter(teacher=teacher, date__lt=TODAY).exists()
    assert substituted.filter(substitute=teacher, date__gt=TODAY).exists()
    assert cancelled.count() == 1
    assert AuditEntry.objects.filter(action="journal.lesson.cancel").exclude(reason="").exists()
    assert updated.filter(actor=users["teacher"]).exists()
    assert deleted.filter(group__name="7Б").exists()
    for mark in deleted:
        history = AuditEntry.objects.filter(object_type="journal.mark", object_id=mark.pk)
        assert list(history.order_by("created_at").values_list("action", flat=True)) == [
            "journal.mark.create",
            "journal.mark.delete",
        ]
        assert history.get(action="journal.mark.delete").reason


# --- idempotent, deterministic, and the full year ---------------------------------------------


def counts() -> dict[str, int]:
    models = (AcademicYear, StudyGroup, Lesson, Mark, Attendance, Homework, PeriodMark, AuditEntry)
    return {m.__name__: m.objects.count() for m in models}


def test_demo_second_build_adds_nothing(demo, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from setka.network.demo.build import STEPS

    before = counts()

    with CaptureQueriesContext(connection) as queries:
        build()

    assert counts() == before
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    # A few queries for the network and a few for each module's step to find its rows
    # again (readiness checks both of its campaigns), whatever the number of people.
    assert len(queries) <= 4 + 2 * len(STEPS) + 4, "\n".join(q["sql"][:120] for q in queries)


def snapshot() -> dict[str, list]:
    who = ("student__surname", "student__given_name", "student__birth_date")
    return {
        "lessons": sorted(
            Lesson.objects.values_list(
                "institution__slug", "group__name", "subject__name", "date", "number",
                "teacher__surname", "teacher__given_name", "topic", "kind", "status", "room",
            ),
            key=repr,
        ),
        "marks": sorted(
            Mark.objects.values_list(
                *who, "group__name", "subject__name", "date", "lesson__number", "value",
                "passed", "kind__short_name", "comment", "created_at", "is_deleted",
            ),
            key=repr,
        ),
        "attendance": sorted(
            Attendance.objects.values_list(*who, "group__name", "date", "lesson__number", "code"),
            key=repr,
        ),
        "homework": sorted(
            Homework.objects.values_list("group__name", "lesson__date", "lesson__number", "text",
                                         "minutes", "due_on", "is_late"),
            key=repr,
        ),
        "period_marks": sorted(
            PeriodMark.objects.values_list(*who, "subject__name", "value", "average", "suggested"),
            key=repr,
        ),
    }  # fmt: skip


def wipe() -> None:
    from django.apps import apps

    # The later modules' demo rows hold the journal's groups and subjects (protected keys).
    # Delete what can go until nothing is left (the order among them does not matter).
    left = [model for label in ("schedule", "events", "programs", "resources", "readiness")
            for model in apps.get_app_config(label).get_models()]  # fmt: skip
    for _ in range(len(left)):
        for model in list(left):
            try:
                with transaction.atomic():
                    model.objects.all().delete()
            except ProtectedError:
                continue
            left.remove(model)
    assert not left
    for model in (AuditEntry, Mark, Attendance, Homework, PeriodMark, Lesson, TimetableEntry,
                  TeachingAssignment, GroupMember, StudyGroup, AcademicYear, Subject):  # fmt: skip
        model.objects.all().delete()
    Guardianship.objects.all().delete()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    Institution.objects.all().delete()
    Municipality.objects.all().delete()
    get_user_model().objects.all().delete()


def test_demo_journal_is_deterministic(demo, db):
    first = snapshot()
    wipe()

    build()

    assert snapshot() == first


def test_demo_full_year_fills_the_journal_to_the_end_of_the_year(demo, db):
    wipe()

    build(journal_full_year=True)

    last = Lesson.objects.filter(institution__slug="school-3").latest("date").date
    assert Mark.objects.filter(date__gt=TODAY).exists()
    assert Mark.objects.filter(date__gte=last - dt.timedelta(days=7)).exists()
    assert not Period.objects.filter(is_closed=True, ends_on__gte=TODAY).exists()


def test_demo_bells_show_unread_notifications_of_the_journal(users):
    from setka.notifications.models import Notification
    from setka.notifications.selectors import unread_count

    parent, teacher = person(users, "parent"), person(users, "teacher")
    children = set(user_roles(users["parent"]).children)
    parent_kinds = set(Notification.objects.filter(recipient=parent).values_list("kind", flat=True))
    teacher_kinds = set(
        Notification.objects.filter(recipient=teacher).values_list("kind", flat=True)
    )

    assert unread_count(parent.pk) >= 3
    assert unread_count(teacher.pk) >= 1
    assert unread_count(person(users, "student").pk) >= 1
    assert "journal.mark.created" in parent_kinds
    assert teacher_kinds & {"journal.substitution", "journal.period"}
    assert set(
        Notification.objects.filter(recipient=parent).values_list("about_id", flat=True)
    ) <= (children)
