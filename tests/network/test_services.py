"""The write services of the network registry: validation, nothing half-written, audit."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from setka.core.models import AuditEntry
from setka.network import services
from setka.network.models import Guardianship, Institution, Membership, Person, today

from .. import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(world):
    return world.users["admin"]


def test_institution_create_generates_unique_slug(world, actor):
    first = services.institution_create(
        actor=actor,
        municipality=world.municipality,
        kind="school",
        full_name="Школа",
        short_name="Школа № 3",
    )

    assert first.slug == "shkola-n-3"
    second = services.institution_create(
        actor=actor,
        municipality=world.municipality,
        kind="school",
        full_name="Школа",
        short_name="Школа № 3",
    )
    assert second.slug == "shkola-n-3-2"


def test_institution_create_invalid_writes_nothing(world, actor):
    before = Institution.objects.count()

    with pytest.raises(ValidationError) as info:
        services.institution_create(
            actor=actor,
            municipality=world.municipality,
            kind="castle",
            full_name="",
            short_name="X",
        )

    assert {"kind", "full_name"} <= set(info.value.message_dict)
    assert Institution.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_institution_update_refuses_fields_outside_the_allowed(world, actor):
    with pytest.raises(ValidationError) as info:
        services.institution_update(
            actor=actor,
            institution=world.school,
            fields=services.INSTITUTION_CONTACT_FIELDS,
            kind="university",
        )

    world.school.refresh_from_db()
    assert "kind" in info.value.message_dict
    assert world.school.kind == "school"


def test_institution_update_without_changes_writes_no_audit(world, actor):
    services.institution_update(actor=actor, institution=world.school, phones=world.school.phones)

    assert not AuditEntry.objects.exists()


def test_person_create_normalises_and_audits(world, actor):
    person = services.person_create(
        actor=actor,
        municipality=world.municipality,
        surname="  Новикова ",
        given_name="Анна  Мария",
        email=" Anna@Example.ORG ",
    )

    assert (person.surname, person.given_name, person.email) == (
        "Новикова",
        "Анна Мария",
        "anna@example.org",
    )
    assert AuditEntry.objects.get(action="network.person.create").object_id == person.pk


def test_person_create_rejects_future_birth_date(world, actor):
    with pytest.raises(ValidationError) as info:
        services.person_create(
            actor=actor,
            municipality=world.municipality,
            surname="Будущев",
            given_name="Пётр",
            birth_date=today() + dt.timedelta(days=1),
        )

    assert "birth_date" in info.value.message_dict
    assert not Person.objects.filter(surname="Будущев").exists()


def test_membership_overlapping_same_role_is_refused(world, actor):
    teacher = world.people["teacher"]

    with pytest.raises(ValidationError) as info:
        services.membership_create(
            actor=actor, person=teacher, institution=world.school, role="teacher"
        )

    assert "role" in info.value.message_dict
    assert Membership.objects.filter(person=teacher, institution=world.school).count() == 1


def test_membership_after_the_previous_ended_is_allowed(world, actor):
    teacher = world.people["teacher"]
    old = Membership.objects.get(person=teacher, institution=world.school)
    services.membership_end(actor=actor, membership=old, ends_on=dt.date(2023, 5, 31))

    new = services.membership_create(
        actor=actor,
        person=teacher,
        institution=world.school,
        role="teacher",
        starts_on=dt.date(2023, 9, 1),
    )

    assert new.pk != old.pk
    assert Membership.objects.filter(person=teacher, institution=world.school).count() == 2


def test_membership_another_role_in_the_same_institution_is_allowed(world, actor):
    membership = services.membership_create(
        actor=actor, person=world.people["teacher"], institution=world.school, role="admin"
    )

    assert membership.role == Membership.Role.INSTITUTION_ADMIN


def test_membership_end_before_start_is_refused(world, actor):
    membership = Membership.objects.get(person=world.people["teacher"])

    with pytest.raises(ValidationError) as info:
        services.membership_end(actor=actor, membership=membership, ends_on=dt.date(2019, 1, 1))

    membership.refresh_from_db()
    assert "ends_on" in info.value.message_dict
    assert membership.ends_on is None


def test_membership_create_with_dates_in_wrong_order_is_refused(world, actor):
    with pytest.raises(ValidationError):
        services.membership_create(
            actor=actor,
            person=world.people["parent"],
            institution=world.school,
            role="staff",
            starts_on=dt.date(2024, 9, 1),
            ends_on=dt.date(2024, 1, 1),
        )

    assert not Membership.objects.filter(person=world.people["parent"]).exists()


def test_membership_across_municipalities_is_refused(world, actor):
    stranger = f.PersonFactory(municipality=f.MunicipalityFactory(slug="angarsk"))

    with pytest.raises(ValidationError) as info:
        services.membership_create(
            actor=actor, person=stranger, institution=world.school, role="teacher"
        )

    assert "person" in info.value.message_dict
    assert not Membership.objects.filter(person=stranger).exists()


def test_membership_unknown_role_is_refused(world, actor):
    with pytest.raises(ValidationError):
        services.membership_create(
            actor=actor, person=world.people["parent"], institution=world.school, role="king"
        )


def test_guardianship_to_self_is_refused(world, actor):
    student = world.people["student"]

    with pytest.raises(ValidationError) as info:
        services.guardianship_create(actor=actor, guardian=student, student=student)

    assert "guardian" in info.value.message_dict
    assert not Guardianship.objects.filter(guardian=student).exists()


def test_guardianship_across_municipalities_is_refused(world, actor):
    stranger = f.PersonFactory(municipality=f.MunicipalityFactory(slug="angarsk"))

    with pytest.raises(ValidationError):
        services.guardianship_create(
            actor=actor, guardian=stranger, student=world.people["student"]
        )

    assert not Guardianship.objects.filter(guardian=stranger).exists()


def test_guardianship_twice_is_refused(world, actor):
    with pytest.raises(ValidationError):
        services.guardianship_create(
            actor=actor, guardian=world.people["parent"], student=world.people["student"]
        )


def test_guardianship_end_then_link_again(world, actor):
    link = Guardianship.objects.get(guardian=world.people["parent"])

    services.guardianship_end(actor=actor, guardianship=link)
    again = services.guardianship_create(
        actor=actor, guardian=world.people["parent"], student=world.people["student"], kind="father"
    )

    link.refresh_from_db()
    assert link.ends_on == today()
    assert again.ends_on is None
    entry = AuditEntry.objects.get(action="network.guardianship.end")
    assert entry.changes == {"ends_on": [None, today().isoformat()]}


def test_municipal_role_end_is_audited_with_dates(world, actor):
    role = world.people["metodist"].municipal_roles.get()

    services.municipal_role_end(actor=actor, role=role)

    entry = AuditEntry.objects.get(action="network.municipal_role.end")
    assert entry.changes == {"ends_on": [None, today().isoformat()]}


def test_person_account_create_sends_invitation(world, actor, django_capture_on_commit_callbacks):
    person = f.PersonFactory(
        municipality=world.municipality,
        surname="Сидорова",
        given_name="Анна",
        patronymic="Ивановна",
        email="sid@example.org",
    )

    with django_capture_on_commit_callbacks(execute=True):
        user = services.person_account_create(actor=actor, person=person)

    person.refresh_from_db()
    assert person.user == user
    assert user.username == "sidorova.ai"
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["sid@example.org"]]


def test_person_account_create_twice_is_refused(world, actor):
    with pytest.raises(ValidationError):
        services.person_account_create(actor=actor, person=world.people["teacher"])


# --- the services check their own permissions (docs/architecture.md, access in services) ---


def test_services_refuse_an_actor_without_the_right_whatever_the_caller_asked(world):
    teacher, director = world.users["teacher"], world.users["director"]
    student = world.people["student"]
    membership = Membership.objects.filter(person=student).first()
    guardianship = Guardianship.objects.filter(student=student).first()
    writes = [
        lambda: services.institution_create(
            actor=teacher, municipality=world.municipality, kind="school", full_name="Ш"
        ),
        lambda: services.institution_update(
            actor=teacher, institution=world.school, website="https://example.org"
        ),
        lambda: services.person_create(
            actor=teacher, municipality=world.municipality, surname="Новиков", given_name="Иван"
        ),
        lambda: services.person_update(actor=teacher, person=student, phone="+7 000"),
        lambda: services.membership_create(
            actor=teacher, person=student, institution=world.school, role="staff"
        ),
        lambda: services.membership_update(actor=teacher, membership=membership, position="x"),
        lambda: services.guardianship_end(actor=teacher, guardianship=guardianship),
        lambda: services.municipal_role_assign(
            actor=director, person=world.people["teacher"], role="methodologist"
        ),
        lambda: services.person_account_create(actor=teacher, person=world.people["other_student"]),
    ]

    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert not AuditEntry.objects.exists()


def test_an_institutions_administrator_changes_only_its_contacts(world):
    director = world.users["director"]

    services.institution_update(
        actor=director, institution=world.school, website="https://school.example.org"
    )
    with pytest.raises(PermissionDenied):
        services.institution_update(actor=director, institution=world.school, full_name="Новая")

    world.school.refresh_from_db()
    assert world.school.website == "https://school.example.org"
    assert world.school.full_name != "Новая"


def test_an_institutions_administrator_adds_people_to_its_municipality(world):
    person = services.person_create(
        actor=world.users["director"],
        municipality=world.municipality,
        surname="Новиков",
        given_name="Иван",
    )

    assert person.municipality_id == world.municipality.pk
