"""The network's writes tell people: a new account is welcomed in its bell, a new role in an
institution is told to its holder; once the write commits, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import transaction

from setka.network import services
from setka.network.models import Membership
from setka.notifications.kinds import title_of
from setka.notifications.models import Notification

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_a_new_account_is_welcomed_in_its_bell(world, django_capture_on_commit_callbacks):
    person = f.PersonFactory(municipality=world.municipality, email="")
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)

    with django_capture_on_commit_callbacks(execute=True):
        services.person_account_create(actor=world.users["director"], person=person)

    note = Notification.objects.get(recipient=person)
    assert note.kind == "network.invitation"
    assert "Школа № 3" in title_of(note.kind, note.data)
    assert note.actor_id == world.people["director"].pk


def test_an_account_rolled_back_welcomes_nobody(world, django_capture_on_commit_callbacks):
    person = f.PersonFactory(municipality=world.municipality, email="")

    def failing_request():
        with transaction.atomic():
            services.person_account_create(actor=world.users["admin"], person=person)
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_request()

    assert Notification.objects.count() == 0


def test_a_new_role_is_told_to_its_holder_only(world, django_capture_on_commit_callbacks):
    teacher = world.people["teacher"]

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_create(
            actor=world.users["admin"],
            person=teacher,
            institution=world.ddt,
            role=Membership.Role.TEACHER,
        )
        # someone without an account: nobody to tell
        services.membership_create(
            actor=world.users["admin"],
            person=world.people["other_student"],
            institution=world.ddt,
            role=Membership.Role.STUDENT,
        )

    [note] = Notification.objects.all()
    assert (note.recipient_id, note.kind, note.institution_id) == (
        teacher.pk,
        "network.role",
        world.ddt.pk,
    )
    assert "ДДТ" in title_of(note.kind, note.data)


@pytest.mark.parametrize("role", [Membership.Role.TEACHER, Membership.Role.STUDENT])
def test_a_role_is_told_in_constant_queries(
    world, role, django_capture_on_commit_callbacks, django_assert_num_queries
):
    membership = services.membership_create(
        actor=world.users["admin"], person=world.people["partner"], institution=world.school,
        role=role,
    )  # fmt: skip
    with django_capture_on_commit_callbacks() as callbacks:
        services.membership_create(
            actor=world.users["admin"], person=world.people["teacher"], institution=world.ddt,
            role=role,
        )  # fmt: skip

    # the account and its preference, the insert (the actor was read by the permission check)
    with django_assert_num_queries(2):
        for callback in callbacks:
            callback()

    assert membership.pk
    assert Notification.objects.filter(recipient=world.people["teacher"]).count() == 1
