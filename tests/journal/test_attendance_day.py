"""The daily attendance summary of a class and of a school: the rules of the figures, who may
open the pages, the choice of the day (bad dates and days outside the year give a friendly page,
never a 500), the links to the pages and the query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from setka.journal.models import Attendance, GroupMember, Lesson, StudyGroup
from setka.journal.reports import daily
from setka.journal.services import structure
from setka.network.models import Membership

from .. import factories as f
from ..clock import d, iso

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DAY = d(2026, 11, 23)  # a Monday of the 2nd quarter: maths is lesson 2


def day_url(group, day=None, raw=None):
    url = reverse("journal:attendance_day", args=[group.pk])
    value = raw if raw is not None else (day.isoformat() if day else None)
    return f"{url}?date={value}" if value is not None else url


def school_url(day=None, raw=None):
    url = reverse("journal:attendance_school", args=["school-3"])
    value = raw if raw is not None else (day.isoformat() if day else None)
    return f"{url}?date={value}" if value is not None else url


def _lesson(world, jw, group, subject, number, **extra):
    return Lesson.objects.create(
        institution=world.school, year=jw.year, period=jw.q2, group=group, subject=subject,
        teacher=world.people["teacher"], date=DAY, number=number, **extra,
    )  # fmt: skip


def _absent(lesson, student, code):
    Attendance.objects.create(
        institution_id=lesson.institution_id, lesson=lesson, student=student,
        group_id=lesson.group_id, date=lesson.date, code=code,
    )  # fmt: skip


@pytest.fixture
def monday(world, jw):
    """Monday: maths (2), PE (3) of the class; English (4) of a subgroup of two students; a
    cancelled lesson (5). s0 ill all day (Б, Б, Н), s1 misses maths and is late for PE, s2
    (not in the subgroup) excused all day, s3 present, s4 late for maths."""
    s = sorted(jw.students, key=lambda p: (p.surname, p.given_name))
    english = structure.subject_get_or_create(world.municipality, "Английский язык", "англ")
    sub = StudyGroup.objects.create(
        institution=world.school, year=jw.year, kind=StudyGroup.Kind.SUBGROUP,
        name="7Б англ-1", parent=jw.klass,
    )  # fmt: skip
    for student in s[:2]:
        GroupMember.objects.create(
            group=sub, student=student, home_institution=world.school, starts_on=jw.year.starts_on
        )
    maths = jw.lessons(period=jw.q2).get(date=DAY)
    pe = _lesson(world, jw, jw.klass, jw.pe, 3)
    eng = _lesson(world, jw, sub, english, 4)
    _lesson(world, jw, jw.klass, jw.pe, 5, status=Lesson.Status.CANCELLED)
    for lesson, code in ((maths, "Б"), (pe, "Б"), (eng, "Н")):
        _absent(lesson, s[0], code)
    _absent(maths, s[1], "Н")
    _absent(pe, s[1], "ОП")
    _absent(maths, s[2], "УП")
    _absent(pe, s[2], "УП")
    _absent(maths, s[4], "ОП")
    return {"students": s, "maths": maths, "pe": pe, "english": eng, "sub": sub}


# --- the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "reason"),
    [
        (["Б", "Б", "Н"], "Б"),
        (["Н", "Н", "Б"], "Н"),
        (["Н", "УП"], "УП"),  # a tie: УП before Н
        (["Н", "Б"], "Б"),  # a tie: Б first
        (["ОП"], ""),
        ([], ""),
    ],
)
def test_whole_day_reason_is_the_most_frequent_code(codes, reason):
    assert daily.whole_day_reason(codes) == reason


def test_class_day_counts_lessons_students_and_whole_days(jw, monday):
    s = monday["students"]

    summary = daily.class_day(jw.klass, DAY)

    assert [lesson.number for lesson in summary.lessons] == [2, 3, 4]  # the cancelled one is out
    assert [lesson.subgroup for lesson in summary.lessons] == [False, False, True]
    assert [(lesson.missed, lesson.late) for lesson in summary.lessons] == [(3, 1), (2, 1), (1, 0)]
    rows = {st.id: st for st in summary.students}
    assert [st.id for st in summary.students] == [p.pk for p in s]
    assert rows[s[0].pk].cells == ["Б", "Б", "Н"]
    assert (rows[s[0].pk].missed, rows[s[0].pk].reason) == (3, "Б")
    assert (rows[s[1].pk].missed, rows[s[1].pk].late, rows[s[1].pk].all_day) == (1, 1, False)
    assert rows[s[2].pk].cells == ["УП", "УП", None]  # English is not their lesson
    assert (rows[s[2].pk].lessons, rows[s[2].pk].reason) == (2, "УП")
    assert (rows[s[3].pk].missed, rows[s[3].pk].all_day) == (0, False)
    assert summary.codes == {"Н": 2, "Б": 2, "УП": 2, "ОП": 2}
    assert summary.students_by_code == {"Н": 2, "Б": 1, "УП": 1, "ОП": 2}
    assert [st.id for st in summary.absent_all_day] == [s[0].pk, s[2].pk]
    assert summary.missed == 6


def test_class_day_lists_only_the_members_of_the_day(world, jw, monday):
    s = monday["students"]
    GroupMember.objects.filter(group=jw.klass, student=s[3]).update(ends_on=DAY - dt.timedelta(1))
    newcomer = f.PersonFactory(municipality=world.municipality, surname="Новенький")
    GroupMember.objects.create(
        group=jw.klass, student=newcomer, home_institution=world.school,
        starts_on=DAY + dt.timedelta(days=1),
    )  # fmt: skip

    ids = [st.id for st in daily.class_day(jw.klass, DAY).students]

    assert s[3].pk not in ids
    assert newcomer.pk not in ids
    assert len(ids) == 4


def test_school_day_per_class_and_totals(world, jw, monday):
    other = StudyGroup.objects.create(institution=world.school, year=jw.year, name="8А", grade=8)
    GroupMember.objects.create(
        group=other, student=f.PersonFactory(municipality=world.municipality),
        home_institution=world.school, starts_on=jw.year.starts_on,
    )  # fmt: skip
    StudyGroup.objects.create(
        institution=world.school, year=jw.year, kind=StudyGroup.Kind.ELECTIVE, name="Шахматы"
    )

    classes, subgroups = daily.school_groups(jw.year.pk)
    summary = daily.school_day(classes, subgroups, DAY)

    assert [r.group.name for r in summary.rows] == ["7Б", "8А"]  # no subgroup, no elective
    klass, eighth = summary.rows
    assert (klass.students, klass.lessons, klass.all_day, klass.late) == (
        5, 3, {"Б": 1, "УП": 1, "Н": 0}, 2,
    )  # fmt: skip
    assert str(klass.present_share) == "60.0"
    assert (eighth.students, eighth.lessons, eighth.present_share) == (1, 0, None)
    t = summary.total
    assert (t.students, t.lessons, t.absent, t.late) == (6, 3, 2, 2)
    assert str(t.present_share) == "60.0"  # of the classes that had lessons


# --- the class page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("teacher", 200),  # the class teacher
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
def test_attendance_day_permissions(client_for, jw, role, status):
    assert client_for(role).get(day_url(jw.klass, DAY)).status_code == status


def test_attendance_day_anonymous_is_sent_to_sign_in(client, jw):
    response = client.get(day_url(jw.klass, DAY))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_attendance_day_teacher_of_the_class_who_is_not_its_class_teacher_gets_404(
    client, world, jw
):
    person = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)
    structure.assignment_create(
        actor=world.users["director"], group=jw.klass, subject=jw.maths, teacher=person
    )
    client.force_login(person.user)

    assert client.get(day_url(jw.klass, DAY)).status_code == 404


def test_attendance_day_of_a_subgroup_or_unknown_group_is_404(client_for, jw, monday):
    client = client_for("director")

    assert client.get(day_url(monday["sub"], DAY)).status_code == 404
    assert client.get(reverse("journal:attendance_day", args=[999999])).status_code == 404


def test_attendance_day_page_shows_the_day(client_for, jw, monday):
    s = monday["students"]

    response = client_for("teacher").get(day_url(jw.klass, DAY), **EN)

    assert response.status_code == 200
    assert response.context["summary"].codes == {"Н": 2, "Б": 2, "УП": 2, "ОП": 2}
    assert [t[2:] for t in response.context["totals"]] == [(2, 2), (2, 1), (2, 1), (2, 2)]
    html = response.content.decode()
    assert "Absent the whole day" in html
    assert f"{s[0].surname} {s[0].given_name} (Б)" in html
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    assert response.context["prev_url"].endswith(f"?date={iso(2026, 11, 22)}")
    assert response.context["next_url"].endswith(f"?date={iso(2026, 11, 24)}")


def test_attendance_day_class_teacher_gets_no_school_link(client_for, jw):
    assert client_for("teacher").get(day_url(jw.klass, DAY)).context["school_url"] == ""
    assert client_for("director").get(day_url(jw.klass, DAY)).context["school_url"] != ""


def test_attendance_day_defaults_to_today(client_for, jw):
    from setka.network.models import today

    response = client_for("teacher").get(day_url(jw.klass))

    assert response.context["day"] == today()


def test_attendance_day_accepts_a_typed_russian_date(client_for, jw):
    response = client_for("teacher").get(day_url(jw.klass, raw=DAY.strftime("%d.%m.%Y")))

    assert (response.status_code, response.context["day"]) == (200, DAY)


@pytest.mark.parametrize("raw", ["abc", "2026-02-30", "2026-13-01", "99999-01-01", "23/11/2026"])
def test_attendance_day_bad_date_is_a_friendly_400(client_for, jw, raw):
    response = client_for("teacher").get(day_url(jw.klass, raw=raw), **EN)

    assert response.status_code == 400
    assert "is not a date" in response.content.decode()
    assert "summary" not in response.context


def test_attendance_day_outside_the_year_is_a_friendly_page(client_for, jw):
    response = client_for("teacher").get(day_url(jw.klass, d(2027, 7, 1)), **EN)

    assert response.status_code == 200
    assert "outside the school year" in response.content.decode()
    assert "summary" not in response.context
    assert "next_url" not in response.context


def test_attendance_day_at_the_year_edges_has_no_link_out_of_the_year(client_for, jw):
    first = client_for("teacher").get(day_url(jw.klass, jw.year.starts_on))
    last = client_for("teacher").get(day_url(jw.klass, jw.year.ends_on))

    assert ("prev_url" in first.context, "next_url" in first.context) == (False, True)
    assert ("prev_url" in last.context, "next_url" in last.context) == (True, False)


def test_attendance_day_without_lessons_says_so(client_for, jw):
    response = client_for("teacher").get(day_url(jw.klass, d(2026, 11, 22)), **EN)  # Sunday

    assert response.status_code == 200
    assert "The class has no lessons on this day." in response.content.decode()


@pytest.mark.parametrize("extra", [0, 25], ids=["5 students", "30 students"])
def test_attendance_day_query_budget(client_for, django_assert_num_queries, world, jw, extra):
    maths = jw.lessons(period=jw.q2).get(date=DAY)
    for i in range(extra):
        person = f.PersonFactory(municipality=world.municipality, surname=f"Доп{i:02}")
        GroupMember.objects.create(
            group=jw.klass, student=person, home_institution=world.school,
            starts_on=jw.year.starts_on,
        )  # fmt: skip
    for member in GroupMember.objects.filter(group=jw.klass):
        _absent(maths, member.student, "Н")
    client = client_for("director")

    # session, user, class, roles, subgroups, members, lessons, attendance, the signed-in person
    with django_assert_num_queries(9):
        response = client.get(day_url(jw.klass, DAY))

    assert len(response.context["summary"].students) == 5 + extra


# --- the school page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("director", 200),
        ("admin", 200),
        ("teacher", 404),  # a class teacher sees their class, not the school
        ("metodist", 404),
        ("student", 404),
        ("parent", 404),
        ("partner", 404),
        ("other_teacher", 404),
        ("other_parent", 404),
    ],
)
def test_attendance_school_permissions(client_for, jw, role, status):
    assert client_for(role).get(school_url(DAY)).status_code == status


def test_attendance_school_unknown_school_is_404(client_for, jw):
    url = reverse("journal:attendance_school", args=["no-such-school"])

    assert client_for("admin").get(url).status_code == 404


def test_attendance_school_page_shows_the_classes(client_for, jw, monday):
    response = client_for("director").get(school_url(DAY), **EN)

    assert response.status_code == 200
    (row,) = response.context["summary"].rows
    assert (row.students, row.absent, row.late) == (5, 2, 2)
    html = response.content.decode()
    assert day_url(jw.klass, DAY).replace("&", "&amp;") in html
    assert "60,0 %" in html or "60.0 %" in html


@pytest.mark.parametrize("raw", ["abc", "2026-02-30"])
def test_attendance_school_bad_date_is_a_friendly_400(client_for, jw, raw):
    response = client_for("director").get(school_url(raw=raw), **EN)

    assert response.status_code == 400
    assert "is not a date" in response.content.decode()


def test_attendance_school_day_without_a_year_is_a_friendly_page(client_for, jw):
    response = client_for("director").get(school_url(d(2025, 1, 15)), **EN)

    assert response.status_code == 200
    assert "no school year on this day" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 6], ids=["1 class", "7 classes"])
def test_attendance_school_query_budget(client_for, django_assert_num_queries, world, jw, extra):
    for i in range(extra):
        group = StudyGroup.objects.create(
            institution=world.school, year=jw.year, name=f"9{i}", grade=9, letter=str(i)
        )
        sub = StudyGroup.objects.create(
            institution=world.school, year=jw.year, kind=StudyGroup.Kind.SUBGROUP,
            name=f"9{i}-1", parent=group,
        )  # fmt: skip
        person = f.PersonFactory(municipality=world.municipality)
        for g in (group, sub):
            GroupMember.objects.create(
                group=g, student=person, home_institution=world.school, starts_on=jw.year.starts_on
            )
        _absent(_lesson(world, jw, sub, jw.maths, 1), person, "Б")
    client = client_for("director")

    # session, user, school, roles, year, groups, members, lessons, attendance, signed-in person
    with django_assert_num_queries(10):
        response = client.get(school_url(DAY))

    assert len(response.context["summary"].rows) == 1 + extra


# --- the links to the pages ----------------------------------------------------------------------


def test_attendance_links_from_my_journals_class_view_and_admin_home(client_for, jw):
    day_link = reverse("journal:attendance_day", args=[jw.klass.pk])
    school_link = reverse("journal:attendance_school", args=["school-3"])

    my_journals = client_for("teacher").get(reverse("journal:index")).content.decode()
    class_view = client_for("director").get(reverse("journal:class", args=[jw.klass.pk]))
    admin_home = client_for("director").get(reverse("home")).content.decode()

    assert day_link in my_journals
    assert day_link in class_view.content.decode()
    assert school_link in admin_home
