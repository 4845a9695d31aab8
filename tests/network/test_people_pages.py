"""The people of an institution: the list, adding a person, the card, roles, parents, accounts."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from setka.core.models import AuditEntry
from setka.network.models import Guardianship, Membership, Person, today

from .. import factories as f

pytestmark = pytest.mark.django_db

PEOPLE = reverse("network:people", args=["school-3"])
ADD = reverse("network:person_add", args=["school-3"])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _url(name: str, pk: int) -> str:
    return reverse(f"network:{name}", args=[pk])


def _add_post(**overrides) -> dict:
    data = {
        "surname": "Новикова",
        "given_name": "Алина",
        "patronymic": "Сергеевна",
        "email": "",
        "phone": "",
        "birth_date": "2013-02-03",
        "role": "student",
        "position": "6 Б",
        "starts_on": "2024-09-01",
        "parent-kind": "mother",
    }
    data.update(overrides)
    return data


# --- permissions ----------------------------------------------------------------------------

MANAGERS = {"admin": 200, "director": 200}
NOBODY_ELSE = dict.fromkeys(
    ["metodist", "teacher", "student", "parent", "partner", "other_teacher", "other_parent"], 404
)


@pytest.mark.parametrize(
    ("role", "status"), [*MANAGERS.items(), *{**NOBODY_ELSE, "metodist": 200}.items()]
)
def test_people_list_permission_matrix(client_for, role, status):
    assert client_for(role).get(PEOPLE).status_code == status


@pytest.mark.parametrize(
    "url",
    [
        ADD,
        reverse("network:people_import", args=["school-3"]),
        reverse("network:people_import_template", args=["school-3", "csv"]),
    ],
)
@pytest.mark.parametrize(("role", "status"), [*MANAGERS.items(), *NOBODY_ELSE.items()])
def test_people_management_pages_permission_matrix(client_for, url, role, status):
    assert client_for(role).get(url).status_code == status


@pytest.mark.parametrize("url", [PEOPLE, ADD, reverse("network:people_import", args=["school-3"])])
def test_people_pages_redirect_anonymous(client_for, url):
    response = client_for("anonymous").get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_people_of_another_school_are_404_for_director(client_for):
    assert (
        client_for("director").get(reverse("network:people", args=["school-5"])).status_code == 404
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("director", 200),
        ("student", 200),
        ("parent", 200),
        ("metodist", 404),
        ("teacher", 404),
        ("partner", 404),
        ("other_teacher", 404),
        ("other_parent", 404),
    ],
)
def test_student_card_permission_matrix(client_for, world, role, status):
    response = client_for(role).get(_url("person", world.people["student"].pk))

    assert response.status_code == status


@pytest.mark.parametrize("name", ["person_edit", "membership_add", "guardian_add"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("director", 200),
        ("student", 404),
        ("parent", 404),
        ("teacher", 404),
        ("metodist", 404),
        ("other_teacher", 404),
        ("other_parent", 404),
    ],
)
def test_student_change_pages_permission_matrix(client_for, world, name, role, status):
    response = client_for(role).get(_url(name, world.people["student"].pk))

    assert response.status_code == status


def test_teacher_sees_a_colleague_card_without_family(client_for, world):
    response = client_for("teacher").get(_url("person", world.people["director"].pk))

    assert response.status_code == 200
    assert response.context["full"] is False
    assert "guardians" not in response.context


def test_missing_person_is_404(client_for):
    assert client_for("admin").get(_url("person", 999999)).status_code == 404


# --- the list -------------------------------------------------------------------------------


def test_people_list_shows_current_members(client_for, world):
    response = client_for("director").get(PEOPLE)

    names = [m.person.surname for m in response.context["page"]]
    assert names == ["Директорова", "Ученикова", "Учителева"]
    assert response.context["can_manage"] is True


def test_people_list_filters_by_role_state_and_name(client_for, world):
    ended = Membership.objects.get(person=world.people["teacher"])
    ended.ends_on = dt.date(2023, 5, 31)
    ended.save()
    client = client_for("director")

    students = client.get(PEOPLE, {"role": "student"}).context["page"]
    former = client.get(PEOPLE, {"state": "former"}).context["page"]
    found = client.get(PEOPLE, {"q": "директ"}).context["page"]

    assert [m.person.surname for m in students] == ["Ученикова"]
    assert [m.person.surname for m in former] == ["Учителева"]
    assert [m.person.surname for m in found] == ["Директорова"]


def test_people_list_is_read_only_for_methodologist(client_for):
    response = client_for("metodist").get(PEOPLE)

    assert response.context["can_manage"] is False
    assert reverse("network:person_add", args=["school-3"]) not in response.content.decode()


def test_people_list_paginates_by_50(client_for, world):
    f.MembershipFactory.create_batch(
        55, institution=world.school, role="student", person__municipality=world.municipality
    )

    first = client_for("director").get(PEOPLE)
    second = client_for("director").get(PEOPLE, {"page": 2})

    assert len(first.context["page"]) == 50
    assert 'href="?page=2"' in first.content.decode()
    assert len(second.context["page"]) == 58 - 50


@pytest.mark.parametrize("extra", [0, 30])
def test_people_list_query_budget(client_for, django_assert_num_queries, world, extra):
    f.MembershipFactory.create_batch(
        extra, institution=world.school, person__municipality=world.municipality
    )
    client = client_for("director")

    # session, user, roles, the user's person (header), institution, count, page, role counts
    with django_assert_num_queries(8):
        response = client.get(PEOPLE)

    assert response.status_code == 200


# --- adding a person ------------------------------------------------------------------------


def test_person_add_creates_person_membership_and_audit(client_for, world):
    response = client_for("director").post(ADD, _add_post(role="teacher", birth_date=""))

    person = Person.objects.get(surname="Новикова")
    assert response.status_code == 302
    assert response["Location"] == _url("person", person.pk)
    membership = person.memberships.get()
    assert (membership.institution, membership.role, membership.position) == (
        world.school,
        "teacher",
        "6 Б",
    )
    assert membership.starts_on == dt.date(2024, 9, 1)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions == {"network.person.create", "network.membership.create"}


def test_person_add_student_with_parent(client_for, world):
    response = client_for("director").post(
        ADD,
        _add_post(
            **{
                "parent-surname": "Новикова",
                "parent-given_name": "Ольга",
                "parent-email": "olga@example.org",
                "parent-kind": "mother",
            }
        ),
    )

    assert response.status_code == 302
    student = Person.objects.get(given_name="Алина")
    parent = Person.objects.get(email="olga@example.org")
    link = Guardianship.objects.get(student=student)
    assert (link.guardian, link.kind) == (parent, "mother")
    assert AuditEntry.objects.filter(action="network.guardianship.create").count() == 1


def test_person_add_attaches_to_existing_person_by_email(client_for, world):
    partner = world.people["partner"]
    before = Person.objects.count()

    response = client_for("director").post(
        ADD,
        _add_post(
            surname="Партнёров",
            given_name="Игорь",
            patronymic="",
            email="PARTNER@example.org",
            role="teacher",
            birth_date="",
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert Person.objects.count() == before
    assert partner.memberships.filter(institution=world.school, role="teacher").exists()
    assert "already in the network" in _messages(response)[0]


def test_person_add_attaches_by_full_name_and_birth_date(client_for, world):
    student = world.people["other_student"]
    before = Person.objects.count()

    client_for("director").post(
        ADD,
        _add_post(
            surname="другов", given_name="Олег", patronymic="Сергеевич", birth_date="2013-01-02"
        ),
    )

    assert Person.objects.count() == before
    assert student.memberships.filter(institution=world.school).exists()


def test_person_add_someone_elses_email_is_an_error(client_for, world):
    before = Person.objects.count()

    response = client_for("director").post(ADD, _add_post(email="teacher@example.org"))

    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert Person.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_person_add_existing_role_is_an_error(client_for, world):
    response = client_for("director").post(
        ADD,
        _add_post(
            surname="Учителева", given_name="Мария", email="teacher@example.org", role="teacher"
        ),
    )

    assert response.status_code == 400
    assert "role" in response.context["form"].errors
    assert Membership.objects.filter(person=world.people["teacher"]).count() == 1


def test_person_add_parent_for_a_teacher_is_an_error(client_for):
    response = client_for("director").post(
        ADD, _add_post(role="teacher", **{"parent-surname": "Иванова", "parent-given_name": "Анна"})
    )

    assert response.status_code == 400
    assert not Person.objects.filter(surname="Новикова").exists()


def test_person_add_half_filled_parent_is_an_error(client_for):
    response = client_for("director").post(ADD, _add_post(**{"parent-email": "p@example.org"}))

    assert response.status_code == 400
    assert "surname" in response.context["parent_form"].errors
    assert not Person.objects.filter(surname="Новикова").exists()


def test_person_add_missing_fields_is_400_and_writes_nothing(client_for):
    response = client_for("director").post(ADD, _add_post(surname="", role="", birth_date="31.02"))

    assert response.status_code == 400
    assert {"surname", "role", "birth_date"} <= set(response.context["form"].errors)
    assert not AuditEntry.objects.exists()


def test_person_add_and_another_returns_to_the_form(client_for):
    response = client_for("director").post(ADD, _add_post(another="1"))

    assert response["Location"] == f"{ADD}?role=student"


def test_person_add_forbidden_post_writes_nothing(client_for):
    response = client_for("teacher").post(ADD, _add_post())

    assert response.status_code == 404
    assert not Person.objects.filter(surname="Новикова").exists()


# --- the card and its actions ---------------------------------------------------------------


def test_person_card_shows_roles_parents_and_account(client_for, world):
    response = client_for("director").get(_url("person", world.people["student"].pk))

    assert response.context["can_change"] is True
    assert [g.guardian for g in response.context["guardians"]] == [world.people["parent"]]
    assert response.context["is_student"] is True
    assert [m.can_end for m in response.context["memberships"]] == [True]


def test_person_edit_changes_and_audits(client_for, world):
    student = world.people["student"]

    response = client_for("director").post(
        _url("person_edit", student.pk),
        {
            "surname": "Ученикова",
            "given_name": "Дарья",
            "patronymic": "Сергеевич",
            "phone": "+7 900 000-00-00",
            "birth_date": "2012-05-04",
            "email": "student@example.org",
        },
    )

    student.refresh_from_db()
    assert response.status_code == 302
    assert student.phone == "+7 900 000-00-00"
    assert AuditEntry.objects.get(action="network.person.update").changes == {
        "phone": ["", "+7 900 000-00-00"]
    }


def test_person_edit_invalid_is_400(client_for, world):
    response = client_for("director").post(
        _url("person_edit", world.people["student"].pk), {"surname": "", "given_name": "Дарья"}
    )

    assert response.status_code == 400
    assert not AuditEntry.objects.exists()


def test_person_edit_email_is_refused_for_someone_with_wider_rights(client_for, world):
    partner = world.people["partner"]
    f.MembershipFactory(person=partner, institution=world.school, role="teacher")

    response = client_for("director").post(
        _url("person_edit", partner.pk),
        {"surname": "Партнёров", "given_name": "Игорь", "email": "evil@example.org"},
    )

    partner.refresh_from_db()
    partner.user.refresh_from_db()
    assert response.status_code == 403  # as the API answers (tests/network/test_sign_in_email)
    assert partner.email == "partner@example.org"
    assert partner.user.email == "partner@example.org"


def test_person_edit_email_is_open_for_municipal_admin(client_for, world):
    partner = world.people["partner"]

    client_for("admin").post(
        _url("person_edit", partner.pk),
        {"surname": "Партнёров", "given_name": "Игорь", "email": "new@example.org"},
    )

    partner.refresh_from_db()
    assert partner.email == "new@example.org"


def test_person_account_creates_account_and_sends_invitation(
    client_for, world, django_capture_on_commit_callbacks
):
    person = f.PersonFactory(municipality=world.municipality, email="new.teacher@example.org")
    f.MembershipFactory(person=person, institution=world.school)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("director").post(_url("person_account", person.pk))

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.user is not None
    assert [m.to for m in mail.outbox] == [["new.teacher@example.org"]]
    assert AuditEntry.objects.filter(action="network.person.account_create").count() == 1


def test_person_account_without_email_creates_nothing(client_for, world):
    person = f.PersonFactory(municipality=world.municipality, email="")
    f.MembershipFactory(person=person, institution=world.school)

    response = client_for("director").post(_url("person_account", person.pk))

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.user is None
    assert mail.outbox == []


def test_person_account_for_existing_account_sends_a_new_link(client_for, world):
    response = client_for("director").post(_url("person_account", world.people["teacher"].pk))

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["teacher@example.org"]]


def test_person_account_needs_post_and_permission(client_for, world):
    url = _url("person_account", world.people["student"].pk)

    assert client_for("director").get(url).status_code == 405
    assert client_for("parent").post(url).status_code == 404


def test_membership_add_in_own_institution(client_for, world):
    parent = world.people["parent"]
    f.MembershipFactory(
        person=parent, institution=world.school, role="staff", ends_on=dt.date(2021, 1, 1)
    )

    response = client_for("director").post(
        _url("membership_add", parent.pk),
        {
            "institution": world.school.pk,
            "role": "teacher",
            "position": "музыка",
            "starts_on": "2024-09-01",
        },
    )

    assert response.status_code == 302
    assert parent.memberships.filter(role="teacher", institution=world.school).exists()


def test_membership_add_in_a_foreign_institution_is_refused(client_for, world):
    teacher = world.people["teacher"]

    response = client_for("director").post(
        _url("membership_add", teacher.pk), {"institution": world.ddt.pk, "role": "teacher"}
    )

    assert response.status_code == 400
    assert not teacher.memberships.filter(institution=world.ddt).exists()


def test_membership_end_by_director(client_for, world):
    membership = Membership.objects.get(person=world.people["teacher"])

    response = client_for("director").post(_url("membership_end", membership.pk), {"next": PEOPLE})

    membership.refresh_from_db()
    assert response["Location"] == PEOPLE
    assert membership.ends_on == today()
    assert AuditEntry.objects.filter(action="network.membership.update").count() == 1


def test_membership_end_ignores_foreign_next(client_for, world):
    membership = Membership.objects.get(person=world.people["teacher"])

    response = client_for("director").post(
        _url("membership_end", membership.pk), {"next": "https://evil.example/"}
    )

    assert response["Location"] == _url("person", world.people["teacher"].pk)


@pytest.mark.parametrize("role", ["teacher", "other_teacher", "metodist", "partner", "parent"])
def test_membership_end_by_others_is_404(client_for, world, role):
    membership = Membership.objects.get(person=world.people["teacher"])

    response = client_for(role).post(_url("membership_end", membership.pk))

    membership.refresh_from_db()
    assert response.status_code == 404
    assert membership.ends_on is None


def test_membership_end_of_own_admin_role_is_refused(client_for, world):
    membership = Membership.objects.get(person=world.people["director"])

    client_for("director").post(_url("membership_end", membership.pk))

    membership.refresh_from_db()
    assert membership.ends_on is None


def test_guardian_add_links_an_existing_person(client_for, world):
    student = world.people["student"]
    teacher = world.people["teacher"]
    url = _url("guardian_add", student.pk)

    found = client_for("director").get(url, {"q": "Учителева"})
    response = client_for("director").post(
        url, {"q": "Учителева", "existing": teacher.pk, "kind": "guardian"}
    )

    assert found.context["found"] == [teacher]
    assert response.status_code == 302
    assert Guardianship.objects.get(guardian=teacher, student=student).kind == "guardian"


def test_guardian_add_new_person(client_for, world):
    student = world.people["student"]

    response = client_for("director").post(
        _url("guardian_add", student.pk),
        {"surname": "Учеников", "given_name": "Павел", "kind": "father"},
    )

    assert response.status_code == 302
    father = Person.objects.get(given_name="Павел")
    assert Guardianship.objects.get(guardian=father).student == student


def test_guardian_add_needs_a_choice(client_for, world):
    response = client_for("director").post(
        _url("guardian_add", world.people["student"].pk), {"kind": "father"}
    )

    assert response.status_code == 400
    assert Guardianship.objects.count() == 2


def test_guardian_add_of_self_is_refused(client_for, world):
    student = world.people["student"]

    response = client_for("director").post(
        _url("guardian_add", student.pk),
        {
            "surname": "Ученикова",
            "given_name": "Дарья",
            "email": "student@example.org",
            "kind": "other",
        },
    )

    assert response.status_code == 400
    assert not Guardianship.objects.filter(guardian=student).exists()


def test_guardianship_end_by_director(client_for, world):
    link = Guardianship.objects.get(guardian=world.people["parent"])

    response = client_for("director").post(_url("guardianship_end", link.pk))

    link.refresh_from_db()
    assert response.status_code == 302
    assert link.ends_on == today()


@pytest.mark.parametrize("role", ["parent", "other_parent", "teacher", "other_teacher", "student"])
def test_guardianship_end_by_others_is_404(client_for, world, role):
    link = Guardianship.objects.get(guardian=world.people["parent"])

    response = client_for(role).post(_url("guardianship_end", link.pk))

    link.refresh_from_db()
    assert response.status_code == 404
    assert link.ends_on is None
