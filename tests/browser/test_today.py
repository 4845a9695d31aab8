"""«Сегодня» in the browser: each demo role signs in on a world with a school day under way and
finds its own real items on its home — the teacher their 2nd lesson by name and time, the
student today's lessons and tomorrow's homework, the parent the child's new mark and a switch
to the second child, the director the school's attendance and the class without a timetable,
the municipal administrator and the methodologist the schools needing attention — on a desktop
(1366×900) and on a phone (390×844) without horizontal scrolling, each item reached by the
keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from setka.journal.services import homework, records

from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from ..today.conftest import another_class, child_of, day  # noqa: F401
from .conftest import sign_in

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def school_day(world, jw, day):
    """Today's 1st lesson has its homework (due tomorrow) and a mark for the student; the parent
    has a second child in 7Б; a class 9А has no timetable."""
    first, _second, tomorrow = day
    teacher = world.users["teacher"]
    homework.homework_set(
        actor=teacher, lesson=first, text="Задачи № 12–14", minutes=25, due_on=tomorrow.date
    )
    records.mark_create(actor=teacher, lesson=first, student=world.people["student"], value=5)
    child_of(world, world.people["parent"], jw.klass, "Алина")
    another_class(world, jw, "9А")
    return day


def _open(browser, live_server, screen: str, role: str):
    context = browser.new_context(
        locale="ru-RU",
        viewport=SCREENS[screen],
        is_mobile=screen == "phone",
        has_touch=screen == "phone",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server, role, PASSWORD)
    return context, page, errors


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector`` (it is keyboard reachable)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} is not reachable by Tab")


def _check(page, errors) -> None:
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert errors == [], f"JavaScript errors or CSP violations: {errors}"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_teacher_finds_the_second_lesson_of_today(browser, live_server, world, school_day, screen):
    _first, second, _tomorrow = school_day
    context, page, errors = _open(browser, live_server, screen, "teacher")

    block = page.locator("#today-teacher")
    expect(block.get_by_role("heading", name="Мои уроки сегодня")).to_be_visible()
    lessons = block.locator("ol.today-lessons > li")
    expect(lessons).to_have_count(2)
    expect(lessons.nth(1)).to_contain_text("08:50–09:30")
    expect(lessons.nth(1)).to_contain_text("Физическая культура, 7Б")
    expect(lessons.nth(0)).to_contain_text("домашнее задание ✓")
    expect(lessons.nth(0)).to_contain_text("1 оценка")
    _check(page, errors)
    _tab_to(page, f'#today-teacher a[href="/journal/lessons/{second.pk}/"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/journal/lessons/{second.pk}/")
    context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_student_sees_today_and_tomorrows_homework(browser, live_server, world, school_day, screen):
    context, page, errors = _open(browser, live_server, screen, "student")

    block = page.locator("#today-student")
    expect(block.get_by_role("heading", name="Мой день")).to_be_visible()
    expect(block).to_contain_text("08:00–08:40")
    expect(block).to_contain_text("Физическая культура")
    expect(block).to_contain_text("Задачи № 12–14")
    expect(block).to_contain_text("около 25 минут")
    expect(block.locator(".today-marks")).to_contain_text("5 Математика")
    _check(page, errors)
    _tab_to(page, '#today-student a[href="/journal/diary/"]')
    context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_parent_switches_child_by_keyboard(browser, live_server, world, school_day, screen):
    context, page, errors = _open(browser, live_server, screen, "parent")

    block = page.locator("#today-children")
    expect(block.get_by_role("heading", name="Мои дети")).to_be_visible()
    dasha = block.locator(".diary-children a", has_text="Дарья Ученикова")
    expect(dasha).to_contain_text("1 новое")
    dasha.click()
    expect(block.locator(".today-child[open] h3")).to_have_text("Дарья Ученикова")
    opened = block.locator(".today-child[open]")
    expect(opened.locator(".today-marks")).to_contain_text("5 Математика")
    expect(opened).to_contain_text("1 задание, около 25 мин")
    _check(page, errors)
    _tab_to(page, "#today-children .diary-children a:not([aria-current])")
    page.keyboard.press("Enter")
    expect(block.locator(".today-child[open] h3")).to_have_text("Алина Ученикова")
    expect(block.locator('[aria-current="page"]')).to_contain_text("Алина Ученикова")
    _check(page, errors)
    context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_director_sees_attendance_and_the_class_without_timetable(
    browser, live_server, world, school_day, screen
):
    context, page, errors = _open(browser, live_server, screen, "director")

    block = page.locator("#today-school")
    expect(block.get_by_role("heading", name="Журнал сегодня")).to_be_visible()
    expect(block).to_contain_text("присутствуют сегодня")
    expect(block.get_by_role("link", name="9А")).to_be_visible()
    expect(page.locator("#today-people")).to_contain_text("ещё не входил")
    _check(page, errors)
    _tab_to(page, "#today-school a[href*='/timetable/']")
    context.close()


@pytest.mark.parametrize("role", ["admin", "metodist"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_municipality_sees_schools_needing_attention(
    browser, live_server, world, school_day, screen, role
):
    context, page, errors = _open(browser, live_server, screen, role)

    block = page.locator("#today-municipality")
    expect(block.get_by_role("heading", name="Журналы школ")).to_be_visible()
    attention = block.locator(".today-attention")
    expect(attention).to_contain_text("Школа № 3")
    expect(attention).to_contain_text("1 класс без расписания")
    expect(attention).to_contain_text("Школа № 5")
    expect(page.locator("#today-municipal-figures")).to_contain_text("общеобразовательные школы")
    _check(page, errors)
    _tab_to(page, "#today-municipality a[href='/journal/reports/municipality/']")
    context.close()
