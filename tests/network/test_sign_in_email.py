"""The sign-in e-mail of an account and what a head of school sees of a person (issue 6, §2):
only someone who governs every role of an account may change its e-mail (the page and the API
refuse alike), the old address is told, the person's card and the API show the change, and a
head of school sees only the relatives they govern."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from setka.network.models import Membership, MunicipalRole
from tests import factories as f
from tests.clock import TODAY

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}
LOCKED_RU = "Человек входит в систему с этим адресом"


def _patch(client, person, email):
    return client.patch(
        f"/api/v1/people/{person.pk}",
        json.dumps({"email": email}),
        content_type="application/json",
        **RU,
    )


def _edit(client, person, email):
    data = {"surname": person.surname, "given_name": person.given_name, "email": email}
    return client.post(reverse("network:person_edit", args=[person.pk]), data, **RU)


@pytest.fixture
def partner_at_school(world):
    """``partner`` teaches at the ДДТ and at school №3."""
    partner = world.people["partner"]
    f.MembershipFactory(person=partner, institution=world.school, role=Membership.Role.TEACHER)
    return partner


@pytest.fixture
def parent_of_two(world):
    """``parent`` has a child at school №3 and another at school №5."""
    parent = world.people["parent"]
    f.GuardianshipFactory(guardian=parent, student=world.people["other_student"])
    return parent


def _reload(person):
    person.refresh_from_db()
    person.user.refresh_from_db()
    return person.email, person.user.email


# --- who may change the sign-in e-mail ------------------------------------------------------


def test_head_cannot_change_email_of_a_teacher_of_another_institution_through_the_api(
    client_for, partner_at_school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _patch(client_for("director"), partner_at_school, "evil@example.org")

    assert response.status_code == 403
    assert LOCKED_RU in response.json()["detail"]
    assert _reload(partner_at_school) == ("partner@example.org", "partner@example.org")
    assert mail.outbox == []


def test_head_cannot_change_email_of_a_parent_with_a_child_elsewhere(client_for, parent_of_two):
    response = _patch(client_for("director"), parent_of_two, "evil@example.org")

    assert response.status_code == 403
    assert _reload(parent_of_two) == ("parent@example.org", "parent@example.org")


def test_head_cannot_change_email_of_the_municipal_admin(client_for, world):
    admin = world.people["admin"]
    f.MembershipFactory(person=admin, institution=world.school, role=Membership.Role.TEACHER)

    response = _patch(client_for("director"), admin, "evil@example.org")

    assert response.status_code == 403
    assert _reload(admin) == ("admin@example.org", "admin@example.org")


def test_head_cannot_change_email_of_a_staff_account(client_for, world):
    teacher = world.people["teacher"]
    teacher.user.is_staff = True
    teacher.user.save()

    response = _patch(client_for("director"), teacher, "evil@example.org")

    assert response.status_code == 403


def test_page_refuses_as_the_api_does(client_for, partner_at_school):
    client = client_for("director")

    api = _patch(client, partner_at_school, "evil@example.org")
    page = _edit(client, partner_at_school, "evil@example.org")

    assert (api.status_code, page.status_code) == (403, 403)
    assert page.context["form"].errors["email"] == [api.json()["detail"]]
    assert _reload(partner_at_school) == ("partner@example.org", "partner@example.org")


def test_page_disables_the_email_of_an_account_the_head_does_not_govern(
    client_for, partner_at_school
):
    client = client_for("director")

    page = client.get(reverse("network:person_edit", args=[partner_at_school.pk]), **RU)
    saved = _edit(client, partner_at_school, "partner@example.org")  # the address unchanged

    assert page.context["form"].fields["email"].disabled is True
    assert saved.status_code == 302


def test_head_changes_email_of_someone_only_at_their_school(
    client_for, world, django_capture_on_commit_callbacks
):
    teacher = world.people["teacher"]

    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(client_for("director"), teacher, "new.teacher@example.org")

    assert response.status_code == 302
    assert _reload(teacher) == ("new.teacher@example.org", "new.teacher@example.org")
    assert [m.to for m in mail.outbox] == [["teacher@example.org"]]


def test_head_may_change_email_when_the_other_role_has_ended(client_for, partner_at_school):
    Membership.objects.filter(person=partner_at_school, institution__slug="ddt").update(
        starts_on=TODAY - dt.timedelta(days=400), ends_on=TODAY - dt.timedelta(days=1)
    )

    response = _patch(client_for("director"), partner_at_school, "new@example.org")

    assert response.status_code == 200
    assert _reload(partner_at_school) == ("new@example.org", "new@example.org")


def test_municipal_admin_changes_any_email_and_the_old_address_is_told(
    client_for, parent_of_two, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _patch(client_for("admin"), parent_of_two, "New.Parent@example.org")

    assert response.status_code == 200
    assert _reload(parent_of_two) == ("new.parent@example.org", "new.parent@example.org")
    [notice] = mail.outbox
    assert notice.to == ["parent@example.org"]
    assert notice.subject == "Адрес электронной почты вашей учётной записи в Сетке изменён"
    assert "new.parent@example.org" in notice.body
    assert "Админова" in notice.body  # who changed it
    assert "parent" in notice.body  # the login


@override_settings(LANGUAGE_CODE="en")
def test_the_notice_is_available_in_english(client_for, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _patch(client_for("admin"), world.people["teacher"], "t2@example.org")

    [notice] = mail.outbox
    assert notice.subject == "The e-mail address of your Setka account has been changed"
    assert "Old address: teacher@example.org" in notice.body


def test_a_person_without_an_account_has_no_sign_in_email(client_for, world):
    person = world.people["other_student"]
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.STUDENT)

    response = _patch(client_for("director"), person, "oleg@example.org")

    assert response.status_code == 200
    assert mail.outbox == []


def test_municipal_role_is_governed_by_municipal_admins_only(world):
    metodist = world.people["metodist"]
    director = world.users["director"]
    f.MembershipFactory(person=metodist, institution=world.school, role=Membership.Role.TEACHER)
    Membership.objects.filter(person=metodist, institution=world.imc).delete()

    assert MunicipalRole.objects.filter(person=metodist).exists()
    assert director.has_perm("network.change_person", metodist)
    assert not director.has_perm("network.change_sign_in_email", metodist)
    assert world.users["admin"].has_perm("network.change_sign_in_email", metodist)


# --- the change shown on the card and in the API ------------------------------------------


def test_card_and_api_show_the_change(client_for, world):
    teacher = world.people["teacher"]
    client = client_for("admin")
    _patch(client, teacher, "new.teacher@example.org")

    page = client.get(reverse("network:person", args=[teacher.pk]), **RU)
    api = client.get(f"/api/v1/people/{teacher.pk}", **RU)

    html = page.content.decode()
    assert "изменён с teacher@example.org на new.teacher@example.org" in html
    assert "Админова" in html
    [change] = api.json()["email_changes"]
    assert (change["old"], change["new"]) == ("teacher@example.org", "new.teacher@example.org")
    assert change["by"] == page.context["email_changes"][0].by


def test_colleague_does_not_see_the_email_history(client_for, world):
    _patch(client_for("admin"), world.people["teacher"], "new.teacher@example.org")
    colleague = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=colleague, institution=world.school, role=Membership.Role.TEACHER)
    client = client_for("anonymous")
    client.force_login(colleague.user)

    api = client.get(f"/api/v1/people/{world.people['teacher'].pk}", **RU)

    assert api.status_code == 200
    assert api.json()["email_changes"] == []
    assert api.json()["birth_date"] is None


# --- what a head sees of a person ------------------------------------------------------------


def test_head_sees_only_the_child_at_their_school_in_the_api(client_for, world, parent_of_two):
    response = client_for("director").get(f"/api/v1/people/{parent_of_two.pk}")

    assert response.status_code == 200
    wards = [w["student"]["id"] for w in response.json()["wards"]]
    assert wards == [world.people["student"].pk]
    assert "Другов" not in response.content.decode()


def test_head_sees_only_the_child_at_their_school_on_the_page(client_for, world, parent_of_two):
    response = client_for("director").get(reverse("network:person", args=[parent_of_two.pk]))

    assert [g.student for g in response.context["children"]] == [world.people["student"]]
    assert "Другов" not in response.content.decode()


def test_municipal_admin_and_the_parent_see_both_children(client_for, world, parent_of_two):
    url = f"/api/v1/people/{parent_of_two.pk}"

    seen = {role: len(client_for(role).get(url).json()["wards"]) for role in ("admin", "parent")}

    assert seen == {"admin": 2, "parent": 2}


def test_head_does_not_see_a_student_membership_at_another_school(client_for, world):
    student = world.people["student"]
    f.MembershipFactory(person=student, institution=world.other_school, role="student")

    response = client_for("director").get(f"/api/v1/people/{student.pk}")

    where = [m["institution"]["id"] for m in response.json()["memberships"]]
    assert where == [world.school.pk]
