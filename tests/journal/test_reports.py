"""Reports: успеваемость, качество, averages and attendance on a small hand-made data set, the
permission matrix, query budgets, the charts and the XLSX of each report.

The data set (2nd quarter, 5–26 Nov 2026, "today" = 13 Nov) — school №3, class 7Б:

    student   maths (marks → result)        Russian           PE            worst
    s0        5 5 4 → avg 4.67 → 5          4 4 4 → 4         зачёт         4: good
    s1        4, 3(кр ×3) → PERIOD MARK 4   5 5 5 → 5         —             4: good
    s2        2 3 3 → avg 2.67 → 3          5 5 4 → 4.67 → 5  —             3: passing
    s3        2 2 3 → 2.33 → 2 (+ deleted 5, q1 5)   —        —             2: failing
    s4        —                              —                незачёт       нз: failing

→ 7Б: 5 students with results, 3 passing (60.0 %), 2 good (40.0 %).
Maths: 4 results, passing 3 (75.0 %), good 2 (50.0 %); weighted average
    (5+5+4 + 4+3·3 + 2+3+3 + 2+2+3) / (3 + 4 + 3 + 3) = 42 / 13 = 3.23.
Russian: 3 results, 100 %, 100 %, average 41 / 9 = 4.56.  PE: 1 result (нз), 0 %.
All marks: 83 / 22 = 3.77. Distribution of results: «2» 2 (maths 2, PE нз), «3» 1, «4» 2, «5» 3.

Attendance up to 13 Nov: lessons held 6, 9, 11, 13 Nov (maths), 10 Nov (PE), 12 Nov ×3
(Russian) = 8 lessons × 5 students = 40 seats; Н 1 (s0), Б 2 (s3), УП 1 (s4), ОП 1 (s2)
→ missed 4, per student 0.8, share 10.0 %.

Class 8А (same school): one student, maths 5 5 5 → good. School: 6 students, 4 passing
(66.7 %), 3 good (50.0 %). School №5 (7А): one student, maths 2 2 2 → failing. Municipality:
7 students, 4 passing (57.1 %), 3 good (42.9 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from setka.journal import reports
from setka.journal.averages import suggest_mark, weighted_average
from setka.journal.models import (
    AcademicYear,
    Attendance,
    GroupMember,
    Lesson,
    Mark,
    MarkKind,
    Period,
    PeriodMark,
    StudyGroup,
    Subject,
)
from setka.journal.services import structure
from setka.network.models import Institution, Membership

from .. import factories as f
from ..clock import d
from .conftest import QUARTERS

pytestmark = pytest.mark.django_db

ON = d(2026, 11, 13)


@dataclass
class ReportData:
    jw: object
    russian: Subject
    klass8: StudyGroup
    other_class: StudyGroup
    other_year: AcademicYear
    s: list


def _lesson(group, subject, teacher, *, period, day, number=1):
    return Lesson.objects.create(
        institution_id=group.institution_id,
        year_id=group.year_id,
        period=period,
        group=group,
        subject=subject,
        teacher=teacher,
        date=day,
        number=number,
    )


def _mark(lesson, student, value=None, *, passed=None, kind, deleted=False):
    return Mark.objects.create(
        institution_id=lesson.institution_id,
        lesson=lesson,
        student=student,
        group_id=lesson.group_id,
        subject_id=lesson.subject_id,
        date=lesson.date,
        value=value,
        passed=passed,
        kind=kind,
        is_deleted=deleted,
    )


def _absence(lesson, student, code):
    return Attendance.objects.create(
        institution_id=lesson.institution_id,
        lesson=lesson,
        student=student,
        group_id=lesson.group_id,
        date=lesson.date,
        code=code,
    )


def _period_mark(group, subject, student, period, **values):
    return PeriodMark.objects.create(
        institution_id=group.institution_id,
        group=group,
        subject=subject,
        student=student,
        period=period,
        **values,
    )


def _school_with_class(world, institution, name, grade, students):
    """A year like the jw one at ``institution`` with one class and its students (ORM only)."""
    year = AcademicYear.objects.filter(institution=institution).first()
    if year is None:
        year = AcademicYear.objects.create(
            institution=institution,
            name="2026/2027",
            starts_on=QUARTERS[0][0],
            ends_on=QUARTERS[-1][1],
        )
        for n, (starts, ends) in enumerate(QUARTERS, start=1):
            Period.objects.create(
                year=year, number=n, name=f"{n} четверть", starts_on=starts, ends_on=ends
            )
    group = StudyGroup.objects.create(
        institution=institution, year=year, name=name, grade=grade, letter=name[-1]
    )
    GroupMember.objects.bulk_create(
        GroupMember(group=group, student=s, home_institution=institution, starts_on=year.starts_on)
        for s in students
    )
    return year, group


def build_report_data(world, jw) -> ReportData:
    """The data set of the module docstring."""
    teacher = world.people["teacher"]
    s = jw.students
    answer = MarkKind.objects.get(institution=world.school, name="Ответ на уроке")
    test = MarkKind.objects.get(institution=world.school, name="Контрольная работа")
    maths = list(jw.lessons(period=jw.q2)[:4])
    assert [x.date for x in maths] == [d(2026, 11, n) for n in (6, 9, 11, 13)]
    for student, values in ((s[0], (5, 5, 4)), (s[2], (2, 3, 3)), (s[3], (2, 2, 3))):
        for lesson, value in zip(maths, values, strict=False):
            _mark(lesson, student, value, kind=answer)
    _mark(maths[0], s[1], 4, kind=answer)
    _mark(maths[1], s[1], 3, kind=test)
    _period_mark(jw.klass, jw.maths, s[1], jw.q2, value=4)
    _mark(maths[3], s[3], 5, kind=answer, deleted=True)
    _mark(jw.lessons(period=jw.q1).first(), s[3], 5, kind=answer)
    russian = structure.subject_get_or_create(world.municipality, "Русский язык", "рус")
    day = d(2026, 11, 12)
    rus = [_lesson(jw.klass, russian, teacher, period=jw.q2, day=day, number=n) for n in (1, 2, 3)]
    for student, values in ((s[0], (4, 4, 4)), (s[1], (5, 5, 5)), (s[2], (5, 5, 4))):
        for lesson, value in zip(rus, values, strict=True):
            _mark(lesson, student, value, kind=answer)
    _period_mark(jw.klass, jw.pe, s[0], jw.q2, passed=True)
    _period_mark(jw.klass, jw.pe, s[4], jw.q2, passed=False)
    pe = jw.lessons(subject=jw.pe, period=jw.q2).first()
    assert pe.date == d(2026, 11, 10)
    _absence(maths[0], s[0], "Н")
    _absence(maths[1], s[3], "Б")
    _absence(maths[2], s[3], "Б")
    _absence(pe, s[4], "УП")
    _absence(maths[3], s[2], "ОП")
    _absence(maths[2], s[1], "")  # cleared: not an absence
    # 8А at the same school: one student with 5 5 5 in maths.
    pupil8 = f.PersonFactory(municipality=world.municipality, surname="Восьмов", given_name="Ян")
    _, klass8 = _school_with_class(world, world.school, "8А", 8, [pupil8])
    for n, dd in enumerate((6, 9, 11), start=1):
        day = d(2026, 11, dd)
        lesson = _lesson(klass8, jw.maths, teacher, period=jw.q2, day=day, number=n)
        _mark(lesson, pupil8, 5, kind=answer)
    # School №5: 7А with the world's other student, 2 2 2 in maths.
    other_student = world.people["other_student"]
    other_year, other_class = _school_with_class(
        world, world.other_school, "7А", 7, [other_student]
    )
    other_kind = MarkKind.objects.create(
        institution=world.other_school, name="Ответ", short_name="о"
    )
    other_q2 = other_year.periods.get(number=2)
    for n, day in enumerate((6, 9, 11), start=1):
        lesson = _lesson(
            other_class,
            jw.maths,
            world.people["other_teacher"],
            period=other_q2,
            day=d(2026, 11, day),
            number=n,
        )
        _mark(lesson, other_student, 2, kind=other_kind)
    return ReportData(jw, russian, klass8, other_class, other_year, s)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The municipal report is cached by municipality id, and ids repeat between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rd(world, jw, monkeypatch) -> ReportData:
    monkeypatch.setattr(reports, "today", lambda: ON)
    return build_report_data(world, jw)


def _by_name(lines, name):
    return next(x for x in lines if x.name == name)


# --- correctness ----------------------------------------------------------------------------


def test_class_report_computes_results_rates_and_attendance(rd):
    jw = rd.jw

    report = reports.class_report(jw.klass, reports.window_for(jw.year, jw.q2, jw.klass))

    results = {
        (st.id, line.name): (cell.text, cell.is_period_mark)
        for st in report.students
        for line, cell in zip(report.subjects, st.row, strict=True)
        if cell is not None and cell.r is not None
    }
    s = rd.s
    assert results == {
        (s[0].pk, "Математика"): ("5", False),
        (s[1].pk, "Математика"): ("4", True),
        (s[2].pk, "Математика"): ("3", False),
        (s[3].pk, "Математика"): ("2", False),
        (s[0].pk, "Русский язык"): ("4", False),
        (s[1].pk, "Русский язык"): ("5", False),
        (s[2].pk, "Русский язык"): ("5", False),
        (s[4].pk, "Физическая культура"): ("нз", True),
    }
    status = {st.id: st.status for st in report.students}
    assert [status[x.pk] for x in s] == ["good", "good", "passing", "failing", "failing"]
    total = report.total
    assert (total.students, total.passing, total.good) == (5, 3, 2)
    assert (total.success, total.quality, total.average) == (
        Decimal("60.0"),
        Decimal("40.0"),
        Decimal("3.77"),
    )
    assert total.distribution == [("2", 2), ("3", 1), ("4", 2), ("5", 3)]
    maths = _by_name(report.subjects, "Математика").rates
    assert (maths.students, maths.success, maths.quality, maths.average) == (
        4,
        Decimal("75.0"),
        Decimal("50.0"),
        Decimal("3.23"),
    )
    russian = _by_name(report.subjects, "Русский язык").rates
    assert (russian.success, russian.quality, russian.average) == (
        Decimal("100.0"),
        Decimal("100.0"),
        Decimal("4.56"),
    )
    pe = _by_name(report.subjects, "Физическая культура").rates
    assert (pe.students, pe.success, pe.average) == (1, Decimal("0.0"), None)
    a = report.attendance
    assert (a.students, a.absent, a.ill, a.excused, a.late, a.seats) == (5, 1, 2, 1, 1, 40)
    assert (a.missed, a.per_student, a.share) == (4, Decimal("0.8"), Decimal("10.0"))
    s3 = next(st for st in report.students if st.id == s[3].pk).attendance
    assert (s3.missed, s3.seats, s3.share) == (2, 8, Decimal("25.0"))


def test_class_report_for_the_year_uses_all_marks_of_the_year(rd):
    jw = rd.jw

    report = reports.class_report(jw.klass, reports.window_for(jw.year, None, jw.klass))

    s3 = next(st for st in report.students if st.id == rd.s[3].pk)
    maths = next(i for i, line in enumerate(report.subjects) if line.name == "Математика")
    # q1 5 and q2 2 2 3: average 3.00 -> 3; the q2 period mark of s1 is not a year mark:
    # 4 and 3 (×3) are two marks, fewer than the minimum of three -> no result.
    assert s3.row[maths].text == "3"
    s1 = next(st for st in report.students if st.id == rd.s[1].pk)
    assert s1.row[maths].r is None


def test_year_mark_takes_precedence_over_the_average(rd):
    jw = rd.jw
    _period_mark(jw.klass, jw.maths, rd.s[3], None, value=4)

    report = reports.class_report(jw.klass, reports.window_for(jw.year, None, jw.klass))

    s3 = next(st for st in report.students if st.id == rd.s[3].pk)
    maths = next(i for i, line in enumerate(report.subjects) if line.name == "Математика")
    assert (s3.row[maths].text, s3.row[maths].is_period_mark) == ("4", True)


def test_not_certified_period_mark_counts_as_failing(rd):
    jw = rd.jw
    PeriodMark.objects.filter(student=rd.s[1], subject=jw.maths).update(
        value=None, not_certified=True
    )

    report = reports.class_report(jw.klass, reports.window_for(jw.year, jw.q2, jw.klass))

    s1 = next(st for st in report.students if st.id == rd.s[1].pk)
    assert (s1.status, report.total.passing) == ("failing", 2)
    assert "н/а" in [c.text for c in s1.row if c]


def test_school_report_per_class_parallel_and_subject(rd):
    jw = rd.jw

    school = Institution.objects.get(pk=jw.klass.institution_id)

    report = reports.school_report(school, reports.window_for(jw.year, jw.q2))

    assert [u.name for u in report.class_rows] == ["7Б", "7", "8А", "8"]
    klass = _by_name(report.classes, "7Б")
    assert (klass.rates.students, klass.rates.passing, klass.rates.good) == (5, 3, 2)
    assert klass.rates.average == Decimal("3.77")
    assert (klass.attendance.missed, klass.attendance.share) == (4, Decimal("10.0"))
    eight = _by_name(report.classes, "8А")
    assert (eight.rates.success, eight.rates.quality, eight.rates.average) == (
        Decimal("100.0"),
        Decimal("100.0"),
        Decimal("5.00"),
    )
    assert [(p.grade, p.rates.students) for p in report.parallels] == [(7, 5), (8, 1)]
    assert (report.total.students, report.total.success, report.total.quality) == (
        6,
        Decimal("66.7"),
        Decimal("50.0"),
    )
    maths = _by_name(report.subjects, "Математика").rates
    assert (maths.students, maths.passing, maths.good) == (5, 4, 3)
    maths_id = _by_name(report.subjects, "Математика").id
    assert klass.averages[maths_id] == Decimal("3.23")


def test_municipal_report_per_school_with_municipal_totals(rd, world):
    options = reports.municipal_options(world.municipality)
    option = next(o for o in options if o.key == "2026/2027:quarters:2")

    report = reports.municipal_report(
        world.municipality, reports.municipal_window(world.municipality, option)
    )

    assert [u.name for u in report.schools] == ["Школа № 3", "Школа № 5"]
    three, five = report.schools
    assert (three.rates.students, three.rates.passing, three.rates.good) == (6, 4, 3)
    assert (five.rates.students, five.rates.passing, five.rates.good) == (1, 0, 0)
    assert (report.total.students, report.total.success, report.total.quality) == (
        7,
        Decimal("57.1"),
        Decimal("42.9"),
    )
    maths = _by_name(report.subjects, "Математика")
    # 7Б 42/13 + 8А 15/3 + 7А 6/3 (weights 1): (420 + 150 + 60) / (130 + 30 + 30) = 3.32
    assert maths.rates.average == Decimal("3.32")
    assert (five.averages[maths.id], maths.rates.students) == (Decimal("2.00"), 6)


def test_municipal_options_list_the_year_and_each_quarter(rd, world):
    options = reports.municipal_options(world.municipality)

    assert [o.key for o in options] == [
        "2026/2027:year",
        "2026/2027:quarters:1",
        "2026/2027:quarters:2",
        "2026/2027:quarters:3",
        "2026/2027:quarters:4",
    ]
    assert reports.default_municipal_option(options, ON).key == "2026/2027:quarters:2"


@pytest.mark.parametrize(
    ("marks", "rounding"),
    [
        ([(4, "1"), (3, "1")], "half_up"),  # 3.50 -> 4
        ([(4, "1"), (3, "1")], "sixty"),  # 3.50 -> 3
        ([(5, "1"), (3, "1.5"), (3, "1")], "sixty"),  # 3.57 -> 3
        ([(4, "1"), (4, "1"), (3, "1.5")], "sixty"),  # 3.57 -> 3
        ([(4, "2"), (4, "1"), (3, "1")], "sixty"),  # 3.75 -> 4
        ([(5, "3"), (2, "1"), (2, "1"), (2, "1")], "half_up"),  # 3.50 -> 4
        ([(2, "1.5"), (3, "1"), (3, "1")], "half_up"),  # 2.57 -> 3
        ([(2, "1"), (2, "1"), (3, "1")], "half_up"),  # 2.33 -> 2
        ([(1, "1"), (1, "1"), (2, "1")], "half_up"),  # 1.33 -> 1
        ([(5, "1"), (5, "1"), (4, "1.5")], "half_up"),  # 4.57 -> 5
        ([(4, "1"), (5, "1"), (4, "1.5"), (5, "1.5")], "half_up"),  # 4.50 -> 5
    ],
)
def test_sql_suggested_mark_matches_the_documented_rule(jw, world, marks, rounding):
    AcademicYear.objects.filter(pk=jw.year.pk).update(rounding=rounding, min_marks_for_period=2)
    jw.year.refresh_from_db()
    lessons = list(jw.lessons(period=jw.q2)[: len(marks)])
    for (value, weight), lesson in zip(marks, lessons, strict=True):
        kind, _ = MarkKind.objects.get_or_create(
            institution=world.school,
            name=f"w{weight}",
            defaults={"short_name": "w", "weight": Decimal(weight)},
        )
        _mark(lesson, jw.students[0], value, kind=kind)
    average = weighted_average([(v, Decimal(w)) for v, w in marks])
    expected = suggest_mark(average, len(marks), rounding=rounding, min_marks=2)

    report = reports.class_report(jw.klass, reports.window_for(jw.year, jw.q2, jw.klass))

    line = next(st for st in report.students if st.id == jw.students[0].pk)
    assert (line.row[0].r, line.row[0].average) == (expected, average)


def test_fewer_marks_than_the_minimum_give_no_result(jw, world):
    kind = MarkKind.objects.get(institution=world.school, name="Ответ на уроке")
    for lesson in jw.lessons(period=jw.q2)[:2]:
        _mark(lesson, jw.students[0], 5, kind=kind)

    report = reports.class_report(jw.klass, reports.window_for(jw.year, jw.q2, jw.klass))

    line = next(st for st in report.students if st.id == jw.students[0].pk)
    assert (line.row[0].r, line.status, report.total.students) == (None, "", 0)


# --- pages ----------------------------------------------------------------------------------

STUDENT_NAMES = ("Ученикова", "Ученик0", "Восьмов", "Другов")


def _class_url(rd, **query):
    url = reverse("journal:report_class", args=[rd.jw.klass.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _school_url(world):
    return reverse("journal:report_school", args=[world.school.slug])


MUNICIPAL_URL = "/journal/reports/municipality/"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("admin", 200),
        ("metodist", 404),
        ("director", 200),
        ("teacher", 200),  # the class teacher of 7Б
        ("student", 404),
        ("parent", 404),
        ("partner", 404),
        ("other_teacher", 404),
        ("other_parent", 404),
    ],
)
def test_class_report_permissions(rd, client_for, role, status):
    response = client_for(role).get(_class_url(rd))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("admin", 200),
        ("metodist", 200),
        ("director", 200),
        ("teacher", 404),
        ("student", 404),
        ("parent", 404),
        ("partner", 404),
        ("other_teacher", 404),
        ("other_parent", 404),
    ],
)
def test_school_report_permissions(rd, world, client_for, role, status):
    response = client_for(role).get(_school_url(world))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("admin", 200),
        ("metodist", 200),
        ("director", 404),
        ("teacher", 404),
        ("student", 404),
        ("parent", 404),
        ("other_teacher", 404),
    ],
)
def test_municipal_report_permissions(rd, client_for, role, status):
    response = client_for(role).get(MUNICIPAL_URL)

    assert response.status_code == status


def test_director_of_another_school_gets_404_for_this_school(rd, world, client_for):
    other_director = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(
        person=other_director,
        institution=world.other_school,
        role=Membership.Role.INSTITUTION_ADMIN,
    )
    client = client_for("anonymous")
    client.force_login(other_director.user)

    assert client.get(_school_url(world)).status_code == 404
    assert client.get(_class_url(rd)).status_code == 404
    assert client.get(MUNICIPAL_URL).status_code == 404


@pytest.mark.parametrize("url", ["school", "municipality"])
def test_methodologist_sees_numbers_but_no_student_names(rd, world, client_for, url):
    target = _school_url(world) if url == "school" else MUNICIPAL_URL

    response = client_for("metodist").get(target)

    body = response.content.decode()
    assert response.status_code == 200
    assert [name for name in STUDENT_NAMES if name in body] == []
    assert response.context["report"].total.students > 0


def test_methodologist_cannot_download_a_class_report_or_journal(rd, client_for):
    client = client_for("metodist")

    assert client.get(_class_url(rd)).status_code == 404
    url = reverse("journal:export_class_report", args=[rd.jw.klass.pk])
    assert client.get(url).status_code == 404


def test_class_report_page_shows_the_students_and_rates(rd, client_for):
    response = client_for("teacher").get(
        _class_url(rd, period=rd.jw.q2.pk), HTTP_ACCEPT_LANGUAGE="en"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ученикова Дарья" in body
    assert response.context["report"].total.success == Decimal("60.0")
    assert "How the numbers are computed" in body


def test_report_pages_draw_accessible_svg_without_inline_styles(rd, world, client_for):
    response = client_for("director").get(_school_url(world), HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    # the two charts (the header's bell is a decorative SVG of its own)
    assert body.count('role="img"') == 2
    assert 'id="chart-rates-title"' in body
    assert 'id="chart-distribution-desc"' in body
    assert "style=" not in body
    assert "<script>" not in body


def test_year_choice_gives_the_year_report(rd, client_for):
    response = client_for("teacher").get(_class_url(rd, period="year"))

    assert response.status_code == 200
    assert response.context["report"].window.is_year


@pytest.mark.parametrize("value", ["abc", "999999", "", "-1", "1; drop"])
def test_bad_period_falls_back_to_the_current_period(rd, client_for, value):
    response = client_for("teacher").get(_class_url(rd, period=value))

    assert response.status_code == 200
    assert response.context["report"].window.period == rd.jw.q2


def test_report_of_a_subgroup_or_missing_class_is_404(rd, client_for):
    client = client_for("director")

    assert client.get(reverse("journal:report_class", args=[999999])).status_code == 404


def test_report_index_lists_what_the_user_may_open(rd, client_for):
    assert client_for("director").get("/journal/reports/").status_code == 200
    assert client_for("teacher").get("/journal/reports/").status_code == 200
    assert client_for("student").get("/journal/reports/").status_code == 404


# --- query budgets --------------------------------------------------------------------------


def _more_classes(world, jw, institution, count, kind):
    """``count`` more classes at ``institution``, each with two students and marks."""
    teacher = world.people["teacher"]
    for i in range(count):
        pupils = [
            f.PersonFactory(municipality=world.municipality, surname=f"Ещё{i}{k}") for k in range(2)
        ]
        year, group = _school_with_class(world, institution, f"9{'АБВГДЕ'[i]}", 9, pupils)
        period = year.periods.get(number=2)
        lesson = _lesson(group, jw.maths, teacher, period=period, day=d(2026, 11, 9))
        _absence(lesson, pupils[0], "Н")
        for pupil in pupils:
            _mark(lesson, pupil, 4, kind=kind)


@pytest.mark.parametrize("extra", [0, 3])
def test_class_report_query_budget(rd, world, client_for, django_assert_num_queries, extra):
    answer = MarkKind.objects.get(institution=world.school, name="Ответ на уроке")
    for i in range(extra):  # more students and subjects in 7Б
        pupil = f.PersonFactory(municipality=world.municipality, surname=f"Новый{i}")
        GroupMember.objects.create(
            group=rd.jw.klass, student=pupil, home_institution=world.school, starts_on=ON
        )
        subject = structure.subject_get_or_create(world.municipality, f"Предмет {i}")
        lesson = _lesson(
            rd.jw.klass, subject, world.people["teacher"], period=rd.jw.q2, day=ON, number=5 + i
        )
        _mark(lesson, pupil, 3, kind=answer)
    client = client_for("teacher")

    # session, user, class, roles, periods, results, students, subjects, attendance, the
    # person in the page header
    with django_assert_num_queries(10):
        response = client.get(_class_url(rd, period=rd.jw.q2.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 3])
def test_school_report_query_budget(rd, world, client_for, django_assert_num_queries, extra):
    kind = MarkKind.objects.get(institution=world.school, name="Ответ на уроке")
    _more_classes(world, rd.jw, world.school, extra, kind)
    client = client_for("director")

    # session, user, institution, roles, years, periods, classes, results, subjects,
    # attendance, the person in the page header
    with django_assert_num_queries(11):
        response = client.get(_school_url(world))

    assert response.status_code == 200
    assert len(response.context["report"].classes) == 2 + extra


@pytest.mark.parametrize("extra", [0, 3])
def test_municipal_report_query_budget(rd, world, client_for, django_assert_num_queries, extra):
    for i in range(extra):
        school = f.InstitutionFactory(municipality=world.municipality, short_name=f"Лицей {i}")
        kind = MarkKind.objects.create(institution=school, name="Ответ", short_name="о")
        _more_classes(world, rd.jw, school, 1, kind)
    client = client_for("admin")

    # session, user, roles, municipality, periods, years, institutions, results, subjects,
    # attendance, the person in the page header
    with django_assert_num_queries(11):
        response = client.get(MUNICIPAL_URL)

    assert response.status_code == 200
    assert len(response.context["report"].schools) == 2 + extra


def test_municipal_report_is_cached_for_a_while(rd, world, client_for, django_assert_num_queries):
    client = client_for("admin")
    first = client.get(MUNICIPAL_URL)
    kind = MarkKind.objects.get(institution=world.school, name="Ответ на уроке")
    _more_classes(world, rd.jw, world.school, 1, kind)

    # session, user, roles, municipality, periods, the person in the page header
    with django_assert_num_queries(6):
        second = client.get(MUNICIPAL_URL)

    assert second.context["report"].total.students == first.context["report"].total.students
    assert second.context["computed_at"] == first.context["computed_at"]
