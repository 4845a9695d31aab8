"""The two statements of ``journal.access`` (``sql.ACCESS``, ``sql.LESSON_WRITE``) against ORM
references, on SQLite and PostgreSQL alike: the objects they read (a class, a subgroup with
its class, a network group; a missing subject or group), the student named with a write (a
member on the lesson's day or not: left, not yet come, of another group, nobody) and the
lesson's default mark kind (``records.default_kind``: regular and control lessons, inactive
kinds, an institution without control kinds or without kinds). Whether the user teaches it:
``test_access_rule.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from setka.core import sqlrows
from setka.journal import sql
from setka.journal.models import (
    AcademicYear,
    GroupMember,
    Lesson,
    MarkKind,
    Period,
    StudyGroup,
    Subject,
)
from setka.journal.services import records
from setka.network.models import Institution

from .. import factories as f
from ..clock import TODAY

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


def _values(obj) -> list:
    return [getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields]


def _read(model, values: tuple) -> list | None:
    """The values of a model's columns read from a row as ``journal.access`` reads them (None
    for a LEFT JOIN that found nothing)."""
    return None if values[0] is None else _values(sqlrows.instance(model, values))


def _split(row: tuple, sizes: list[int]) -> tuple[list[tuple], tuple]:
    parts, at = [], 0
    for size in sizes:
        parts.append(row[at : at + size])
        at += size
    return parts, row[at:]


@pytest.fixture
def groups(world, jw) -> dict[str, StudyGroup]:
    subgroup = StudyGroup.objects.create(
        institution=world.school, year=jw.year, kind=StudyGroup.Kind.SUBGROUP, name="7Б мат 1",
        parent=jw.klass,
    )  # fmt: skip
    network = StudyGroup.objects.create(
        institution=world.school, year=jw.year, kind=StudyGroup.Kind.NETWORK, name="Роботы",
    )  # fmt: skip
    return {"class": jw.klass, "subgroup": subgroup, "network group": network}


@pytest.mark.parametrize("group", ["class", "subgroup", "network group"])
@pytest.mark.parametrize("subject", ["maths", "missing"])
def test_access_reads_the_orm_group_year_institution_class_and_subject(
    world, jw, groups, group, subject
):
    found = groups[group]
    subject_id = jw.maths.pk if subject == "maths" else 0
    params = {"group": found.pk, "subject": subject_id, "person": None, "today": TODAY}

    row = sqlrows.rows(sql.ACCESS, params)[0]

    g = StudyGroup.objects.select_related("year", "institution", "parent").get(pk=found.pk)
    parts, rest = _split(row, sql.ACCESS_SIZES)
    assert [
        _read(StudyGroup, parts[0]),
        _read(AcademicYear, parts[1]),
        _read(Institution, parts[2]),
        _read(StudyGroup, parts[3]),
        _read(Subject, rest[1:]),
    ] == [
        _values(g),
        _values(g.year),
        _values(g.institution),
        _values(g.parent) if g.parent else None,
        _values(Subject.objects.get(pk=subject_id)) if subject == "maths" else None,
    ]
    assert len(rest) == 1 + len(Subject._meta.concrete_fields)


def test_access_of_a_missing_group_is_no_row(jw):
    params = {"group": 0, "subject": jw.maths.pk, "person": None, "today": TODAY}

    assert sqlrows.rows(sql.ACCESS, params) == []


# --- the lesson of a write ---------------------------------------------------------------------


@pytest.fixture
def lesson(world, jw) -> Lesson:
    return jw.lessons(period=jw.q2).filter(date__lte=TODAY).last()


def _student(world, jw, lesson, case: str) -> int:
    """The id of the student named with a write at ``lesson``."""
    if case == "nobody":
        return 0
    if case == "member":
        return jw.students[0].pk
    person = f.PersonFactory(municipality=world.municipality)
    group, starts_on, ends_on = {
        "left the day before": (jw.klass, jw.year.starts_on, lesson.date - ONE_DAY),
        "leaves that day": (jw.klass, jw.year.starts_on, lesson.date),
        "comes that day": (jw.klass, lesson.date, None),
        "comes the day after": (jw.klass, lesson.date + ONE_DAY, None),
        "of another group": (
            StudyGroup.objects.create(
                institution=jw.klass.institution, year=jw.year, name="7А", grade=7, letter="А"
            ),
            jw.year.starts_on,
            None,
        ),
    }[case]
    GroupMember.objects.create(
        group=group, student=person, home_institution=world.school, starts_on=starts_on,
        ends_on=ends_on,
    )  # fmt: skip
    return person.pk


def _lesson_row(lesson: Lesson, student_id: int) -> tuple:
    params = {"lesson": lesson.pk, "person": None, "today": TODAY, "student": student_id}
    return sqlrows.rows(sql.LESSON_WRITE, params)[0]


@pytest.mark.parametrize(
    "case",
    [
        "member",
        "left the day before",
        "leaves that day",
        "comes that day",
        "comes the day after",
        "of another group",
        "nobody",
    ],
)
def test_lesson_write_names_the_student_when_the_orm_finds_them_in_the_group(
    world, jw, lesson, case
):
    student_id = _student(world, jw, lesson, case)

    row = _lesson_row(lesson, student_id)

    _parts, rest = _split(row, sql.LESSON_WRITE_SIZES)
    member = (
        GroupMember.objects.active(lesson.date)
        .filter(group_id=lesson.group_id, student_id=student_id)
        .select_related("student")
        .first()
    )
    expected = (
        (member.student.surname, member.student.given_name, member.student.patronymic)
        if member
        else (None, None, None)
    )
    assert rest[1:4] == expected
    assert (member is not None) == (case in {"member", "leaves that day", "comes that day"})


def test_lesson_write_reads_the_orm_lesson_group_year_subject_and_period(world, jw, lesson):
    row = _lesson_row(lesson, 0)

    parts, _rest = _split(row, sql.LESSON_WRITE_SIZES)
    orm = Lesson.objects.select_related("group__year", "subject", "period").get(pk=lesson.pk)
    assert [
        _read(model, part)
        for model, part in zip(
            (Lesson, StudyGroup, AcademicYear, Subject, Period), parts, strict=True
        )
    ] == [_values(o) for o in (orm, orm.group, orm.group.year, orm.subject, orm.period)]


@pytest.mark.parametrize("kind", [Lesson.Kind.REGULAR, Lesson.Kind.CONTROL])
@pytest.mark.parametrize(
    "kinds", ["the defaults", "first ones inactive", "no control kind", "none active", "none"]
)
def test_lesson_write_takes_the_orm_default_kind(world, jw, lesson, kind, kinds):
    Lesson.objects.filter(pk=lesson.pk).update(kind=kind)
    school_kinds = MarkKind.objects.filter(institution=world.school)
    if kinds == "first ones inactive":
        first = school_kinds.order_by("order", "name").first()
        control = school_kinds.filter(is_control=True).order_by("order", "name").first()
        school_kinds.filter(pk__in=[first.pk, control.pk]).update(is_active=False)
    elif kinds == "no control kind":
        school_kinds.update(is_control=False)
    elif kinds == "none active":
        school_kinds.update(is_active=False)
    elif kinds == "none":
        school_kinds.delete()

    row = _lesson_row(lesson, 0)

    _parts, rest = _split(row, sql.LESSON_WRITE_SIZES)
    try:
        expected = _values(records.default_kind(Lesson.objects.get(pk=lesson.pk)))
    except ValidationError:  # the institution has no active kinds
        expected = None
    assert _read(MarkKind, rest[4:]) == expected
    assert (expected is None) == (kinds in {"none active", "none"})
