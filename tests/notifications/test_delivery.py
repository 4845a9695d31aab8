"""E-mail at once, retries that never lose a notification, the digest, and the purge."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail

from setka.notifications import delivery
from setka.notifications.models import Channel, Delivery, DigestSchedule, Notification, Preference
from setka.notifications.services import purge_old

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


class BrokenBackend:
    """An SMTP server that refuses every letter."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("down")


def _email_pref(world, role, channel=Channel.EMAIL):
    Preference.objects.create(person=world.people[role], kind=TEST_KIND, channel=channel)


def test_a_failed_letter_stays_pending_and_the_sweep_sends_it(world, note_for, monkeypatch):
    _email_pref(world, "parent")
    note = note_for("parent")
    monkeypatch.setattr(delivery, "get_connection", BrokenBackend)

    assert delivery.send_pending([note.pk]) == 0

    note.refresh_from_db()
    assert (note.delivery, note.attempts) == (Delivery.PENDING, 1)
    monkeypatch.undo()
    assert delivery.send_pending() == 1
    note.refresh_from_db()
    assert note.delivery == Delivery.SENT
    assert len(mail.outbox) == 1


def test_a_letter_that_keeps_failing_is_given_up_but_the_notification_stays(
    world, note_for, monkeypatch
):
    _email_pref(world, "parent")
    note = note_for("parent")
    monkeypatch.setattr(delivery, "get_connection", BrokenBackend)

    for _ in range(delivery.MAX_ATTEMPTS):
        delivery.send_pending()

    note.refresh_from_db()
    assert (note.delivery, note.attempts) == (Delivery.FAILED, delivery.MAX_ATTEMPTS)
    assert Notification.objects.filter(pk=note.pk, read_at__isnull=True).exists()


def test_a_person_without_an_address_gets_no_letter(world, note_for):
    _email_pref(world, "parent")
    world.people["parent"].email = ""
    world.people["parent"].save()
    world.users["parent"].email = ""
    world.users["parent"].save()
    note = note_for("parent")

    delivery.send_pending()

    note.refresh_from_db()
    assert note.delivery == Delivery.NONE
    assert mail.outbox == []


def test_the_digest_gathers_a_persons_notifications_in_one_letter(world, note_for):
    _email_pref(world, "parent", Channel.DIGEST)
    note_for("parent", 1, about=world.people["student"])
    note_for("parent", 2, about=world.people["student"])
    note_for("parent", 3)

    assert delivery.send_digests() == 1

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Ping 1" in body
    assert "Ping 3" in body
    assert world.people["student"].short_name in body
    assert set(Notification.objects.values_list("delivery", flat=True)) == {Delivery.SENT}


def test_the_digest_is_not_sent_twice_within_its_interval(world, note_for, frozen_clock):
    _email_pref(world, "parent", Channel.DIGEST)
    note_for("parent", 1)
    delivery.send_digests()
    frozen_clock.shift(dt.timedelta(hours=2))
    note_for("parent", 2)

    assert delivery.send_digests() == 0

    frozen_clock.shift(dt.timedelta(hours=20))
    assert delivery.send_digests() == 1
    assert len(mail.outbox) == 2


def test_a_weekly_digest_waits_for_the_week(world, note_for, frozen_clock):
    _email_pref(world, "parent", Channel.DIGEST)
    DigestSchedule.objects.create(person=world.people["parent"], frequency="weekly")
    note_for("parent", 1)
    delivery.send_digests()
    note_for("parent", 2)
    frozen_clock.shift(dt.timedelta(days=3))

    assert delivery.send_digests() == 0

    frozen_clock.shift(dt.timedelta(days=4))
    assert delivery.send_digests() == 1


def test_notifications_older_than_a_school_year_are_purged(world, note_for, frozen_clock):
    old = note_for("parent", 1)
    frozen_clock.shift(dt.timedelta(days=366))
    fresh = note_for("parent", 2)

    assert purge_old() == 1

    assert list(Notification.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not Notification.objects.filter(pk=old.pk).exists()


def test_the_command_does_the_periodic_work(world, note_for):
    from io import StringIO

    from django.core.management import call_command

    _email_pref(world, "parent", Channel.DIGEST)
    note_for("parent")
    out = StringIO()

    call_command("send_notifications", stdout=out)

    assert "1 digest(s) sent" in out.getvalue()
    assert len(mail.outbox) == 1
