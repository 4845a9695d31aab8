"""The diary of a student: who may open it, what a week shows (lessons of the class, a subgroup
and a network group at the ДДТ, homework, marks, attendance, cancelled and substituted
lessons), week navigation, bad parameters, the query budget, the summary and the parent's
e-mail digest setting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from setka.core.models import AuditEntry
from setka.journal.diary import diary_summary, diary_week, parse_week, week_start
from setka.journal.models import (
    HomeworkAttachment,
    Lesson,
    MarkKind,
    StudyGroup,
    Subject,
)
from setka.journal.services import homework, records, structure, timetable
from setka.journal.services.digest import DIGEST_KINDS
from setka.network.models import Membership
from setka.notifications.models import DigestSchedule, Preference

from .. import factories as f
from ..clock import at, d, iso

# The budget for the diary week is 8 queries, the session's included; a session kept
# in the cache (cached_db) reads none.
WEEK_BUDGET = 8 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 7
WEEK = d(2026, 11, 23)  # Monday; today is Thursday 2026-11-26
MON, TUE, WED, THU, FRI = (WEEK + dt.timedelta(days=i) for i in range(5))


@dataclass
class DiaryWorld:
    jw: object
    english: Subject
    subgroup: StudyGroup
    robotics: Subject
    network_group: StudyGroup
    second_child: object
    substitute: object

    def lesson(self, subject, day, group=None) -> Lesson:
        group = group or self.jw.klass
        return Lesson.objects.get(group=group, subject=subject, date=day)


def kind(world, short: str) -> MarkKind:
    return MarkKind.objects.get(institution=world.school, short_name=short)


@pytest.fixture
def dw(world, jw) -> DiaryWorld:
    director = world.users["director"]
    teacher = world.people["teacher"]
    for number, (start, end) in enumerate(
        [("08:00", "08:40"), ("08:50", "09:30"), ("09:45", "10:25"), ("10:40", "11:20")], start=1
    ):
        structure.bell_set(
            actor=director,
            year=jw.year,
            number=number,
            starts_at=dt.time.fromisoformat(start),
            ends_at=dt.time.fromisoformat(end),
        )
    # An English subgroup of 7Б (Tuesday, 4th lesson) with the world's student in it.
    english = structure.subject_get_or_create(world.municipality, "Английский язык", "англ")
    subgroup = structure.group_create(
        actor=director,
        year=jw.year,
        name="7Б англ. 1",
        kind=StudyGroup.Kind.SUBGROUP,
        parent=jw.klass,
    )
    structure.group_member_add(
        actor=director, group=subgroup, student=world.people["student"], starts_on=jw.year.starts_on
    )
    structure.assignment_create(actor=director, group=subgroup, subject=english, teacher=teacher)
    structure.timetable_entry_create(
        actor=director,
        group=subgroup,
        subject=english,
        teacher=teacher,
        weekday=2,
        number=4,
        room="14",
    )
    timetable.generate_lessons(jw.year, groups=[subgroup])

    # A network group at the ДДТ (Thursday, 7th lesson) taught by the partner.
    ddt_head = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(
        person=ddt_head, institution=world.ddt, role=Membership.Role.INSTITUTION_ADMIN
    )
    ddt_year = timetable.year_create(
        actor=ddt_head.user,
        institution=world.ddt,
        name="2026/2027",
        starts_on=d(2026, 9, 1),
        ends_on=d(2027, 5, 31),
        periods=[
            (d(2026, 9, 1), d(2026, 12, 28)),
            (d(2027, 1, 12), d(2027, 5, 31)),
        ],
        period_scheme="semesters",
    )
    structure.mark_kinds_ensure(world.ddt)
    robotics = structure.subject_get_or_create(world.municipality, "Робототехника", "робот")
    network_group = structure.group_create(
        actor=ddt_head.user, year=ddt_year, name="Роботы-1", kind=StudyGroup.Kind.NETWORK
    )
    structure.group_member_add(
        actor=ddt_head.user,
        group=network_group,
        student=world.people["student"],
        starts_on=ddt_year.starts_on,
    )
    structure.assignment_create(
        actor=ddt_head.user, group=network_group, subject=robotics, teacher=world.people["partner"]
    )
    structure.timetable_entry_create(
        actor=ddt_head.user,
        group=network_group,
        subject=robotics,
        teacher=world.people["partner"],
        weekday=4,
        number=7,
        room="ДДТ-5",
    )
    timetable.generate_lessons(ddt_year)

    # The parent's second child: 5А at school №3, Russian on Mondays.
    second = f.PersonFactory(
        municipality=world.municipality,
        surname="Ученикова",
        given_name="Алина",
        birth_date=dt.date(2015, 3, 1),
    )
    f.MembershipFactory(person=second, institution=world.school, role=Membership.Role.STUDENT)
    f.GuardianshipFactory(guardian=world.people["parent"], student=second)
    russian = structure.subject_get_or_create(world.municipality, "Русский язык", "рус")
    klass5 = structure.group_create(actor=director, year=jw.year, name="5А", grade=5, letter="А")
    structure.group_member_add(
        actor=director, group=klass5, student=second, starts_on=jw.year.starts_on
    )
    structure.assignment_create(actor=director, group=klass5, subject=russian, teacher=teacher)
    structure.timetable_entry_create(
        actor=director, group=klass5, subject=russian, teacher=teacher, weekday=1, number=1
    )
    timetable.generate_lessons(jw.year, groups=[klass5])

    substitute = f.PersonFactory(
        municipality=world.municipality,
        surname="Заменова",
        given_name="Ирина",
        patronymic="Петровна",
    )
    f.MembershipFactory(person=substitute, institution=world.school, role=Membership.Role.TEACHER)
    return DiaryWorld(
        jw=jw,
        english=english,
        subgroup=subgroup,
        robotics=robotics,
        network_group=network_group,
        second_child=second,
        substitute=substitute,
    )


@pytest.fixture
def filled(dw, world):
    """The week of 23 November filled: marks with kinds, attendance, homework with a link and
    an attachment, a topic, a cancelled and a substituted lesson."""
    teacher, director = world.users["teacher"], world.users["director"]
    student = world.people["student"]
    jw = dw.jw
    monday = dw.lesson(jw.maths, MON)
    timetable.lesson_set_topic(actor=teacher, lesson=monday, topic="Линейные уравнения")
    records.mark_create(
        actor=teacher, lesson=monday, student=student, value=5, kind=kind(world, "кр")
    )
    records.mark_create(
        actor=teacher, lesson=monday, student=student, value=4, kind=kind(world, "отв")
    )
    records.mark_create(actor=teacher, lesson=dw.lesson(jw.pe, TUE), student=student, passed=True)
    hw, _warnings = homework.homework_set(
        actor=teacher,
        lesson=monday,
        text="№ 101, 102",
        minutes=30,
        links="https://example.org/task",
    )
    HomeworkAttachment.objects.create(
        homework=hw, name="Карточка.pdf", size=3, file=ContentFile(b"pdf", name="card.pdf")
    )
    wednesday = dw.lesson(jw.maths, WED)
    timetable.lesson_substitute(actor=director, lesson=wednesday, substitute=dw.substitute)
    records.attendance_set(actor=teacher, lesson=wednesday, student=student, code="Н")
    timetable.lesson_cancel(actor=director, lesson=dw.lesson(jw.maths, FRI), reason="Карантин")
    records.mark_create(
        actor=world.users["partner"],
        lesson=dw.lesson(dw.robotics, THU, dw.network_group),
        student=student,
        value=5,
    )
    return dw


def diary_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("journal:diary") + (f"?{query}" if query else "")


# --- who may open it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "whose", "expected"),
    [
        ("student", None, 200),
        ("student", "student", 200),
        ("parent", None, 200),
        ("parent", "student", 200),
        ("classmate", "student", 404),
        ("other_parent", "student", 404),
        ("other_parent", None, 200),  # their own child
        ("teacher", None, 404),
        ("teacher", "student", 404),
        ("director", "student", 404),
        ("admin", "student", 404),
        ("metodist", None, 404),
        ("partner", "student", 404),
        ("anonymous", None, 302),
    ],
)
def test_diary_access_by_role(client, world, dw, role, whose, expected):
    if role == "classmate":
        classmate = dw.jw.students[1]
        classmate.user = f.UserFactory(username="classmate")
        classmate.save()
        client.force_login(classmate.user)
    elif role != "anonymous":
        client.force_login(world.users[role])
    params = {"week": WEEK.isoformat()}
    if whose:
        params["student"] = world.people[whose].pk

    response = client.get(diary_url(**params))

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", ["journal:diary", "journal:diary_summary"])
def test_diary_parent_of_another_child_gets_404(client_for, world, dw, page):
    client = client_for("other_parent")

    response = client.get(reverse(page), {"student": world.people["student"].pk})

    assert response.status_code == 404


def test_diary_parent_sees_first_child_by_default_and_switcher_lists_both(client_for, world, dw):
    response = client_for("parent").get(diary_url(week=WEEK.isoformat()))

    assert response.status_code == 200
    assert response.context["student"] == world.people["student"]  # the elder child first
    switch = [person for person, _url in response.context["switch_urls"]]
    assert switch == [world.people["student"], dw.second_child]


def test_diary_parent_switches_to_second_child(client_for, world, dw):
    response = client_for("parent").get(
        diary_url(student=dw.second_child.pk, week=WEEK.isoformat())
    )

    assert response.status_code == 200
    assert response.context["student"] == dw.second_child
    monday = response.context["week"].days[0]
    assert [ls.subject for ls in monday.lessons] == ["Русский язык"]


def test_diary_student_does_not_get_a_switcher(client_for, world, dw):
    response = client_for("student").get(diary_url(week=WEEK.isoformat()))

    assert response.status_code == 200
    assert len(response.context["switch_urls"]) == 1
    assert b"diary-children" not in response.content


# --- the week -------------------------------------------------------------------------------


def test_diary_week_has_lessons_of_class_subgroup_and_network_group(world, filled):
    week = diary_week(world.people["student"].pk, WEEK)

    by_day = {d.date: [(ls.number, ls.subject) for ls in d.lessons] for d in week.days}
    assert by_day == {
        MON: [(2, "Математика")],
        TUE: [(3, "Физическая культура"), (4, "Английский язык")],
        WED: [(2, "Математика")],
        THU: [(7, "Робототехника")],
        FRI: [(2, "Математика")],
        WEEK + dt.timedelta(days=5): [],
    }
    thursday = week.days[3].lessons[0]
    assert (thursday.institution, thursday.room, thursday.group_kind) == ("ДДТ", "ДДТ-5", "network")
    assert thursday.teacher == "Партнёров И.С."
    assert [m.text for m in thursday.marks] == ["5"]


def test_diary_week_shows_times_topic_marks_with_kinds_and_homework(world, filled):
    week = diary_week(world.people["student"].pk, WEEK)

    monday = week.days[0].lessons[0]
    assert (monday.starts_at, monday.ends_at) == (dt.time(8, 50), dt.time(9, 30))
    assert (monday.room, monday.topic, monday.teacher) == (
        "21",
        "Линейные уравнения",
        "Учителева М.С.",
    )
    assert [(m.text, m.kind_short, m.weight) for m in monday.marks] == [
        ("5", "кр", 3),
        ("4", "отв", 1),
    ]
    assert monday.homework == []  # given on Monday, due on Wednesday
    wednesday = week.days[2]
    assert wednesday.homework_minutes == 30
    [hw] = wednesday.lessons[0].homework
    assert (hw.text, hw.minutes, hw.links) == ("№ 101, 102", 30, ["https://example.org/task"])
    assert [name for name, _url in hw.attachments] == ["Карточка.pdf"]
    tuesday_pe = week.days[1].lessons[0]
    assert [m.text for m in tuesday_pe.marks] == ["зач"]


def test_diary_week_shows_attendance_substitute_and_cancelled_lesson(world, filled):
    week = diary_week(world.people["student"].pk, WEEK)

    wednesday = week.days[2].lessons[0]
    assert (wednesday.attendance, wednesday.substitute) == ("Н", "Заменова И.П.")
    friday = week.days[4].lessons[0]
    assert friday.is_cancelled is True
    assert week.days[0].lessons[0].is_cancelled is False


def test_diary_week_hides_lessons_before_joining_a_group(world, dw):
    member = dw.network_group.members.get()
    member.starts_on = FRI
    member.save()

    week = diary_week(world.people["student"].pk, WEEK)

    assert [ls.subject for ls in week.days[3].lessons] == []


def test_diary_page_renders_the_week(client_for, world, filled):
    response = client_for("parent").get(diary_url(week=WEEK.isoformat()), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Линейные уравнения" in html
    assert "https://example.org/task" in html
    assert "Заменова И.П." in html
    assert 'class="badge bad">cancelled<' in html
    assert 'title="Контрольная работа, weight 3"' in html
    assert "ДДТ" in html
    assert "style=" not in html
    assert "<script>" not in html


# --- navigation and bad input ---------------------------------------------------------------


def test_diary_week_parameter_moves_to_the_monday_of_that_week(client_for, world, dw):
    response = client_for("student").get(diary_url(week=iso(2026, 11, 19)))

    assert response.status_code == 200
    week = response.context["week"]
    assert week.monday == d(2026, 11, 16)
    assert f"week={iso(2026, 11, 9)}" in response.context["previous_url"]
    assert f"week={iso(2026, 11, 23)}" in response.context["next_url"]


@pytest.mark.parametrize("value", ["garbage", "2026-13-45", "", "0001-01-01", "99999-01-01", "%00"])
def test_diary_bad_week_shows_the_current_week(client_for, world, dw, value):
    response = client_for("student").get(reverse("journal:diary"), {"week": value})

    assert response.status_code == 200
    assert response.context["week"].monday == week_start(timezone.localdate())


@pytest.mark.parametrize("value", ["abc", "999999999", "-1", "1.5", "１"])
def test_diary_bad_student_is_404(client_for, world, dw, value):
    response = client_for("parent").get(reverse("journal:diary"), {"student": value})

    assert response.status_code == 404


def test_parse_week_reads_any_day_and_falls_back_to_today():
    today = d(2026, 11, 26)

    assert parse_week(iso(2026, 11, 28), today) == d(2026, 11, 23)
    assert parse_week(iso(2026, 11, 29), today) == d(2026, 11, 23)  # Sunday
    assert parse_week(None, today) == d(2026, 11, 23)
    assert parse_week("yesterday", today) == d(2026, 11, 23)


# --- the query budget -----------------------------------------------------------------------


def _fill_many(dw, world):
    """Marks and attendance at every lesson of the week (entered on Friday evening: a lesson
    takes its marks from its day on), homework due every day."""
    teacher = world.users["teacher"]
    student = world.people["student"]
    jw = dw.jw
    with time_machine.travel(at(FRI, 18), tick=False):
        for lesson in Lesson.objects.filter(
            group__in=[jw.klass, dw.subgroup], date__gte=MON, date__lte=FRI
        ).exclude(subject=jw.pe):
            for value in (5, 4, 3):
                records.mark_create(
                    actor=teacher, lesson=lesson, student=student, value=value,
                    kind=kind(world, "ср"),
                )  # fmt: skip
            records.attendance_set(actor=teacher, lesson=lesson, student=student, code="ОП")
    for lesson in Lesson.objects.filter(
        group=jw.klass, subject=jw.maths, date__gte=d(2026, 11, 16), date__lte=THU
    ):
        hw, _ = homework.homework_set(
            actor=teacher,
            lesson=lesson,
            text="Задача",
            minutes=20,
            links="https://example.org/a\nhttps://example.org/b",
        )
        for i in range(2):
            HomeworkAttachment.objects.create(
                homework=hw, name=f"f{i}.pdf", file=ContentFile(b"x", name=f"f{i}.pdf")
            )


@pytest.mark.parametrize("size", ["light", "full"])
def test_diary_week_query_budget(client_for, world, dw, size, django_assert_num_queries):
    student = world.people["student"]
    teacher = world.users["teacher"]
    if size == "light":
        records.mark_create(
            actor=teacher, lesson=dw.lesson(dw.jw.maths, MON), student=student, value=5
        )
    else:
        _fill_many(dw, world)
    client = client_for("parent")
    url = diary_url(student=student.pk, week=WEEK.isoformat())

    with django_assert_num_queries(WEEK_BUDGET):  # (session,) user, roles, people, 4 of the week
        response = client.get(url)

    assert response.status_code == 200
    marks = sum(len(ls.marks) for d in response.context["week"].days for ls in d.lessons)
    assert marks == (1 if size == "light" else 3 * 4)


@pytest.mark.parametrize("size", ["light", "full"])
def test_diary_summary_query_budget(client_for, world, dw, size, django_assert_num_queries):
    student = world.people["student"]
    if size == "light":
        records.mark_create(
            actor=world.users["teacher"],
            lesson=dw.lesson(dw.jw.maths, MON),
            student=student,
            value=5,
        )
    else:
        _fill_many(dw, world)
    client = client_for("student")

    # … and 6 of the summary (5, and the network programmes' credited results)
    with django_assert_num_queries(WEEK_BUDGET + 2):
        response = client.get(reverse("journal:diary_summary"))

    assert response.status_code == 200


# --- the summary ----------------------------------------------------------------------------


def test_diary_summary_has_weighted_average_period_marks_and_attendance(world, filled):
    jw = filled.jw
    student = world.people["student"]
    records.period_mark_set(
        actor=world.users["teacher"],
        group=jw.klass,
        subject=jw.maths,
        student=student,
        period=jw.q1,
        value=4,
    )

    summary = diary_summary(student.pk, d(2026, 11, 26))

    school = next(y for y in summary.years if y.institution == "Школа № 3")
    assert school.current == next(p for p in school.periods if p.id == jw.q2.pk)
    maths = school.subjects[jw.maths.pk]
    assert maths.average == pytest.approx(4.75)  # (5×3 + 4×1) / 4
    assert maths.count == 2
    assert maths.suggested is None  # fewer than the year's three marks
    assert maths.period_marks == {jw.q1.pk: "4"}
    assert maths.absences == 1
    assert school.attendance_period == {"Н": 1}
    assert {s.name for s in school.subject_list} == {
        "Математика",
        "Физическая культура",
        "Английский язык",
    }
    ddt = next(y for y in summary.years if y.institution == "ДДТ")
    assert ddt.subjects[filled.robotics.pk].average == 5


def test_diary_summary_page_renders(client_for, world, filled):
    response = client_for("parent").get(
        reverse("journal:diary_summary"), {"student": world.people["student"].pk}
    )

    assert response.status_code == 200
    assert "4,75" in response.content.decode() or "4.75" in response.content.decode()


def test_diary_summary_of_a_child_without_groups_is_empty(client_for, world, dw):
    lonely = f.PersonFactory(municipality=world.municipality, birth_date=dt.date(2018, 1, 1))
    f.GuardianshipFactory(guardian=world.people["parent"], student=lonely)

    response = client_for("parent").get(reverse("journal:diary_summary"), {"student": lonely.pk})

    assert response.status_code == 200
    assert response.context["summary"].years == []


# --- the digest setting ---------------------------------------------------------------------


def test_diary_digest_setting_saved_for_the_parent(client_for, world, dw):
    client = client_for("parent")

    response = client.post(
        reverse("journal:diary_digest"),
        {"frequency": "weekly", "student": world.people["student"].pk, "week": WEEK.isoformat()},
    )

    assert response.status_code == 302
    assert f"week={WEEK.isoformat()}" in response["Location"]
    parent = world.people["parent"]
    assert DigestSchedule.objects.get(person=parent).frequency == "weekly"
    assert dict(Preference.objects.filter(person=parent).values_list("kind", "channel")) == (
        dict.fromkeys(DIGEST_KINDS, "digest")
    )
    assert AuditEntry.objects.filter(action="journal.digest.set").count() == 1
    page = client.get(response["Location"])
    assert page.context["digest_form"].initial == {"frequency": "weekly"}


def test_diary_digest_bad_value_is_400_and_writes_nothing(client_for, world, dw):
    response = client_for("parent").post(
        reverse("journal:diary_digest"),
        {"frequency": "hourly", "student": world.people["student"].pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "Choose how often to send the summary." in response.content.decode()
    assert Preference.objects.count() == DigestSchedule.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "expected"), [("student", 404), ("teacher", 404), ("anonymous", 302)]
)
def test_diary_digest_only_for_parents(client_for, world, dw, role, expected):
    response = client_for(role).post(reverse("journal:diary_digest"), {"frequency": "daily"})

    assert response.status_code == expected
    assert Preference.objects.count() == DigestSchedule.objects.count() == 0


def test_diary_digest_get_not_allowed(client_for, world, dw):
    response = client_for("parent").get(reverse("journal:diary_digest"))

    assert response.status_code == 405


def test_diary_digest_form_not_shown_to_students(client_for, world, dw):
    response = client_for("student").get(diary_url(week=WEEK.isoformat()))

    assert response.context["digest_form"] is None


# --- the home page and the menu -------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [("student", True), ("parent", True), ("teacher", False), ("director", False)],
)
def test_diary_menu_item_for_students_and_parents(client_for, world, dw, role, shown):
    response = client_for(role).get(reverse("home"))

    urls = [item.url for item in response.context["setka_nav"]]
    assert (reverse("journal:diary") in urls) is shown


def test_home_links_to_each_childs_diary(client_for, world, dw):
    response = client_for("parent").get(reverse("home"))

    html = response.content.decode()
    for child in (world.people["student"], dw.second_child):
        assert f"{reverse('journal:diary')}?student={child.pk}" in html
