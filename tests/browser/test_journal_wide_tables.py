"""The class summary and the class report of a class with many subjects on a 1366×900
screen: nothing is cut at the right edge — the tables fit the page, and a subject taught in
two subgroups («англ») has a narrow heading with a link per subgroup."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.journal.models import MarkKind, StudyGroup
from setka.journal.services import structure

from ..factories import PASSWORD
from ..journal.conftest import jw  # noqa: F401 (fixtures shared with the journal tests)
from ..journal.test_reports import ON, _lesson, _mark, rd  # noqa: F401
from .conftest import sign_in

SUBJECTS = [
    "Русский язык", "Литература", "Алгебра", "Геометрия", "Вероятность и статистика",
    "Информатика", "История", "Обществознание", "География", "Биология", "Физика",
    "Музыка", "Изобразительное искусство", "Труд (технология)", "ОБЗР",
]  # fmt: skip


@pytest.fixture
def laptop(browser):
    ctx = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 900})
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.fixture
def many_subjects(world, rd):
    klass, teacher = rd.jw.klass, world.people["teacher"]
    kind = MarkKind.objects.get(institution=world.school, name="Ответ на уроке")
    students = list(klass.members.values_list("student", flat=True))
    for i, name in enumerate(SUBJECTS):
        subject = structure.subject_get_or_create(world.municipality, name)
        structure.assignment_create(
            actor=world.users["director"], group=klass, subject=subject, teacher=teacher
        )
        lesson = _lesson(klass, subject, teacher, period=rd.jw.q2, day=ON, number=2 + i % 6)
        for student in rd.jw.students:
            _mark(lesson, student, 3 + (student.pk + i) % 3, kind=kind)
    english = structure.subject_get_or_create(world.municipality, "Английский язык", "англ")
    for n in (1, 2):
        sub = structure.group_create(
            actor=world.users["director"],
            year=rd.jw.year,
            name=f"7Б англ. {n}",
            kind=StudyGroup.Kind.SUBGROUP,
            parent=klass,
        )
        structure.assignment_create(
            actor=world.users["director"], group=sub, subject=english, teacher=teacher
        )
    return students


def _fits(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate(
        "el => el.scrollWidth <= el.clientWidth + 1 && "
        "el.getBoundingClientRect().right <= document.documentElement.clientWidth"
    )


def test_class_summary_fits_with_subgroup_links(laptop, live_server, world, rd, many_subjects):
    sign_in(laptop, live_server, "teacher", PASSWORD)
    laptop.goto(live_server.url + reverse("journal:class", args=[rd.jw.klass.pk]))

    heading = laptop.locator("table.class-grid thead th", has_text="англ")
    assert heading.locator("a").count() == 2
    assert heading.bounding_box()["width"] < 110
    assert _fits(laptop, ".table-wrap:has(table.class-grid)")


def test_class_report_fits(laptop, live_server, world, rd, many_subjects):
    sign_in(laptop, live_server, "teacher", PASSWORD)
    laptop.goto(
        live_server.url
        + reverse("journal:report_class", args=[rd.jw.klass.pk])
        + f"?period={rd.jw.q2.pk}"
    )

    assert _fits(laptop, ".table-wrap:has(table[aria-labelledby=report-students])")
