"""GET /me: the account, the person, memberships, municipal roles and children."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.network.models import Membership
from tests import factories as f

from .conftest import assert_problem


def test_me_anonymous_is_401(api, world):
    assert_problem(api.as_("anonymous").get("/me"), 401)


def test_me_teacher_sees_person_and_membership(api, world):
    response = api.as_("teacher").get("/me")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "teacher"
    assert body["person"]["id"] == world.people["teacher"].pk
    assert body["person"]["email"] == "teacher@example.org"
    assert [(m["institution"]["id"], m["role"]) for m in body["memberships"]] == [
        (world.school.pk, "teacher")
    ]
    assert body["memberships"][0]["role_display"] == "teacher"
    assert body["municipal_roles"] == []
    assert body["children"] == []


def test_me_hides_ended_memberships(api, world):
    f.MembershipFactory(
        person=world.people["teacher"],
        institution=world.ddt,
        starts_on=dt.date(2015, 9, 1),
        ends_on=dt.date(2019, 5, 31),
    )

    body = api.as_("teacher").get("/me").json()

    assert [m["institution"]["id"] for m in body["memberships"]] == [world.school.pk]


def test_me_metodist_sees_municipal_role(api, world):
    body = api.as_("metodist").get("/me").json()

    assert [r["role"] for r in body["municipal_roles"]] == ["methodologist"]
    assert body["municipal_roles"][0]["municipality_name"] == world.municipality.name
    assert [m["institution"]["id"] for m in body["memberships"]] == [world.imc.pk]


def test_me_parent_sees_children_with_schools(api, world):
    body = api.as_("parent").get("/me").json()

    assert [c["id"] for c in body["children"]] == [world.people["student"].pk]
    child = body["children"][0]
    assert child["birth_date"] == "2012-05-04"
    assert [(m["institution"]["id"], m["role"]) for m in child["memberships"]] == [
        (world.school.pk, Membership.Role.STUDENT)
    ]


def test_me_user_without_person(api, client, world):
    user = f.UserFactory(username="lonely")
    client.force_login(user)

    body = api.get("/me").json()

    assert body["person"] is None
    assert body["memberships"] == []
    assert body["children"] == []
    assert body["display_name"] == "lonely"


@pytest.mark.parametrize("n_children", [1, 4])
def test_me_query_budget(api, world, django_assert_num_queries, n_children):
    parent = world.people["parent"]
    for _ in range(n_children - 1):
        child = f.PersonFactory(municipality=world.municipality)
        f.MembershipFactory(person=child, institution=world.school, role="student")
        f.GuardianshipFactory(guardian=parent, student=child)
    api.as_("parent")

    # session, user, person, its memberships, municipal roles, children, their memberships
    with django_assert_num_queries(7):
        response = api.get("/me")

    assert len(response.json()["children"]) == n_children
