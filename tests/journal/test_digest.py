"""The parents' e-mail digest of new marks and absences: who gets a letter, what is in it,
when nothing is sent, and the remembered time of the last letter."""

from __future__ import annotations

import datetime as dt
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from setka.journal.digest import digest_subscription_set, send_digests
from setka.journal.models import DigestSubscription, Mark
from setka.journal.services import records
from setka.journal.tasks import send_digests_task

from ..clock import d

MON = d(2026, 11, 23)
WED = d(2026, 11, 25)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({})


@pytest.fixture
def now():
    return timezone.now() + dt.timedelta(minutes=1)


@pytest.fixture
def news(world, jw):
    """A mark and an absence of the world's student, entered an hour ago."""
    teacher = world.users["teacher"]
    student = world.people["student"]
    monday = jw.lessons().get(date=MON)
    mark = records.mark_create(actor=teacher, lesson=monday, student=student, value=5)
    records.attendance_set(
        actor=teacher, lesson=jw.lessons().get(date=WED), student=student, code="Б"
    )
    return mark


def subscribe(world, role: str, frequency: str = "daily") -> DigestSubscription:
    return digest_subscription_set(actor=world.users[role], frequency=frequency)


def test_digest_one_letter_per_subscribed_parent_with_news(world, jw, news, now):
    subscribe(world, "parent")
    subscribe(world, "other_parent")  # their child has nothing new

    sent = send_digests(now=now)

    assert sent == 1
    [letter] = mail.outbox
    assert letter.to == ["parent@example.org"]
    assert "Дарья Ученикова" in letter.subject
    assert "Математика: 5" in letter.body
    assert "Б" in letter.body
    assert f"?student={world.people['student'].pk}" in letter.body
    [(html, mimetype)] = letter.alternatives
    assert mimetype == "text/html"
    assert "<b>5</b>" in html


def test_digest_nothing_new_sends_nothing(world, jw, now):
    sub = subscribe(world, "parent")

    sent = send_digests(now=now)

    assert sent == 0
    assert mail.outbox == []
    sub.refresh_from_db()
    assert sub.last_sent_at is None


@pytest.mark.parametrize("setting", ["off", None])
def test_digest_unsubscribed_parent_gets_nothing(world, jw, news, now, setting):
    if setting:
        subscribe(world, "parent", setting)

    sent = send_digests(now=now)

    assert sent == 0
    assert mail.outbox == []


def test_digest_last_sent_time_advances_and_nothing_is_sent_twice(world, jw, news, now):
    sub = subscribe(world, "parent")

    send_digests(now=now)
    sub.refresh_from_db()
    first = sub.last_sent_at
    again = send_digests(now=now + dt.timedelta(days=1))

    assert first == now
    assert again == 0
    assert len(mail.outbox) == 1


def test_digest_next_letter_has_only_what_is_new_since_the_last(world, jw, news, now):
    sub = subscribe(world, "parent")
    send_digests(now=now)
    later = jw.lessons().get(date=d(2026, 11, 20))
    newer = records.mark_create(
        actor=world.users["teacher"], lesson=later, student=world.people["student"], value=3
    )
    Mark.objects.filter(pk=newer.pk).update(created_at=now + dt.timedelta(hours=2))

    sent = send_digests(now=now + dt.timedelta(days=1))

    assert sent == 1
    body = mail.outbox[1].body
    assert "Математика: 3" in body
    assert "Математика: 5" not in body
    sub.refresh_from_db()
    assert sub.last_sent_at == now + dt.timedelta(days=1)


def test_digest_weekly_waits_a_week(world, jw, news, now):
    sub = subscribe(world, "parent", "weekly")
    DigestSubscription.objects.filter(pk=sub.pk).update(last_sent_at=now - dt.timedelta(days=3))
    Mark.objects.filter(pk=news.pk).update(created_at=now - dt.timedelta(days=1))

    too_early = send_digests(now=now)
    in_time = send_digests(now=now + dt.timedelta(days=4))

    assert (too_early, in_time) == (0, 1)


def test_digest_frequency_filter_sends_only_that_frequency(world, jw, news, now):
    subscribe(world, "parent", "weekly")

    daily = send_digests("daily", now=now)
    weekly = send_digests("weekly", now=now)

    assert (daily, weekly) == (0, 1)


def test_digest_skips_deleted_marks(world, jw, news, now):
    records.mark_delete(actor=world.users["teacher"], mark=news, reason="ошибка")
    records.attendance_set(
        actor=world.users["teacher"],
        lesson=jw.lessons().get(date=WED),
        student=world.people["student"],
        code="",
    )
    subscribe(world, "parent")

    sent = send_digests(now=now)

    assert sent == 0


def test_digest_parent_without_email_gets_nothing(world, jw, news, now):
    parent = world.people["parent"]
    parent.email = ""
    parent.save()
    parent.user.email = ""
    parent.user.save()
    subscribe(world, "parent")

    sent = send_digests(now=now)

    assert sent == 0


def test_digest_failed_send_keeps_last_sent_time(world, jw, news, now, settings):
    settings.EMAIL_BACKEND = "tests.journal.test_digest.FailingBackend"
    sub = subscribe(world, "parent")

    sent = send_digests(now=now)

    assert sent == 0
    sub.refresh_from_db()
    assert sub.last_sent_at is None


def test_digest_task_and_command_send(world, jw, news):
    subscribe(world, "parent")
    out = StringIO()

    call_command("send_journal_digest", "--weekly", stdout=out)
    assert "0 letter(s)" in out.getvalue()
    call_command("send_journal_digest", "--daily", stdout=out)
    assert "1 letter(s)" in out.getvalue()
    assert send_digests_task.delay().get() == 0  # nothing new since


def test_digest_setting_only_for_parents(world, jw):
    with pytest.raises(PermissionDenied):
        digest_subscription_set(actor=world.users["teacher"], frequency="daily")

    with pytest.raises(ValidationError):
        digest_subscription_set(actor=world.users["parent"], frequency="hourly")

    assert DigestSubscription.objects.count() == 0


def test_digest_bad_frequency_for_send_is_an_error(world):
    with pytest.raises(ValueError, match="unknown digest frequency"):
        send_digests("hourly")
