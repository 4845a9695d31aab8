"""My journals, the class view and the filling-completeness control: each role's answer, the
content, and the query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from setka.journal.models import GroupMember, Homework, Lesson, StudyGroup
from setka.journal.services import records
from setka.network.models import Membership, today

from .. import factories as f

pytestmark = pytest.mark.django_db

ROLE_PAGES = [
    ("anonymous", 302, 302, 302),
    ("teacher", 200, 200, 200),  # the teacher is also 7Б's class teacher
    ("director", 200, 200, 200),
    ("admin", 200, 200, 200),  # the municipal admin reads everything in the municipality
    ("metodist", 200, 404, 404),
    ("student", 200, 404, 404),
    ("parent", 200, 404, 404),
    ("partner", 200, 404, 404),
    ("other_teacher", 200, 404, 404),
    ("other_parent", 200, 404, 404),
]


@pytest.mark.parametrize(
    ("role", "expected"), [(role, tuple(answers)) for role, *answers in ROLE_PAGES]
)
def test_overview_pages_permission_matrix(client_for, jw, role, expected):
    client = client_for(role)

    answers = (
        client.get(reverse("journal:index")).status_code,
        client.get(reverse("journal:class", args=[jw.klass.pk])).status_code,
        client.get(reverse("journal:completeness") + f"?group={jw.klass.pk}").status_code,
    )

    assert answers == expected


# --- my journals -----------------------------------------------------------------------------


def test_index_teacher_sees_assignments_and_class(client_for, jw):
    response = client_for("teacher").get(reverse("journal:index"))

    pairs = [(a.group, a.subject) for a in response.context["assignments"]]
    assert pairs == [(jw.klass, jw.maths), (jw.klass, jw.pe)]
    assert response.context["led"] == [jw.klass]
    assert response.context["empty"] is False
    grid = reverse("journal:grid", args=[jw.klass.pk, jw.maths.pk])
    assert f'href="{grid}"'.encode() in response.content


def test_index_director_sees_classes_of_the_school(client_for, world, jw):
    response = client_for("director").get(reverse("journal:index"))

    (item,) = response.context["administered"]
    assert (item["institution"], item["year"], item["classes"]) == (
        world.school,
        jw.year,
        [jw.klass],
    )


def test_index_substitute_sees_lessons_of_this_week(client, world, jw):
    person = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)
    day = today()
    monday = day - dt.timedelta(days=day.weekday())
    this_week = Lesson.objects.filter(
        group=jw.klass, date__gte=monday, date__lte=monday + dt.timedelta(days=6)
    ).first()
    Lesson.objects.filter(pk=this_week.pk).update(substitute=person)
    client.force_login(person.user)

    response = client.get(reverse("journal:index"))

    assert response.context["substitutions"] == [this_week]


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("student", b"Marks, homework and attendance are in the diary."),
        ("parent", b"Marks, homework and attendance are in the diary."),
        ("metodist", b"The municipality reads them through the reports."),
        ("other_teacher", b"You have no journals yet."),
    ],
)
def test_index_without_journals_shows_a_friendly_empty_state(client_for, jw, role, text):
    response = client_for(role).get(reverse("journal:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["empty"] is True
    assert text in response.content


@pytest.mark.parametrize("extra", [0, 10], ids=["1 class", "11 classes"])
def test_index_query_budget(client_for, django_assert_num_queries, world, jw, extra):
    for i in range(extra):
        StudyGroup.objects.create(
            institution=world.school, year=jw.year, name=f"8{i}", grade=8, letter=str(i)
        )
    client = client_for("director")

    with django_assert_num_queries(10):
        response = client.get(reverse("journal:index"))

    assert len(response.context["administered"][0]["classes"]) == 1 + extra


def test_journal_menu_item_for_teachers_and_admins(client_for, jw):
    def menu(role):
        response = client_for(role).get(reverse("journal:index"), HTTP_ACCEPT_LANGUAGE="en")
        return [item.label for item in response.context["setka_nav"]]

    assert "Journal" in menu("teacher")
    assert "Journal" in menu("director")
    assert "Journal" not in menu("student")
    assert "Journal" not in menu("parent")


# --- the class view --------------------------------------------------------------------------


def test_class_view_shows_averages_period_marks_and_absences(client_for, world, jw):
    teacher = world.users["teacher"]
    student = jw.students[0]
    lessons = list(jw.lessons(period=jw.q2)[:3])
    for lesson, text in zip(lessons, ["5", "Н 4", "4"], strict=True):
        records.cell_save(actor=teacher, lesson=lesson, student=student, text=text)
    records.period_mark_set(
        actor=teacher, group=jw.klass, subject=jw.maths, student=student, period=jw.q2, value=4
    )

    response = client_for("director").get(reverse("journal:class", args=[jw.klass.pk]))

    assert [c.name for c in response.context["columns"]] == ["Математика", "Физическая культура"]
    row = next(r for r in response.context["rows"] if r["id"] == student.pk)
    maths = row["cells"][0]
    assert (maths["average"], maths["count"], maths["period_mark"]) == ("4,33", 3, "4")
    assert (row["absences"], row["total"]) == ([1, 0, 0, 0], 1)


def test_class_view_other_period(client_for, jw):
    response = client_for("director").get(
        reverse("journal:class", args=[jw.klass.pk]) + f"?period={jw.q1.pk}"
    )

    assert response.context["period"] == jw.q1


def test_class_view_teacher_who_is_not_the_class_teacher_gets_404(client, world, jw):
    person = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)
    client.force_login(person.user)

    response = client.get(reverse("journal:class", args=[jw.klass.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("extra", [0, 25], ids=["5 students", "30 students"])
def test_class_view_query_budget(client_for, django_assert_num_queries, world, jw, extra):
    for i in range(extra):
        person = f.PersonFactory(municipality=world.municipality, surname=f"Доп{i:02}")
        GroupMember.objects.create(
            group=jw.klass, student=person, home_institution=world.school,
            starts_on=jw.year.starts_on,
        )  # fmt: skip
    lesson = jw.lessons(period=jw.q2).first()
    for member in GroupMember.objects.filter(group=jw.klass):
        records.cell_save(
            actor=world.users["teacher"], lesson=lesson, student=member.student, text="Н 5"
        )
    client = client_for("director")

    # 12, and 1 of the network programmes' credited results (nobody takes a course elsewhere)
    with django_assert_num_queries(13):
        response = client.get(reverse("journal:class", args=[jw.klass.pk]))

    assert len(response.context["rows"]) == 5 + extra


# --- filling-completeness control ------------------------------------------------------------


def _fill(world, lesson, *, topic=True, homework=True, marks=True):
    teacher = world.users["teacher"]
    if topic:
        Lesson.objects.filter(pk=lesson.pk).update(topic="Дроби")
    if homework:
        Homework.objects.create(
            institution=lesson.institution, lesson=lesson, group=lesson.group,
            due_on=lesson.date + dt.timedelta(days=2), text="№ 1", is_late=False,
        )  # fmt: skip
    if marks:
        lesson.refresh_from_db()
        student = lesson.group.members.first().student
        records.cell_save(actor=teacher, lesson=lesson, student=student, text="5")


def test_completeness_counts_gaps_per_teacher_and_subject(client_for, world, jw):
    held = list(jw.lessons(period=jw.q2).filter(date__lte=today()))
    _fill(world, held[0])
    _fill(world, held[1], topic=False)
    _fill(world, held[2], homework=False, marks=False)
    Homework.objects.filter(lesson=held[0]).update(is_late=True)

    response = client_for("director").get(
        reverse("journal:completeness") + f"?institution={world.school.pk}"
    )

    row = next(r for r in response.context["summary"] if r["subject_id"] == jw.maths.pk)
    assert row["held"] == len(held)
    assert (row["no_topic"], row["no_homework"], row["no_marks"], row["late"]) == (
        len(held) - 2,
        len(held) - 2,
        len(held) - 2,
        1,
    )


def test_completeness_detail_links_to_the_lessons_to_fill(client_for, world, jw):
    held = list(jw.lessons(period=jw.q2).filter(date__lte=today()))
    _fill(world, held[0])
    key = f"{jw.klass.pk}-{jw.maths.pk}"

    response = client_for("teacher").get(
        reverse("journal:completeness") + f"?group={jw.klass.pk}&row={key}"
    )

    assert [lesson.pk for lesson in response.context["detail"]] == [h.pk for h in held[1:]]
    link = reverse("journal:lesson", args=[held[1].pk])
    assert f'href="{link}"'.encode() in response.content


def test_completeness_default_scope(client_for, world, jw):
    director = client_for("director").get(reverse("journal:completeness"))
    teacher = client_for("teacher").get(reverse("journal:completeness"))

    assert (director.context["institution"], director.context["group"]) == (world.school, None)
    assert teacher.context["group"] == jw.klass


@pytest.mark.parametrize(
    "query", ["institution=999999", "group=999999", "institution=abc", "row=999999-1"]
)
def test_completeness_bad_or_foreign_scope_is_404(client_for, world, jw, query):
    if query.startswith("row"):
        query = f"institution={world.school.pk}&{query}"

    response = client_for("director").get(reverse("journal:completeness") + "?" + query)

    assert response.status_code == 404


def test_completeness_other_institution_is_404(client_for, world, jw):
    response = client_for("director").get(
        reverse("journal:completeness") + f"?institution={world.other_school.pk}"
    )

    assert response.status_code == 404


def test_completeness_teacher_without_class_is_404(client_for, jw):
    assert client_for("other_teacher").get(reverse("journal:completeness")).status_code == 404


@pytest.mark.parametrize("extra", [0, 5], ids=["1 class", "6 classes"])
def test_completeness_query_budget(client_for, django_assert_num_queries, world, jw, extra):
    for i in range(extra):
        group = StudyGroup.objects.create(
            institution=world.school, year=jw.year, name=f"9{i}", grade=9, letter=str(i)
        )
        for lesson in jw.lessons(period=jw.q2)[:5]:
            Lesson.objects.create(
                institution=world.school, year=jw.year, period=jw.q2, group=group,
                subject=jw.maths, teacher=world.people["teacher"], date=lesson.date, number=1,
            )  # fmt: skip
    client = client_for("director")

    with django_assert_num_queries(8):
        response = client.get(reverse("journal:completeness") + f"?institution={world.school.pk}")

    assert len(response.context["summary"]) == 2 + extra
