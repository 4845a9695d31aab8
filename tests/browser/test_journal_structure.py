"""The institution admin's main flow of the school-year structure: create a class, add a lesson
to its weekly timetable, generate the lessons of the year. Fields are found by their ids, so
the test does not depend on whether the Russian translations are compiled yet."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from setka.journal.models import Lesson, StudyGroup, TimetableEntry
from setka.journal.services import structure, timetable

from ..clock import d, iso
from ..factories import PASSWORD
from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def year(world):
    year = timetable.year_create(
        actor=world.users["director"],
        institution=world.school,
        name="2026/2027",
        starts_on=d(2026, 9, 1),
        ends_on=d(2027, 5, 31),
        periods=[
            (d(2026, 9, 1), d(2026, 10, 25)),
            (d(2026, 11, 5), d(2026, 12, 28)),
            (d(2027, 1, 9), d(2027, 3, 21)),
            (d(2027, 3, 31), d(2027, 5, 26)),
        ],
        holidays=[("Зимние каникулы", d(2026, 12, 29), d(2027, 1, 8))],
    )
    structure.subject_get_or_create(world.municipality, "Математика", "мат")
    return year


def test_admin_creates_a_class_adds_a_lesson_and_generates_lessons(page, live_server, world, year):
    teacher = world.people["teacher"]
    sign_in(page, live_server, "director", PASSWORD)

    page.goto(f"{live_server.url}/journal/structure/")
    page.locator(f"a[href='/journal/structure/years/{year.pk}/']").click()
    page.locator(f"a[href='/journal/structure/years/{year.pk}/groups/']").first.click()
    page.locator(f"a[href='/journal/structure/years/{year.pk}/groups/new/']").click()
    page.locator("#id_kind").select_option("class")
    page.locator("#id_grade").fill("8")
    page.locator("#id_letter").fill("а")
    page.locator("#id_class_teacher").select_option(str(teacher.pk))
    page.locator("main form[method=post] button[type=submit]").click()

    klass = StudyGroup.objects.get(year=year, name="8А")
    expect(page.locator("h1")).to_contain_text("8А")
    page.locator(f"a[href='/journal/structure/groups/{klass.pk}/timetable/']").first.click()
    page.locator("#id_entry-weekday").select_option("2")
    page.locator("#id_entry-number").fill("3")
    page.locator("#id_entry-subject").select_option(label="Математика")
    page.locator("#id_entry-teacher").select_option(str(teacher.pk))
    page.locator("#id_entry-room").fill("14")
    page.locator("#id_entry-valid_from").fill(iso(2026, 9, 1))
    page.locator("section form[method=post] button[type=submit]").last.click()

    expect(page.locator("table.timetable")).to_contain_text("мат")
    assert TimetableEntry.objects.filter(group=klass, weekday=2, number=3, room="14").exists()
    assert_accessible(page)

    page.locator(f"a[href='/journal/structure/years/{year.pk}/generate/']").click()
    page.locator("main form[method=post] button[type=submit]").click()

    expect(page.locator(".messages .message.success")).to_be_visible()
    created = Lesson.objects.filter(group=klass).count()
    assert created > 30
    expect(page.locator(".messages .message.success")).to_contain_text(str(created))
    assert not Lesson.objects.filter(
        group=klass, date__gte=d(2026, 12, 29), date__lte=d(2027, 1, 8)
    ).exists()


def test_structure_pages_are_accessible(page, live_server, world, year):
    klass = structure.group_create(actor=world.users["director"], year=year, name="7Б", grade=7,
                                   letter="Б", class_teacher=world.people["teacher"])  # fmt: skip
    sign_in(page, live_server, "director", PASSWORD)

    for path in [
        f"/journal/structure/years/{year.pk}/",
        "/journal/structure/school-3/years/new/",
        f"/journal/structure/groups/{klass.pk}/",
        f"/journal/structure/groups/{klass.pk}/members/?all=1",
        f"/journal/structure/years/{year.pk}/bells/",
        f"/journal/structure/years/{year.pk}/day/?date={iso(2026, 11, 27)}",
        f"/journal/imports/years/{year.pk}/marks/",
        f"/journal/imports/groups/{klass.pk}/plan/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_admin_moves_a_class_to_the_second_shift_by_keyboard(page, live_server, world, year):
    """The edit form, by keyboard: the class page then names the shift and the timetable runs
    by the second shift's bells."""
    from setka.journal.services import planning

    director = world.users["director"]
    planning.bells_fill_default(actor=director, year=year, shift=1)
    planning.bells_fill_default(actor=director, year=year, shift=2)
    klass = structure.group_create(actor=director, year=year, name="3А", grade=3, letter="А")
    sign_in(page, live_server, "director", PASSWORD)

    page.goto(f"{live_server.url}/journal/structure/groups/{klass.pk}/")
    page.locator(f"a[href='/journal/structure/groups/{klass.pk}/edit/']").click()
    page.locator("#id_shift").focus()
    page.keyboard.press("ArrowDown")  # the first shift → the second
    expect(page.locator("#id_shift")).to_have_value("2")
    page.locator("main form[method=post] button[type=submit]").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/journal/structure/groups/{klass.pk}/")
    expect(page.locator("dl.facts")).to_contain_text("Смена 2")
    klass.refresh_from_db()
    assert klass.shift == 2
    assert_accessible(page, context="#main")

    page.locator(f"a[href='/journal/structure/groups/{klass.pk}/timetable/']").first.click()
    expect(page.locator("table.timetable")).to_contain_text("13:30")
