"""publish(): who is told, through which channel, in how many queries."""

from __future__ import annotations

import pytest
from django.core import mail

from setka.notifications import kinds
from setka.notifications.models import Channel, Delivery, Notification, Preference
from setka.notifications.services import Event, publish, publish_many

from .. import factories as f
from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


def _publish(world, *roles, **extra):
    return publish(
        TEST_KIND,
        recipients=[world.people[r] for r in roles],
        municipality_id=world.municipality.pk,
        data={"n": 1},
        **extra,
    )


def test_publish_tells_each_recipient_once_in_the_bell(world):
    created = _publish(world, "parent", "student", "parent")

    assert sorted(n.recipient_id for n in created) == sorted(
        [world.people["parent"].pk, world.people["student"].pk]
    )
    assert {n.delivery for n in created} == {Delivery.NONE}
    assert Notification.objects.count() == 2


def test_publish_never_tells_the_actor(world):
    created = _publish(world, "teacher", "parent", actor=world.users["teacher"])

    assert [n.recipient_id for n in created] == [world.people["parent"].pk]
    assert created[0].actor_id == world.people["teacher"].pk


def test_publish_skips_people_without_an_active_account(world):
    lonely = f.PersonFactory(municipality=world.municipality)  # no account
    world.users["partner"].is_active = False
    world.users["partner"].save()

    created = publish(
        TEST_KIND,
        recipients=[lonely, world.people["partner"], world.people["parent"]],
        municipality_id=world.municipality.pk,
        data={"n": 1},
    )

    assert [n.recipient_id for n in created] == [world.people["parent"].pk]


def test_publish_follows_each_persons_preference(world, django_capture_on_commit_callbacks):
    Preference.objects.create(person=world.people["parent"], kind=TEST_KIND, channel=Channel.EMAIL)
    Preference.objects.create(
        person=world.people["student"], kind=TEST_KIND, channel=Channel.DIGEST
    )

    with django_capture_on_commit_callbacks(execute=True):
        created = _publish(world, "parent", "student", "teacher")

    delivery = {n.recipient_id: n.delivery for n in Notification.objects.all()}
    assert len(created) == 3
    assert delivery == {
        world.people["parent"].pk: Delivery.SENT,
        world.people["student"].pk: Delivery.DIGEST,
        world.people["teacher"].pk: Delivery.NONE,
    }
    assert [m.to for m in mail.outbox] == [["parent@example.org"]]
    assert mail.outbox[0].subject == "Ping 1"


def test_a_kind_that_is_always_emailed_ignores_an_in_app_choice(world):
    Preference.objects.create(person=world.people["parent"], kind="test.security", channel="in_app")

    created = publish(
        "test.security",
        recipients=[world.people["parent"]],
        municipality_id=world.municipality.pk,
    )

    assert created[0].delivery == Delivery.PENDING


def test_publish_of_an_unknown_kind_is_a_bug(world):
    with pytest.raises(ValueError, match="unknown notification kind"):
        publish("no.such.kind", recipients=[world.people["parent"]], municipality_id=1)


@pytest.mark.parametrize("events", [1, 15])  # SQLite splits inserts past 999 values
def test_publish_many_costs_two_queries(world, django_assert_num_queries, events):
    people = [world.people[r] for r in ("parent", "student", "teacher", "director")]
    batch = [
        Event(recipients=people, municipality_id=world.municipality.pk, data={"n": i})
        for i in range(events)
    ]

    with django_assert_num_queries(2):
        created = publish_many(TEST_KIND, batch)

    assert len(created) == 4 * events


def test_a_title_is_built_in_the_readers_language_and_never_fails(world):
    note = _publish(world, "parent")[0]

    assert kinds.title_of(note.kind, note.data) == "Ping 1"
    assert kinds.title_of(note.kind, {}) == "A test ping"  # old data: the label
    assert kinds.title_of("gone.kind", {}) == "gone.kind"
