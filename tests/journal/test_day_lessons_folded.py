"""«Уроки дня»: classes in their natural order (1А … 10А, 11Б — not 10А, 11Б, 1А), the day
folded by grade (details/summary), subgroups with their class's grade, the class filter in
the same natural order."""

from __future__ import annotations

import re

from django.urls import reverse

from setka.journal.models import Lesson, StudyGroup
from setka.journal.natural import natural_key
from setka.journal.services import structure

from ..clock import TODAY


def _lesson(world, jw, group, number):
    return Lesson.objects.create(
        institution=world.school,
        year=jw.year,
        period=jw.q2,
        group=group,
        subject=jw.maths,
        teacher=world.people["teacher"],
        date=TODAY,
        number=number,
    )


def test_natural_key_orders_classes_by_number():
    names = ["10А", "11Б", "1А", "2Б", "1Б", "7Б англ. 2", "7Б англ. 1"]
    assert sorted(names, key=natural_key) == [
        "1А", "1Б", "2Б", "7Б англ. 1", "7Б англ. 2", "10А", "11Б",
    ]  # fmt: skip


def test_day_is_folded_by_grade_in_natural_order(client_for, world, jw):
    director = world.users["director"]
    for name, grade, letter in [("10А", 10, "А"), ("11Б", 11, "Б"), ("1А", 1, "А")]:
        group = structure.group_create(
            actor=director, year=jw.year, name=name, grade=grade, letter=letter
        )
        _lesson(world, jw, group, 1)
    sub = structure.group_create(
        actor=director, year=jw.year, name="7Б англ. 1", kind=StudyGroup.Kind.SUBGROUP,
        parent=jw.klass,
    )  # fmt: skip
    _lesson(world, jw, sub, 4)

    response = client_for("director").get(
        reverse("journal:structure_day", args=[jw.year.pk]) + f"?date={TODAY.isoformat()}",
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    html = response.content.decode()
    summaries = re.findall(r"<summary>\s*([^<]+?)\s*<small", html)
    assert summaries == ["1-е классы", "7-е классы", "10-е классы", "11-е классы"]
    assert html.count('<details class="grade-fold"') == 4
    fold7 = html[html.index("7-е классы") : html.index("10-е классы")]
    assert "7Б англ. 1" in fold7
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', html.split('id="group"')[1])
    assert options.index("1А") < options.index("7Б") < options.index("10А") < options.index("11Б")
