"""E-mail delivery of notifications: at once (one letter per notification) and the digest
(one letter per person, grouped by the person each notification is about).

Nothing is lost: a notification whose letter fails stays pending with one more attempt,
and the sweep (``notifications.send_pending``, every few minutes) tries it again, up to
``MAX_ATTEMPTS``; the bell shows it whatever happens to the letter."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setka.core.clock import now as clock_now
from setka.network.models import Person

from . import kinds
from .models import Delivery, DigestSchedule, Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 500
INTERVAL = {
    DigestSchedule.Frequency.DAILY: dt.timedelta(days=1),
    DigestSchedule.Frequency.WEEKLY: dt.timedelta(days=7),
}
# Due when the last digest is older than this: a little less than the interval, so that a
# job started at slightly different times each day (or week) still sends.
MIN_GAP = {
    DigestSchedule.Frequency.DAILY: dt.timedelta(hours=20),
    DigestSchedule.Frequency.WEEKLY: dt.timedelta(days=6, hours=20),
}


def site_url(path: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + path


def email_of(person: Person) -> str:
    user = person.user
    if user is None or not user.is_active:
        return ""
    return (person.email or user.email or "").strip()


@dataclass
class Item:
    title: str
    url: str
    at: dt.datetime


@dataclass
class Section:
    about: str
    items: list[Item] = field(default_factory=list)


def _item(note: Notification) -> Item:
    url = site_url(reverse("notifications:open", args=[note.pk]))
    return Item(kinds.title_of(note.kind, note.data), url, timezone.localtime(note.created_at))


def _letter(to: str, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    context = {
        **context,
        "settings_url": site_url(reverse("notifications:settings")),
        "site_url": site_url(),
    }
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message


def _failed(ids: list[int]) -> None:
    for note in Notification.objects.filter(pk__in=ids).only("attempts"):
        attempts = note.attempts + 1
        state = Delivery.FAILED if attempts >= MAX_ATTEMPTS else None
        updates = {"attempts": attempts, **({"delivery": state} if state else {})}
        Notification.objects.filter(pk=note.pk).update(**updates)


# --- at once --------------------------------------------------------------------------------


def send_pending(ids: Iterable[int] | None = None) -> int:
    """Send the letters of pending notifications (these ``ids``, or every pending one);
    returns how many went. Never raises for a failed letter."""
    qs = Notification.objects.filter(delivery=Delivery.PENDING).select_related(
        "recipient__user", "about"
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    sent = 0
    with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
        for note in qs.order_by("pk")[:BATCH]:
            to = email_of(note.recipient)
            if not to:
                Notification.objects.filter(pk=note.pk).update(delivery=Delivery.NONE)
                continue
            item = _item(note)
            message = _letter(to, item.title, "notification", {"item": item, "note": note})
            try:
                connection.send_messages([message])
            except (smtplib.SMTPException, OSError):
                logger.exception("notification %s: the letter failed", note.pk)
                _failed([note.pk])
                continue
            Notification.objects.filter(pk=note.pk).update(
                delivery=Delivery.SENT, sent_at=clock_now(), attempts=note.attempts + 1
            )
            sent += 1
    return sent


# --- the digest -----------------------------------------------------------------------------


def _is_due(schedule: DigestSchedule | None, moment: dt.datetime) -> bool:
    if schedule is None or schedule.last_sent_at is None:
        return True
    return moment - schedule.last_sent_at >= MIN_GAP[DigestSchedule.Frequency(schedule.frequency)]


def _sections(notes: list[Notification]) -> list[Section]:
    sections: dict[int | None, Section] = {}
    for note in notes:
        about = note.about.short_name if note.about_id and note.about else ""
        section = sections.setdefault(note.about_id, Section(about))
        section.items.append(_item(note))
    return sorted(sections.values(), key=lambda s: (s.about != "", s.about))


def send_digests(*, moment: dt.datetime | None = None, frequency: str | None = None) -> int:
    """Send the due digests: one letter per person with notifications waiting for it (only
    to the people whose digest comes with ``frequency``, if given: "daily" is also everyone
    who never chose). Returns how many letters went."""
    moment = moment or clock_now()
    waiting = (
        Notification.objects.filter(delivery=Delivery.DIGEST, created_at__lte=moment)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    if frequency == DigestSchedule.Frequency.WEEKLY:
        waiting = waiting.filter(recipient__digest__frequency=frequency)
    elif frequency is not None:
        waiting = waiting.exclude(recipient__digest__frequency=DigestSchedule.Frequency.WEEKLY)
    person_ids = sorted(set(waiting))
    sent = 0
    with translation.override(settings.LANGUAGE_CODE), get_connection() as connection:
        for start in range(0, len(person_ids), BATCH):
            chunk = person_ids[start : start + BATCH]
            people = Person.objects.filter(pk__in=chunk).select_related("user", "digest")
            notes_of: dict[int, list[Notification]] = {}
            for note in (
                Notification.objects.filter(
                    recipient_id__in=chunk, delivery=Delivery.DIGEST, created_at__lte=moment
                )
                .select_related("about")
                .order_by("created_at", "pk")
            ):
                notes_of.setdefault(note.recipient_id, []).append(note)
            for person in people:
                schedule = getattr(person, "digest", None)
                notes = notes_of.get(person.pk, [])
                if not notes or not _is_due(schedule, moment):
                    continue
                ids = [n.pk for n in notes]
                to = email_of(person)
                if not to:
                    Notification.objects.filter(pk__in=ids).update(delivery=Delivery.NONE)
                    continue
                context = {
                    "sections": _sections(notes),
                    "since": timezone.localtime(notes[0].created_at),
                    "until": timezone.localtime(moment),
                }
                subject = _("Setka: what happened (%(count)s)") % {"count": len(notes)}
                try:
                    connection.send_messages([_letter(to, subject, "digest", context)])
                except (smtplib.SMTPException, OSError):
                    logger.exception("the digest of person %s failed", person.pk)
                    continue  # tried again with the next run
                Notification.objects.filter(pk__in=ids).update(
                    delivery=Delivery.SENT, sent_at=moment
                )
                DigestSchedule.objects.update_or_create(
                    person_id=person.pk, defaults={"last_sent_at": moment}
                )
                sent += 1
    return sent
