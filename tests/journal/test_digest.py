"""The parents' e-mail digest of new marks and absences — now the notification centre's
digest, set from the diary: who gets a letter, what is in it, when nothing is sent, the
remembered time of the last letter, the old command and task names, and the move of the old
subscriptions into notification preferences."""

from __future__ import annotations

import datetime as dt
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.formats import date_format

from setka.journal.services import records
from setka.journal.services.digest import (
    DIGEST_KINDS,
    digest_frequency_of,
    digest_subscription_set,
    send_digests,
)
from setka.journal.tasks import send_digests_task
from setka.notifications.models import Channel, Delivery, DigestSchedule, Notification, Preference

from ..clock import d

pytestmark = pytest.mark.django_db

MON = d(2026, 11, 23)
WED = d(2026, 11, 25)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({})


@pytest.fixture
def now():
    return timezone.now() + dt.timedelta(minutes=1)


@pytest.fixture
def tell(django_capture_on_commit_callbacks):
    """Run the journal's writes inside: what they tell is published as after a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def subscribe(world, role: str, frequency: str = "daily"):
    return digest_subscription_set(actor=world.users[role], frequency=frequency)


@pytest.fixture
def news(world, jw, tell):
    """The parent chose the daily digest; then a mark and an absence of their child."""
    subscribe(world, "parent")
    subscribe(world, "other_parent")  # their child has nothing new
    teacher, student = world.users["teacher"], world.people["student"]
    with tell():
        mark = records.mark_create(
            actor=teacher, lesson=jw.lessons().get(date=MON), student=student, value=5
        )
        records.attendance_set(
            actor=teacher, lesson=jw.lessons().get(date=WED), student=student, code="Б"
        )
    return mark


def schedule_of(world, role: str) -> DigestSchedule | None:
    return DigestSchedule.objects.filter(person=world.people[role]).first()


def test_digest_one_letter_per_subscribed_parent_with_news(world, jw, news, now):
    sent = send_digests(now=now)

    assert sent == 1
    [letter] = mail.outbox
    assert letter.to == ["parent@example.org"]
    assert "(2)" in letter.subject
    body = letter.body
    assert "== Ученикова Д.С. ==" in body  # the child's section
    assert "Новая отметка 5 по предмету «Математика»" in body
    wednesday = date_format(WED, "j E")
    assert f"болел(а): Математика, 2-й урок, {wednesday} — Дарья Ученикова" in body
    assert "/notifications/" in body  # each item opens its notification, then the diary
    [(html, mimetype)] = letter.alternatives
    assert mimetype == "text/html"
    assert "Математика" in html


def test_digest_the_student_themself_gets_the_bell_not_a_letter(world, jw, news, now):
    send_digests(now=now)

    student_notes = Notification.objects.filter(recipient=world.people["student"])
    assert student_notes.count() == 2
    assert set(student_notes.values_list("delivery", flat=True)) == {Delivery.NONE}
    assert [m.to for m in mail.outbox] == [["parent@example.org"]]


def test_digest_nothing_new_sends_nothing(world, jw, now):
    subscribe(world, "parent")

    sent = send_digests(now=now)

    assert sent == 0
    assert mail.outbox == []
    assert schedule_of(world, "parent").last_sent_at is None


@pytest.mark.parametrize("setting", ["off", None])
def test_digest_unsubscribed_parent_gets_no_letter_but_the_bell(world, jw, tell, now, setting):
    if setting:
        subscribe(world, "parent", "weekly")
        subscribe(world, "parent", setting)
    with tell():
        records.mark_create(
            actor=world.users["teacher"],
            lesson=jw.lessons().get(date=MON),
            student=world.people["student"],
            value=5,
        )

    sent = send_digests(now=now)

    assert sent == 0
    assert mail.outbox == []
    note = Notification.objects.get(recipient=world.people["parent"])
    assert note.delivery == Delivery.NONE


def test_digest_last_sent_time_advances_and_nothing_is_sent_twice(world, jw, news, now):
    send_digests(now=now)
    first = schedule_of(world, "parent").last_sent_at
    again = send_digests(now=now + dt.timedelta(days=1))

    assert first == now
    assert again == 0
    assert len(mail.outbox) == 1


def test_digest_next_letter_has_only_what_is_new_since_the_last(world, jw, news, now, tell):
    send_digests(now=now)
    with tell():
        records.mark_create(
            actor=world.users["teacher"],
            lesson=jw.lessons().get(date=d(2026, 11, 20)),
            student=world.people["student"],
            value=3,
        )

    sent = send_digests(now=now + dt.timedelta(days=1))

    assert sent == 1
    body = mail.outbox[1].body
    assert "Новая отметка 3" in body
    assert "Новая отметка 5" not in body
    assert schedule_of(world, "parent").last_sent_at == now + dt.timedelta(days=1)


def test_digest_weekly_waits_a_week(world, jw, news, now):
    subscribe(world, "parent", "weekly")
    DigestSchedule.objects.filter(person=world.people["parent"]).update(
        last_sent_at=now - dt.timedelta(days=3)
    )

    too_early = send_digests(now=now)
    in_time = send_digests(now=now + dt.timedelta(days=4))

    assert (too_early, in_time) == (0, 1)


def test_digest_frequency_filter_sends_only_that_frequency(world, jw, news, now):
    subscribe(world, "parent", "weekly")

    daily = send_digests("daily", now=now)
    weekly = send_digests("weekly", now=now)

    assert (daily, weekly) == (0, 1)


def test_digest_tells_of_a_deleted_mark_with_its_reason(world, jw, news, now, tell):
    with tell():
        records.mark_delete(actor=world.users["teacher"], mark=news, reason="ошибка")

    send_digests(now=now)

    body = mail.outbox[0].body
    assert "удалена" in body
    assert "ошибка" in body


def test_digest_parent_without_email_gets_nothing(world, jw, now, tell):
    parent = world.people["parent"]
    parent.email = ""
    parent.save()
    parent.user.email = ""
    parent.user.save()
    subscribe(world, "parent")
    with tell():
        records.mark_create(
            actor=world.users["teacher"],
            lesson=jw.lessons().get(date=MON),
            student=world.people["student"],
            value=5,
        )

    sent = send_digests(now=now)

    assert sent == 0
    assert Notification.objects.get(recipient=parent).delivery == Delivery.NONE


def test_digest_failed_send_keeps_last_sent_time_and_the_news(world, jw, news, now, settings):
    settings.EMAIL_BACKEND = "tests.journal.test_digest.FailingBackend"

    sent = send_digests(now=now)

    assert sent == 0
    assert schedule_of(world, "parent").last_sent_at is None
    waiting = Notification.objects.filter(recipient=world.people["parent"])
    assert set(waiting.values_list("delivery", flat=True)) == {Delivery.DIGEST}


def test_digest_old_task_and_command_names_send_the_notification_digest(world, jw, news):
    subscribe(world, "parent", "weekly")
    out = StringIO()

    call_command("send_journal_digest", "--daily", stdout=out)
    assert "0 digest(s)" in out.getvalue()
    call_command("send_journal_digest", "--weekly", stdout=out)
    assert "1 digest(s)" in out.getvalue()
    assert send_digests_task.delay().get() == 0  # nothing new since


def test_digest_command_of_the_notification_centre_takes_a_frequency(world, jw, news):
    out = StringIO()

    call_command("send_notifications", "--digests", "--weekly", stdout=out)
    call_command("send_notifications", "--digests", "--daily", stdout=out)

    assert out.getvalue().splitlines() == [
        "notifications: 0 digest(s) sent",
        "notifications: 1 digest(s) sent",
    ]


def test_digest_setting_only_for_parents(world, jw):
    with pytest.raises(PermissionDenied):
        digest_subscription_set(actor=world.users["teacher"], frequency="daily")

    with pytest.raises(ValidationError):
        digest_subscription_set(actor=world.users["parent"], frequency="hourly")

    assert Preference.objects.count() == DigestSchedule.objects.count() == 0


def test_digest_setting_is_the_notification_preferences(world, jw):
    parent = world.people["parent"]
    Preference.objects.create(person=parent, kind="journal.homework", channel=Channel.EMAIL)

    subscribe(world, "parent", "weekly")
    chosen = dict(Preference.objects.filter(person=parent).values_list("kind", "channel"))
    frequency = digest_frequency_of(parent.pk)
    # the notification settings page changed one of them to "at once"
    Preference.objects.filter(person=parent, kind="journal.absence").update(channel="email")
    subscribe(world, "parent", "off")

    assert chosen == {"journal.homework": "email", **dict.fromkeys(DIGEST_KINDS, "digest")}
    assert frequency == "weekly"
    assert dict(Preference.objects.filter(person=parent).values_list("kind", "channel")) == {
        "journal.homework": "email",
        "journal.absence": "email",
    }
    assert digest_frequency_of(parent.pk) == "off"


def test_digest_bad_frequency_for_send_is_an_error(world):
    with pytest.raises(ValueError, match="unknown digest frequency"):
        send_digests("hourly")


# --- the move of the old subscriptions ------------------------------------------------------

BEFORE = [("journal", "0004_group_shift"), ("notifications", "0001_notification_centre")]
AFTER = [("journal", "0005_remove_digest_subscription")]


@pytest.mark.django_db(transaction=True)
def test_old_subscriptions_become_notification_preferences(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    sent_at = timezone.now() - dt.timedelta(days=2)
    subscription = old.get_model("journal", "DigestSubscription").objects
    subscription.create(
        person_id=world.people["parent"].pk, frequency="weekly", last_sent_at=sent_at
    )
    subscription.create(person_id=world.people["other_parent"].pk, frequency="off")
    old_preference = old.get_model("notifications", "Preference").objects
    old_preference.create(
        person_id=world.people["parent"].pk, kind="journal.absence", channel="email"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest state

    parent = world.people["parent"]
    assert dict(Preference.objects.filter(person=parent).values_list("kind", "channel")) == {
        "journal.mark.created": "digest",
        "journal.mark.changed": "digest",
        "journal.mark.deleted": "digest",
        "journal.absence": "email",  # chosen in the notification centre: kept
    }
    schedule = DigestSchedule.objects.get(person=parent)
    assert (schedule.frequency, schedule.last_sent_at) == ("weekly", sent_at)
    assert not Preference.objects.filter(person=world.people["other_parent"]).exists()
    assert digest_frequency_of(parent.pk) == "weekly"
    assert "journal_digestsubscription" not in connection.introspection.table_names()
