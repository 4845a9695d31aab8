"""The journal's imports follow the rules of the pages and the API: the students' names of
a classes file are refused with a formula or an invisible character, and the marks file
takes no mark ahead of its lesson — a row-level report, and nothing written."""

from __future__ import annotations

import pytest

from setka.journal.models import Mark, StudyGroup
from setka.network.models import Person

from ..clock import TODAY
from .test_imports import CLASS_HEADER, MARK_HEADER, counts, csv_bytes, import_url, upload

pytestmark = pytest.mark.django_db


def test_classes_import_refuses_bad_names_row_by_row(client_for, world, jw):
    data = csv_bytes([
        CLASS_HEADER,
        ["8А", "", "Петров", "Пётр", "Иванович", "01.02.2012"],
        ["8А", "", "=1+1", "Пётр", "", "02.02.2012"],
        ["8А", "", "Орлов", "\u202eрёткП", "", "03.02.2012"],
        ["8А", "", "Лисин", "Лев", "@Львович", "04.02.2012"],
    ], encoding="utf-8")  # fmt: skip
    before = counts()

    response = upload(client_for("director"), import_url(jw, "classes"), data)

    assert response.status_code == 400
    found = [(e["row"], e["column"], e["message"][:30]) for e in response.context["errors"]]
    assert found == [
        (3, "Фамилия", "A name cannot begin with “=”, "),
        (4, "Имя", "The name contains an invisible"),
        (5, "Отчество", "A name cannot begin with “=”, "),
    ]
    assert counts() == before
    assert not StudyGroup.objects.filter(name="8А").exists()
    assert not Person.objects.filter(surname="Петров").exists()


def test_marks_import_refuses_a_mark_ahead_of_its_lesson(client_for, world, jw):
    held = jw.lessons().filter(date__lt=TODAY).last()
    ahead = jw.lessons().filter(date__gt=TODAY).first()
    pupil = jw.students[0]
    data = csv_bytes([
        MARK_HEADER,
        [pupil.pk, "", f"{held.date:%d.%m.%Y}", held.number, "Математика", "5", ""],
        [pupil.pk, "", f"{ahead.date:%d.%m.%Y}", ahead.number, "Математика", "5", ""],
    ])  # fmt: skip

    response = upload(client_for("director"), import_url(jw, "marks"), data)

    assert response.status_code == 400
    assert [(e["row"], e["column"], e["message"]) for e in response.context["errors"]] == [
        (
            3,
            "Дата",
            f"The lesson of {ahead.date:%d.%m.%Y} has not taken place yet: its marks and "
            "attendance are entered on its day or later.",
        )
    ]
    assert Mark.objects.count() == 0
