"""The people of an institution: GET and POST /institutions/{id}/members."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.core.models import AuditEntry
from setka.network.models import Membership, Person
from tests import factories as f
from tests.conftest import ROLES

from .conftest import assert_problem, error_fields, table_counts

VIEWERS = {"admin", "metodist", "director"}
MANAGERS = {"admin", "director"}


def _expect(response, role: str, allowed: set[str], ok: int = 200) -> None:
    if role == "anonymous":
        assert_problem(response, 401)
    elif role in allowed:
        assert response.status_code == ok, response.content
    else:
        assert_problem(response, 403)


# --- list ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_member_list_permissions(api, world, role):
    response = api.as_(role).get(f"/institutions/{world.school.pk}/members")

    _expect(response, role, VIEWERS)
    if role in VIEWERS:
        body = response.json()
        assert body["count"] == 3
        assert [m["person"]["surname"] for m in body["items"]] == [
            "Директорова",
            "Ученикова",
            "Учителева",
        ]


def test_member_list_item_shape(api, world):
    body = api.as_("director").get(f"/institutions/{world.school.pk}/members?role=teacher").json()

    (item,) = body["items"]
    membership = Membership.objects.get(person=world.people["teacher"])
    assert item["id"] == membership.pk
    assert item["role"] == "teacher"
    assert item["is_active"] is True
    assert item["person"]["id"] == world.people["teacher"].pk
    assert item["person"]["email"] == "teacher@example.org"
    assert item["person"]["has_account"] is True


def test_member_list_filters(api, world):
    f.MembershipFactory(
        person=f.PersonFactory(municipality=world.municipality, surname="Бывшева"),
        institution=world.school,
        ends_on=dt.date(2021, 6, 1),
    )
    api.as_("director")
    url = f"/institutions/{world.school.pk}/members"

    def surnames(query: str) -> list[str]:
        return [m["person"]["surname"] for m in api.get(f"{url}?{query}").json()["items"]]

    assert surnames("role=student") == ["Ученикова"]
    assert surnames("q=Учит") == ["Учителева"]
    assert surnames("status=former") == ["Бывшева"]
    assert "Бывшева" not in surnames("status=active")
    assert "Бывшева" in surnames("status=all")


@pytest.mark.parametrize(
    "query", ["role=king", "status=gone", "page=0", "page_size=500", "q=" + "x" * 201]
)
def test_member_list_bad_query_is_422(api, world, query):
    response = api.as_("director").get(f"/institutions/{world.school.pk}/members?{query}")

    assert_problem(response, 422)


def test_member_list_closed_institution_is_404_for_its_director(api, world):
    world.school.is_active = False
    world.school.save()

    assert_problem(api.as_("director").get(f"/institutions/{world.school.pk}/members"), 404)


@pytest.mark.parametrize("n", [1, 25])
def test_member_list_query_budget(api, world, django_assert_num_queries, n):
    for _ in range(n):
        f.MembershipFactory(
            person=f.PersonFactory(municipality=world.municipality), institution=world.school
        )
    api.as_("director")

    # session, user, institution, roles, count, page
    with django_assert_num_queries(6):
        response = api.get(f"/institutions/{world.school.pk}/members?page_size=200")

    assert response.json()["count"] == 3 + n


# --- create -------------------------------------------------------------------------------

NEW_PERSON = {
    "person": {
        "surname": " Новикова ",
        "given_name": "Ирина",
        "patronymic": "Павловна",
        "email": "Novikova@Example.org",
        "phone": "+7 900 000-00-00",
    },
    "role": "teacher",
    "position": "учитель физики",
}


@pytest.mark.parametrize("role", ROLES)
def test_member_create_permissions(api, world, role):
    before = table_counts()

    response = api.as_(role).post(f"/institutions/{world.school.pk}/members", NEW_PERSON)

    _expect(response, role, MANAGERS, ok=201)
    if role not in MANAGERS:
        assert table_counts() == before


def test_member_create_new_person(api, world):
    response = api.as_("director").post(f"/institutions/{world.school.pk}/members", NEW_PERSON)

    body = response.json()
    membership = Membership.objects.select_related("person").get(pk=body["id"])
    assert membership.institution == world.school
    assert membership.role == "teacher"
    assert membership.position == "учитель физики"
    assert membership.person.surname == "Новикова"
    assert membership.person.email == "novikova@example.org"
    assert membership.person.municipality == world.municipality
    assert body["person"]["full_name"] == "Новикова Ирина Павловна"
    assert body["person"]["has_account"] is False
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"network.person.create", "network.membership.create"} <= actions


def test_member_create_existing_person_they_manage(api, world):
    student = world.people["student"]

    response = api.as_("director").post(
        f"/institutions/{world.school.pk}/members",
        {"person_id": student.pk, "role": "staff", "starts_on": "2024-09-01"},
    )

    assert response.status_code == 201
    assert Membership.objects.filter(person=student, role="staff").exists()


def test_member_create_person_they_do_not_manage_is_422(api, world):
    before = table_counts()

    response = api.as_("director").post(
        f"/institutions/{world.school.pk}/members",
        {"person_id": world.people["admin"].pk, "role": "staff"},
    )

    assert_problem(response, 422)
    assert error_fields(response) == {"person_id"}
    assert table_counts() == before


def test_member_create_both_or_neither_person_is_422(api, world):
    url = f"/institutions/{world.school.pk}/members"
    api.as_("director")

    both = api.post(url, {**NEW_PERSON, "person_id": world.people["teacher"].pk})
    neither = api.post(url, {"role": "teacher"})

    assert error_fields(both) == error_fields(neither) == {"person"}


def test_member_create_bad_membership_writes_no_person(api, world):
    before = table_counts()

    response = api.as_("director").post(
        f"/institutions/{world.school.pk}/members",
        {**NEW_PERSON, "starts_on": "2024-09-01", "ends_on": "2024-01-01"},
    )

    assert_problem(response, 422)
    assert error_fields(response) == {"ends_on"}
    assert table_counts() == before
    assert not Person.objects.filter(surname="Новикова").exists()


def test_member_create_bad_person_names_nested_fields(api, world):
    response = api.as_("director").post(
        f"/institutions/{world.school.pk}/members",
        {**NEW_PERSON, "person": {**NEW_PERSON["person"], "email": "nope"}},
    )

    assert error_fields(response) == {"person.email"}


def test_member_create_duplicate_role_is_422(api, world):
    response = api.as_("director").post(
        f"/institutions/{world.school.pk}/members",
        {"person_id": world.people["teacher"].pk, "role": "teacher"},
    )

    assert_problem(response, 422)
    assert error_fields(response) == {"role"}


def test_member_create_missing_institution_is_404(api, world):
    assert_problem(api.as_("admin").post("/institutions/999999/members", NEW_PERSON), 404)


def test_member_create_takes_the_person_the_network_already_knows(api, world):
    """The same de-duplication as the page's "add a person": a student of another school
    described by full name and date of birth gets the role, no second person is made."""
    known = Person.objects.create(
        municipality=world.municipality, surname="Громова", given_name="Алиса",
        patronymic="Игоревна", birth_date=dt.date(2012, 3, 4),
    )  # fmt: skip
    details = {"surname": "громова", "given_name": "Алиса", "patronymic": "Игоревна",
               "birth_date": "2012-03-04"}  # fmt: skip

    response = api.as_("director").post(
        f"/institutions/{world.school.pk}/members", {"person": details, "role": "student"}
    )

    assert response.status_code == 201
    assert response.json()["person"]["id"] == known.pk
    assert Person.objects.filter(surname__iexact="Громова").count() == 1
    assert Membership.objects.filter(person=known, institution=world.school).exists()


def test_member_create_with_another_persons_email_is_422(api, world):
    teacher = world.people["teacher"]
    before = table_counts()
    details = {**NEW_PERSON["person"], "email": teacher.email}

    response = api.as_("director").post(
        f"/institutions/{world.school.pk}/members", {**NEW_PERSON, "person": details}
    )

    assert_problem(response, 422)
    assert error_fields(response) == {"person.email"}
    assert table_counts() == before
