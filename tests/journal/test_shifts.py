"""Schools in two shifts: a class studies in a shift and its lessons take that shift's bells
(the diary, the timetable, the day's lessons); a teacher may teach the same lesson number in
both shifts, but not two lessons whose bells overlap; moving a class to another shift takes its
subgroups along and is refused when its timetable would then clash; the classes import and
export carry the shift."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from setka.core.models import AuditEntry
from setka.journal import importing
from setka.journal.diary import diary_week
from setka.journal.importing.exchange import STUDENTS, export_rows
from setka.journal.models import GroupMember, StudyGroup, TimetableEntry
from setka.journal.services import planning, structure, timetable

from ..clock import d
from .test_imports import csv_bytes, import_url, upload

MONDAY = d(2026, 11, 23)


@pytest.fixture
def bells(world, jw):
    """The usual bells: the first shift 08:00–14:00 (7th lesson 13:20–14:00), the second
    from 13:30 (1st lesson 13:30–14:10, 2nd 14:20–15:00)."""
    director = world.users["director"]
    planning.bells_fill_default(actor=director, year=jw.year, shift=1)
    planning.bells_fill_default(actor=director, year=jw.year, shift=2)


def _class(world, jw, name, *, shift=None, **extra):
    return structure.group_create(
        actor=world.users["director"],
        year=jw.year,
        name=name,
        grade=int(name[:-1]),
        letter=name[-1],
        shift=shift,
        **extra,
    )


def _entry(world, group, subject, *, weekday=1, number=1):
    return structure.timetable_entry_create(
        actor=world.users["director"],
        group=group,
        subject=subject,
        teacher=world.people["teacher"],
        weekday=weekday,
        number=number,
    )


# --- services ---------------------------------------------------------------------------------


def test_new_class_is_in_the_first_shift_and_a_subgroup_takes_its_class_shift(world, jw):
    third = _class(world, jw, "3А", shift=2)
    sub = structure.group_create(
        actor=world.users["director"],
        year=jw.year,
        name="3А англ. 1",
        kind=StudyGroup.Kind.SUBGROUP,
        parent=third,
    )

    assert jw.klass.shift == 1
    assert sub.shift == 2


def test_shift_outside_one_to_three_is_refused(world, jw):
    with pytest.raises(ValidationError) as exc:
        _class(world, jw, "3А", shift=4)

    assert "shift" in exc.value.message_dict
    assert not StudyGroup.objects.filter(name="3А").exists()


def test_teacher_teaches_the_same_number_in_both_shifts(world, jw, bells):
    third = _class(world, jw, "3А", shift=2)

    entry = _entry(world, third, jw.maths, weekday=1, number=2)  # 7Б has maths 2nd on Monday

    assert entry.pk is not None


def test_teacher_lessons_of_two_shifts_that_overlap_are_refused(world, jw, bells):
    _entry(world, jw.klass, jw.maths, weekday=1, number=7)  # 13:20–14:00
    third = _class(world, jw, "3А", shift=2)

    with pytest.raises(ValidationError) as exc:
        _entry(world, third, jw.maths, weekday=1, number=1)  # 13:30–14:10

    assert "7Б" in exc.value.message_dict["teacher"][0]
    assert not TimetableEntry.objects.filter(group=third).exists()


def test_without_bells_lessons_of_different_shifts_do_not_clash(world, jw):
    _entry(world, jw.klass, jw.maths, weekday=1, number=7)
    third = _class(world, jw, "3А", shift=2)

    assert _entry(world, third, jw.maths, weekday=1, number=1).pk is not None


def test_moving_a_class_takes_its_subgroups_and_is_audited(world, jw, bells):
    director = world.users["director"]
    sub = structure.group_create(
        actor=director, year=jw.year, name="7Б англ. 1", kind="subgroup", parent=jw.klass
    )

    planning.group_update(actor=director, group=jw.klass, shift=2)

    jw.klass.refresh_from_db()
    sub.refresh_from_db()
    assert (jw.klass.shift, sub.shift) == (2, 2)
    entry = AuditEntry.objects.filter(action="journal.group.update", object_id=jw.klass.pk).get()
    assert entry.changes["shift"] == [1, 2]


def test_moving_a_class_is_refused_when_its_timetable_would_clash(world, jw, bells):
    eighth = _class(world, jw, "8А")
    _entry(world, eighth, jw.maths, weekday=4, number=7)  # Thursday 13:20–14:00
    _entry(world, jw.klass, jw.maths, weekday=4, number=1)  # Thursday 08:00, fine in shift 1

    with pytest.raises(ValidationError) as exc:
        planning.group_update(actor=world.users["director"], group=jw.klass, shift=2)

    assert "8А" in exc.value.message_dict["shift"][0]
    jw.klass.refresh_from_db()
    assert jw.klass.shift == 1
    assert not AuditEntry.objects.filter(action="journal.group.update").exists()


# --- what the shift changes: diary, timetable, day ------------------------------------------


def test_diary_shows_the_bells_of_the_class_shift(world, jw, bells):
    student = world.people["student"]
    first = diary_week(student.pk, MONDAY).days[0].lessons[0]  # maths, 2nd lesson

    planning.group_update(actor=world.users["director"], group=jw.klass, shift=2)
    second = diary_week(student.pk, MONDAY).days[0].lessons[0]

    assert (first.starts_at, first.ends_at) == (dt.time(8, 50), dt.time(9, 30))
    assert (second.starts_at, second.ends_at) == (dt.time(14, 20), dt.time(15, 0))


def test_diary_of_a_shift_without_bells_shows_no_times(world, jw):
    planning.bells_fill_default(actor=world.users["director"], year=jw.year, shift=1)
    planning.group_update(actor=world.users["director"], group=jw.klass, shift=2)

    lesson = diary_week(world.people["student"].pk, MONDAY).days[0].lessons[0]

    assert (lesson.starts_at, lesson.ends_at) == (None, None)


def test_timetable_page_shows_the_bells_of_the_class_shift(client_for, world, jw, bells):
    planning.group_update(actor=world.users["director"], group=jw.klass, shift=2)

    url = reverse("journal:structure_timetable", args=[jw.klass.pk])

    response = client_for("director").get(url)

    assert response.status_code == 200
    bells_by_number = {n: bell for n, bell, _cells in response.context["grid"]}
    assert bells_by_number[1].starts_at == dt.time(13, 30)
    assert "13:30" in response.content.decode()


def test_day_page_orders_the_lessons_of_both_shifts_by_the_clock(client_for, world, jw, bells):
    third = _class(world, jw, "3А", shift=2)
    _entry(world, third, jw.maths, weekday=1, number=1)  # 13:30
    timetable.generate_lessons(jw.year)

    response = client_for("director").get(
        reverse("journal:structure_day", args=[jw.year.pk]), {"date": MONDAY.isoformat()}
    )

    rows = [(x.group.name, x.number, x.bell.starts_at) for x in response.context["lessons"]]
    assert rows == [("7Б", 2, dt.time(8, 50)), ("3А", 1, dt.time(13, 30))]


# --- pages -------------------------------------------------------------------------------------


def test_director_moves_a_class_to_the_second_shift(client_for, world, jw):
    client = client_for("director")
    url = reverse("journal:structure_group_edit", args=[jw.klass.pk])

    response = client.post(url, {"name": "7Б", "grade": "7", "letter": "Б", "shift": "2"})

    assert response.status_code == 302
    jw.klass.refresh_from_db()
    assert jw.klass.shift == 2
    page = client.get(reverse("journal:structure_group", args=[jw.klass.pk])).content.decode()
    assert "Смена 2" in page


@pytest.mark.parametrize("shift", ["4", "0", "вторая", ""])
def test_group_edit_refuses_a_shift_that_does_not_exist(client_for, jw, shift):
    url = reverse("journal:structure_group_edit", args=[jw.klass.pk])

    response = client_for("director").post(
        url, {"name": "7Б", "grade": "7", "letter": "Б", "shift": shift}
    )

    assert response.status_code == 400
    assert "shift" in response.context["form"].errors
    jw.klass.refresh_from_db()
    assert jw.klass.shift == 1


def test_group_edit_shows_a_clash_of_the_moved_timetable_on_the_shift_field(
    client_for, world, jw, bells
):
    eighth = _class(world, jw, "8А")
    _entry(world, eighth, jw.maths, weekday=4, number=7)
    _entry(world, jw.klass, jw.maths, weekday=4, number=1)
    url = reverse("journal:structure_group_edit", args=[jw.klass.pk])

    response = client_for("director").post(
        url,
        {"name": "7Б", "grade": "7", "letter": "Б", "shift": "2"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    [message] = response.context["form"].errors["shift"]
    assert "does not fit the new shift" in message
    assert "8А" in message


def test_new_class_in_the_second_shift_from_the_form(client_for, jw):
    url = reverse("journal:structure_group_create", args=[jw.year.pk])

    response = client_for("director").post(
        url, {"kind": "class", "grade": "3", "letter": "б", "shift": "2"}
    )

    assert response.status_code == 302
    assert StudyGroup.objects.get(year=jw.year, name="3Б").shift == 2


# --- import and export -------------------------------------------------------------------------

HEADER = ["Класс", "Смена", "Фамилия", "Имя", "Дата рождения"]


def test_classes_import_sets_and_changes_the_shift(client_for, jw):
    data = csv_bytes([
        HEADER,
        ["3А", "2", "Петров", "Пётр", "01.02.2018"],
        ["3А", "", "Сидоров", "Илья", "03.04.2018"],
        ["7Б", "2", "", "", ""],
    ])  # fmt: skip

    response = upload(client_for("director"), import_url(jw, "classes"), data)

    assert response.status_code == 200, response.context.get("errors")
    assert StudyGroup.objects.get(year=jw.year, name="3А").shift == 2
    jw.klass.refresh_from_db()
    assert jw.klass.shift == 2
    assert GroupMember.objects.filter(group__name="3А").count() == 2


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["3А", "4", "Петров", "Пётр", "01.02.2018"]], "shift must be 1, 2 or 3"),
        ([["3А", "вторая", "Петров", "Пётр", "01.02.2018"]], "shift must be 1, 2 or 3"),
        (
            [["3А", "1", "Петров", "Пётр", "01.02.2018"], ["3А", "2", "Сидоров", "Илья", ""]],
            "another shift",
        ),
    ],
    ids=["four", "words", "two shifts"],
)
def test_classes_import_refuses_a_bad_shift_and_writes_nothing(client_for, jw, rows, message):
    response = upload(client_for("director"), import_url(jw, "classes"), csv_bytes([HEADER, *rows]))

    assert response.status_code == 400
    errors = response.context["errors"]
    assert [e["column"] for e in errors] == ["Смена"]
    assert message in errors[0]["message"]
    assert not StudyGroup.objects.filter(name="3А").exists()


def test_students_export_carries_the_shift_and_reads_back(world, jw):
    planning.group_update(actor=world.users["director"], group=jw.klass, shift=2)

    rows = list(export_rows("students", jw.year))
    table = [dict(zip(STUDENTS.header, row, strict=True)) for row in rows]

    assert {r["Класс"]: r["Смена"] for r in table} == {"7Б": 2}
    assert "Смена" in [c.ru for c in importing.CLASSES.columns]


def test_homework_is_late_after_the_year_setting_or_the_last_bell_of_the_shift(world, jw, bells):
    from django.utils import timezone

    from setka.journal.services.homework import is_late

    lesson = jw.lessons().get(date=MONDAY)
    at = lambda h, m: timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(h, m)))  # noqa: E731

    assert jw.year.school_day_ends_at == dt.time(18, 0)
    assert is_late(lesson, at(18, 20))  # the first shift is over by 14:00
    planning.group_update(actor=world.users["director"], group=jw.klass, shift=2)
    lesson.group.refresh_from_db()
    assert not is_late(lesson, at(18, 20))  # the second shift's 6th lesson ends at 18:40
    assert is_late(lesson, at(18, 50))
