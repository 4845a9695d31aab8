"""People: GET/PATCH /people/{id}, their memberships, parents and accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from setka.core.models import AuditEntry
from setka.network.models import Guardianship, Membership, Person
from tests import factories as f
from tests.conftest import ROLES

from .conftest import assert_problem, error_fields, table_counts

# Who may see / change whom, as network.rules decides; the rest get 404 (or 403 when they
# can see the person but not change them).
SEE_TEACHER = {"admin", "director", "teacher"}
SEE_STUDENT = {"admin", "director", "student", "parent"}
CHANGE = {"admin", "director"}


def _expect(response, role: str, see: set[str], change: set[str], ok: int = 200) -> None:
    if role == "anonymous":
        assert_problem(response, 401)
    elif role in change:
        assert response.status_code == ok, response.content
    elif role in see:
        assert_problem(response, 403)
    else:
        assert_problem(response, 404)


# --- detail and change --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_person_detail_teacher_permissions(api, world, role):
    response = api.as_(role).get(f"/people/{world.people['teacher'].pk}")

    _expect(response, role, SEE_TEACHER, SEE_TEACHER)


@pytest.mark.parametrize("role", ROLES)
def test_person_detail_student_permissions(api, world, role):
    response = api.as_(role).get(f"/people/{world.people['student'].pk}")

    _expect(response, role, SEE_STUDENT, SEE_STUDENT)


def test_person_detail_shape(api, world):
    student = world.people["student"]

    body = api.as_("parent").get(f"/people/{student.pk}").json()

    assert body["full_name"] == student.full_name
    assert body["birth_date"] == "2012-05-04"
    assert [(m["institution"]["short_name"], m["role"]) for m in body["memberships"]] == [
        ("Школа № 3", "student")
    ]
    assert [g["guardian"]["id"] for g in body["guardians"]] == [world.people["parent"].pk]
    assert body["guardians"][0]["kind"] == "mother"
    assert body["wards"] == []


def test_person_detail_missing_is_404(api, world):
    assert_problem(api.as_("admin").get("/people/999999"), 404)


@pytest.mark.parametrize("role", ROLES)
def test_person_update_permissions(api, world, role):
    teacher = world.people["teacher"]

    response = api.as_(role).patch(f"/people/{teacher.pk}", {"phone": "+7 999"})

    _expect(response, role, SEE_TEACHER, CHANGE)
    teacher.refresh_from_db()
    assert (teacher.phone == "+7 999") == (role in CHANGE)


def test_person_update_changes_and_audits(api, world):
    teacher = world.people["teacher"]

    response = api.as_("director").patch(
        f"/people/{teacher.pk}", {"surname": "Петрова", "email": "NEW@example.org"}
    )

    assert response.status_code == 200
    assert response.json()["surname"] == "Петрова"
    teacher.refresh_from_db()
    teacher.user.refresh_from_db()
    assert teacher.email == teacher.user.email == "new@example.org"
    entry = AuditEntry.objects.get(action="network.person.update", object_id=teacher.pk)
    assert set(entry.changes) == {"surname", "email"}


def test_person_update_future_birth_date_is_422(api, world):
    response = api.as_("director").patch(
        f"/people/{world.people['student'].pk}", {"birth_date": "2999-01-01"}
    )

    assert_problem(response, 422)
    assert error_fields(response) == {"birth_date"}


# --- memberships --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_membership_create_permissions(api, world, role):
    teacher = world.people["teacher"]

    response = api.as_(role).post(
        f"/people/{teacher.pk}/memberships",
        {"institution_id": world.school.pk, "role": "staff", "position": "завуч"},
    )

    _expect(response, role, SEE_TEACHER, CHANGE, ok=201)
    assert Membership.objects.filter(person=teacher, role="staff").exists() == (role in CHANGE)


def test_membership_create_in_institution_not_managed_is_422(api, world):
    before = table_counts()

    response = api.as_("director").post(
        f"/people/{world.people['teacher'].pk}/memberships",
        {"institution_id": world.ddt.pk, "role": "teacher"},
    )

    assert_problem(response, 422)
    assert error_fields(response) == {"institution_id"}
    assert table_counts() == before


def test_membership_create_by_municipal_admin_anywhere(api, world):
    response = api.as_("admin").post(
        f"/people/{world.people['teacher'].pk}/memberships",
        {"institution_id": world.ddt.pk, "role": "teacher", "starts_on": "2024-09-01"},
    )

    assert response.status_code == 201
    assert response.json()["institution"]["id"] == world.ddt.pk
    assert response.json()["starts_on"] == "2024-09-01"


@pytest.mark.parametrize("role", ROLES)
def test_membership_update_permissions(api, world, role):
    membership = Membership.objects.get(person=world.people["teacher"])

    response = api.as_(role).patch(f"/memberships/{membership.pk}", {"ends_on": "2030-06-30"})

    _expect(response, role, SEE_TEACHER, CHANGE)
    membership.refresh_from_db()
    assert (membership.ends_on == dt.date(2030, 6, 30)) == (role in CHANGE)


def test_membership_update_end_and_reopen(api, world):
    membership = Membership.objects.get(person=world.people["teacher"])
    api.as_("director")

    ended = api.patch(f"/memberships/{membership.pk}", {"ends_on": "2021-06-30", "position": "x"})
    reopened = api.patch(f"/memberships/{membership.pk}", {"ends_on": None})

    assert ended.json()["ends_on"] == "2021-06-30"
    assert ended.json()["is_active"] is False
    assert reopened.json()["ends_on"] is None
    assert reopened.json()["position"] == "x"
    assert AuditEntry.objects.filter(action="network.membership.update").count() == 2


def test_membership_update_end_before_start_is_422(api, world):
    membership = Membership.objects.get(person=world.people["teacher"])

    response = api.as_("director").patch(f"/memberships/{membership.pk}", {"ends_on": "2001-01-01"})

    assert_problem(response, 422)
    membership.refresh_from_db()
    assert membership.ends_on is None


def test_membership_update_missing_is_404(api, world):
    assert_problem(api.as_("admin").patch("/memberships/999999", {"position": "x"}), 404)


# --- guardianship -------------------------------------------------------------------------

NEW_PARENT = {"guardian": {"surname": "Учеников", "given_name": "Павел"}, "kind": "father"}


@pytest.mark.parametrize("role", ROLES)
def test_guardian_create_permissions(api, world, role):
    student = world.people["student"]

    response = api.as_(role).post(f"/people/{student.pk}/guardians", NEW_PARENT)

    _expect(response, role, SEE_STUDENT, CHANGE, ok=201)
    assert Guardianship.objects.filter(student=student).count() == 1 + (role in CHANGE)


def test_guardian_create_new_parent(api, world):
    student = world.people["student"]

    response = api.as_("director").post(f"/people/{student.pk}/guardians", NEW_PARENT)

    body = response.json()
    assert body["kind"] == "father"
    assert body["student"]["id"] == student.pk
    assert Person.objects.get(pk=body["guardian"]["id"]).municipality == world.municipality


def test_guardian_create_link_existing_parent_of_sibling(api, world):
    sibling = f.PersonFactory(municipality=world.municipality)
    f.MembershipFactory(person=sibling, institution=world.school, role="student")

    response = api.as_("director").post(
        f"/people/{sibling.pk}/guardians", {"guardian_id": world.people["parent"].pk}
    )

    assert response.status_code == 201
    assert Guardianship.objects.filter(guardian=world.people["parent"], student=sibling).exists()


def test_guardian_create_stranger_is_422(api, world):
    response = api.as_("director").post(
        f"/people/{world.people['student'].pk}/guardians",
        {"guardian_id": world.people["other_parent"].pk},
    )

    assert error_fields(response) == {"guardian_id"}


def test_guardian_create_twice_is_422(api, world):
    response = api.as_("director").post(
        f"/people/{world.people['student'].pk}/guardians",
        {"guardian_id": world.people["parent"].pk},
    )

    assert_problem(response, 422)
    assert error_fields(response) == {"guardian"}


@pytest.mark.parametrize("role", ROLES)
def test_guardianship_end_permissions(api, world, role):
    guardianship = Guardianship.objects.get(student=world.people["student"])

    response = api.as_(role).post(f"/guardianships/{guardianship.pk}/end")

    _expect(response, role, SEE_STUDENT, CHANGE)
    guardianship.refresh_from_db()
    assert (guardianship.ends_on is not None) == (role in CHANGE)


def test_guardianship_end_is_idempotent(api, world):
    guardianship = Guardianship.objects.get(student=world.people["student"])
    api.as_("director")

    first = api.post(f"/guardianships/{guardianship.pk}/end")
    second = api.post(f"/guardianships/{guardianship.pk}/end")

    assert first.json()["ends_on"] == second.json()["ends_on"]
    assert AuditEntry.objects.filter(action="network.guardianship.end").count() == 1


# --- accounts -----------------------------------------------------------------------------


@pytest.fixture
def newcomer(world):
    person = f.PersonFactory(municipality=world.municipality, email="newcomer@example.org")
    f.MembershipFactory(person=person, institution=world.school, role="teacher")
    return person


@pytest.mark.parametrize("role", ROLES)
def test_account_create_permissions(api, world, newcomer, role):
    response = api.as_(role).post(f"/people/{newcomer.pk}/account")

    _expect(response, role, CHANGE | {"teacher"}, CHANGE, ok=201)
    newcomer.refresh_from_db()
    assert (newcomer.user_id is not None) == (role in CHANGE)


def test_account_create_sends_invitation(api, world, newcomer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_("director").post(f"/people/{newcomer.pk}/account")

    body = response.json()
    newcomer.refresh_from_db()
    assert body == {
        "person_id": newcomer.pk,
        "username": newcomer.user.username,
        "invitation_sent": True,
    }
    assert [m.to for m in mail.outbox] == [["newcomer@example.org"]]


def test_account_create_without_invitation(
    api, world, newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_("director").post(
            f"/people/{newcomer.pk}/account", {"send_invitation": False}
        )

    assert response.json()["invitation_sent"] is False
    assert mail.outbox == []


def test_account_create_twice_is_422(api, world):
    before = table_counts()

    response = api.as_("director").post(f"/people/{world.people['teacher'].pk}/account")

    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] is None
    assert table_counts() == before
