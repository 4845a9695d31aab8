"""The journal's and the network's blocks of «Сегодня», role by role: what each shows, that
nobody sees another role's block (and costs no query for it), that «new» is since the last
visit, and the same number of queries for one lesson, child, group or class and for many."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.core.clock import now
from setka.journal import today as blocks
from setka.journal.models import AcademicYear, GroupMember, Lesson, Period, StudyGroup
from setka.journal.services import homework, records, structure, timetable
from setka.network import today as network_blocks
from setka.network.models import Membership
from setka.network.roles import user_roles

from ..clock import TODAY
from .conftest import another_class, child_of, lesson, run

pytestmark = pytest.mark.django_db

JOURNAL_BLOCKS = [
    blocks.teacher,
    blocks.student,
    blocks.children,
    blocks.institutions,
    blocks.municipality,
]
NETWORK_BLOCKS = [network_blocks.people, network_blocks.municipality]
# role -> the blocks it sees
SEES = {
    "teacher": {blocks.teacher},
    "partner": {blocks.teacher},
    "student": {blocks.student},
    "parent": {blocks.children},
    "director": {blocks.institutions, network_blocks.people},
    "admin": {blocks.municipality, network_blocks.municipality},
    "metodist": {blocks.municipality, network_blocks.municipality},
    "other_parent": {blocks.children},
}


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_sees_only_its_blocks(world, jw, role, django_assert_num_queries):
    user = world.users[role]
    user_roles(user)
    others = [b for b in JOURNAL_BLOCKS + NETWORK_BLOCKS if b not in SEES[role]]

    with django_assert_num_queries(0):
        hidden = [run(b, user) for b in others]

    assert hidden == [None] * len(others)
    assert all(run(b, user) is not None for b in SEES[role])


# --- the teacher ---------------------------------------------------------------------------


def test_teacher_sees_todays_lessons_by_the_clock_with_what_is_filled(world, jw, day):
    first, second, _tomorrow = day
    teacher = world.users["teacher"]
    records.mark_create(actor=teacher, lesson=first, student=jw.students[0], value=5)
    records.attendance_set(actor=teacher, lesson=first, student=jw.students[1], code="Н")
    Lesson.objects.filter(pk=first.pk).update(topic="Дроби")
    homework.homework_set(actor=teacher, lesson=first, text="№ 12", minutes=25)

    found = run(blocks.teacher, teacher).context["day"]

    assert [(ls.id, ls.starts_at) for ls in found.lessons] == [
        (first.pk, dt.time(8, 0)),
        (second.pk, dt.time(8, 50)),
    ]
    one, two = found.lessons
    assert (one.topic, one.has_homework, one.marks, one.absences) == ("Дроби", True, 1, 1)
    assert two.missing == ["topic", "homework", "marks"]
    # 11:00 now: both have begun; the second still lacks homework
    assert [ls.id for ls in found.homework_pending] == [second.pk]


def test_teacher_sees_substitutions_both_ways_and_unfilled_lessons(world, jw, day):
    first, _second, tomorrow = day
    partner = world.people["partner"]
    Membership.objects.create(
        person=partner,
        institution=world.school,
        role=Membership.Role.TEACHER,
        starts_on=jw.year.starts_on,
    )
    timetable.lesson_substitute(actor=world.users["director"], lesson=tomorrow, substitute=partner)
    last_week = Lesson.objects.filter(
        group=jw.klass, date__lt=TODAY, date__gte=TODAY - dt.timedelta(days=7)
    )

    mine = run(blocks.teacher, world.users["teacher"]).context["day"]
    theirs = run(blocks.teacher, world.users["partner"]).context["day"]

    assert [(ls.id, ls.covering) for ls in mine.substitutions] == [(tomorrow.pk, False)]
    assert [(ls.id, ls.covering) for ls in theirs.substitutions] == [(tomorrow.pk, True)]
    assert theirs.lessons == []  # tomorrow's lesson is not today's
    assert {ls.id for ls in mine.unfilled} == set(last_week.values_list("pk", flat=True))
    assert first.pk not in {ls.id for ls in mine.unfilled}


def test_teacher_sees_network_groups_with_each_students_school(world, jw):
    group = structure.group_create(
        actor=world.users["director"],
        year=jw.year,
        name="Робототехника",
        kind=StudyGroup.Kind.NETWORK,
    )
    structure.assignment_create(
        actor=world.users["director"],
        group=group,
        subject=jw.maths,
        teacher=world.people["teacher"],
    )
    GroupMember.objects.create(
        group=group,
        student=world.people["other_student"],
        home_institution=world.other_school,
        starts_on=jw.year.starts_on,
    )

    found = run(blocks.teacher, world.users["teacher"]).context["day"]

    (network,) = found.groups
    assert [(s.name, s.school) for s in network.students] == [("Другов Олег", "Школа № 5")]


@pytest.mark.parametrize("size", [1, 6], ids=["one class", "six classes"])
def test_teacher_query_budget(world, jw, day, size, django_assert_num_queries):
    teacher = world.users["teacher"]
    for i in range(size - 1):
        group = another_class(world, jw, f"{8 + i % 3}{'АБВГДЕ'[i]}")
        lesson(jw, group=group, number=3 + i % 3)
        network = structure.group_create(
            actor=world.users["director"],
            year=jw.year,
            name=f"Сеть {i}",
            kind=StudyGroup.Kind.NETWORK,
        )
        structure.assignment_create(
            actor=world.users["director"],
            group=network,
            subject=jw.maths,
            teacher=world.people["teacher"],
        )
        GroupMember.objects.create(
            group=network,
            student=jw.students[i % 5],
            home_institution=world.school,
            starts_on=jw.year.starts_on,
        )
    if size == 1:
        network = structure.group_create(
            actor=world.users["director"], year=jw.year, name="Сеть", kind=StudyGroup.Kind.NETWORK
        )
        structure.assignment_create(
            actor=world.users["director"],
            group=network,
            subject=jw.maths,
            teacher=world.people["teacher"],
        )
    user_roles(teacher)

    with django_assert_num_queries(3):  # lessons, network groups, their members
        found = run(blocks.teacher, teacher).context["day"]

    assert len(found.lessons) == 2 + (size - 1)


# --- the student and the parent ------------------------------------------------------------


def test_student_sees_today_tomorrow_homework_and_new_marks(world, jw, day):
    first, second, tomorrow = day
    teacher = world.users["teacher"]
    homework.homework_set(
        actor=teacher, lesson=first, text="№ 12", minutes=25, due_on=tomorrow.date
    )
    mark = records.mark_create(
        actor=teacher, lesson=first, student=world.people["student"], value=4
    )

    found = run(blocks.student, world.users["student"]).context["day"]

    assert [ls.id for ls in found.today.lessons] == [first.pk, second.pk]
    assert found.next_day.date == tomorrow.date
    assert [(h.text, h.minutes) for h in found.next_day.homework] == [("№ 12", 25)]
    assert found.next_day.minutes == 25
    assert [(m.id, m.text) for m in found.new_marks] == [(mark.pk, "4")]


def test_marks_are_new_since_the_visit_before_this_one(world, jw, day, client_for, frozen_clock):
    first = day[0]
    student = world.users["student"]
    client = client_for("student")
    client.get("/")  # a first visit
    records.mark_create(
        actor=world.users["teacher"], lesson=first, student=world.people["student"], value=5
    )

    frozen_clock.shift(dt.timedelta(hours=3))
    response = client.get("/")  # the next visit: the mark came after the last one began
    assert "5" in [m.text for m in response.context["today_blocks"][0].context["day"].new_marks]
    response = client.get("/")  # reloaded: still new
    assert len(response.context["today_blocks"][0].context["day"].new_marks) == 1

    frozen_clock.shift(dt.timedelta(hours=3))
    response = client.get("/")  # a later visit: no longer new
    assert response.context["today_blocks"][0].context["day"].new_marks == []
    student.refresh_from_db()
    assert student.today_visit_at > student.today_since


def test_parent_sees_each_childs_news_homework_and_averages(world, jw, day):
    first, _second, tomorrow = day
    teacher = world.users["teacher"]
    parent = world.people["parent"]
    second_child = child_of(world, parent, jw.klass, "Алина")
    homework.homework_set(
        actor=teacher, lesson=first, text="№ 12", minutes=25, due_on=tomorrow.date
    )
    records.mark_create(actor=teacher, lesson=first, student=world.people["student"], value=5)
    records.mark_create(actor=teacher, lesson=first, student=world.people["student"], value=4)
    records.attendance_set(actor=teacher, lesson=first, student=second_child, code="Б")

    block = run(blocks.children, world.users["parent"], f"?child={second_child.pk}")

    by_id = {c.id: c for c in block.context["children"]}
    dasha, alina = by_id[world.people["student"].pk], by_id[second_child.pk]
    assert block.context["child"] is alina
    assert [m.text for m in dasha.new_marks] == ["4", "5"]
    assert [(s.subject, s.average, s.count) for s in dasha.averages] == [("Математика", 4.5, 2)]
    assert [(a.code, a.subject) for a in alina.absences] == [("Б", "Математика")]
    assert (alina.next_day, alina.homework_count, alina.homework_minutes) == (tomorrow.date, 1, 25)


def test_parent_cannot_switch_to_someone_elses_child(world, jw, day):
    block = run(
        blocks.children, world.users["parent"], f"?child={world.people['other_student'].pk}"
    )

    assert block.context["child"].id == world.people["student"].pk
    assert [c.id for c in block.context["children"]] == [world.people["student"].pk]


@pytest.mark.parametrize("extra", [0, 4], ids=["one child", "five children"])
def test_parent_query_budget(world, jw, day, extra, django_assert_num_queries):
    first, _second, tomorrow = day
    teacher = world.users["teacher"]
    parent = world.people["parent"]
    homework.homework_set(actor=teacher, lesson=first, text="№ 1", due_on=tomorrow.date)
    for i in range(extra):
        child = child_of(world, parent, jw.klass, f"Ребёнок{i}")
        records.mark_create(actor=teacher, lesson=first, student=child, value=3 + i % 3)
    user = world.users["parent"]
    user_roles(user)
    user.today_visit_at = now()  # a visit under way: no write

    with django_assert_num_queries(6):
        block = run(blocks.children, user)

    assert len(block.context["children"]) == 1 + extra


@pytest.mark.parametrize("extra", [0, 5], ids=["few lessons", "many lessons"])
def test_student_query_budget(world, jw, day, extra, django_assert_num_queries):
    for i in range(extra):
        lesson(jw, number=3 + i)
    user = world.users["student"]
    user_roles(user)
    user.today_visit_at = now()

    with django_assert_num_queries(5):  # the diary's four, the new marks
        found = run(blocks.student, user).context["day"]

    assert len(found.today.lessons) == 2 + extra


# --- the administrators --------------------------------------------------------------------


def test_director_sees_attendance_completeness_and_classes_without_timetable(world, jw, day):
    first = day[0]
    records.attendance_set(
        actor=world.users["teacher"], lesson=first, student=jw.students[1], code="Б"
    )
    empty = another_class(world, jw, "9А")

    (school,) = run(blocks.institutions, world.users["director"]).context["institutions"]

    assert school.attendance.students == 5
    assert school.attendance.absent == 0  # ill at the first lesson only: not all day
    assert school.without_timetable == [(empty.pk, "9А")]
    assert (
        school.completeness.held
        == jw.lessons().filter(period=jw.q2, date__lt=TODAY).count()
        + jw.lessons(subject=jw.pe).filter(period=jw.q2, date__lt=TODAY).count()
    )
    assert school.completeness.with_topic == 0


def test_director_sees_pending_invitations(world, jw):
    (school,) = run(network_blocks.people, world.users["director"]).context["institutions"]

    # the world's people of school №3 with accounts never signed in: director, teacher, student
    assert (school.invited, school.without_account) == (3, 0)


@pytest.mark.parametrize("extra", [0, 5], ids=["one class", "six classes"])
def test_director_query_budget(world, jw, day, extra, django_assert_num_queries):
    for i in range(extra):
        group = another_class(world, jw, f"{5 + i}А")
        lesson(jw, group=group, number=1)
    user = world.users["director"]
    user_roles(user)

    with django_assert_num_queries(7):  # institutions, years, classes, completeness, the day's 3
        run(blocks.institutions, user)
    with django_assert_num_queries(2):
        run(network_blocks.people, user)


@pytest.mark.parametrize("role", ["admin", "metodist"])
def test_municipality_sees_schools_needing_attention(world, jw, day, role):
    another_class(world, jw, "9А")

    found = run(blocks.municipality, world.users[role]).context["journal"]

    # school №3: a class without a timetable, no topics; school №5: no school year at all
    assert [(s.name, s.year_id is None) for s in found.attention] == [
        ("Школа № 3", False),
        ("Школа № 5", True),
    ]
    assert [s.name for s in found.quiet] == ["Школа № 3"]  # no marks this week
    assert found.completeness.held > 0


@pytest.mark.parametrize("extra", [0, 3], ids=["one school", "four schools"])
def test_municipal_query_budget(world, jw, day, extra, django_assert_num_queries):
    for i in range(extra):
        school = world.school.__class__.objects.create(
            municipality=world.municipality,
            kind=world.school.kind,
            short_name=f"Школа {i}",
            full_name=f"Школа {i}",
            slug=f"s-{i}",
        )
        year = AcademicYear.objects.create(
            institution=school,
            name="2026/2027",
            starts_on=jw.year.starts_on,
            ends_on=jw.year.ends_on,
        )
        period = Period.objects.create(
            year=year, number=1, name="1", starts_on=jw.q2.starts_on, ends_on=jw.q2.ends_on
        )
        group = StudyGroup.objects.create(institution=school, year=year, name="5А", grade=5)
        Lesson.objects.create(
            institution=school,
            year=year,
            period=period,
            group=group,
            subject=jw.maths,
            teacher=world.people["teacher"],
            date=TODAY - dt.timedelta(days=1),
            number=1,
        )
    user = world.users["metodist"]
    user_roles(user)

    with django_assert_num_queries(8):
        run(blocks.municipality, user)
    with django_assert_num_queries(4):
        run(network_blocks.municipality, user)


@pytest.mark.parametrize("role", ["teacher", "student", "parent", "director", "admin", "metodist"])
def test_home_renders_each_roles_day(client_for, world, jw, day, role):
    response = client_for(role).get("/")

    assert response.status_code == 200
    keys = [b.key for b in response.context["today_blocks"]]
    assert {
        "teacher": "today-teacher",
        "student": "today-student",
        "parent": "today-children",
        "director": "today-school",
        "admin": "today-municipality",
        "metodist": "today-municipality",
    }[role] in keys
