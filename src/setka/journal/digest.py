"""The e-mail digest for parents: new marks and absences of their children since the last
letter. Opt-in (``DigestSubscription``), daily or weekly, sent by the Celery task
``journal.send_digests`` or ``python -m setka send_journal_digest``.

A subscription is *due* when no letter went out in the last day (daily) or week (weekly), so
running the job more often than needed never sends twice. A letter goes out only when there
is something new; then, and only then, the time of sending is remembered. The first letter
covers the last day or week.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setka.core import clock
from setka.core.audit import audit_log
from setka.network.models import Guardianship, Person
from setka.network.roles import user_roles

from .models import Attendance, AttendanceCode, DigestSubscription, Mark

logger = logging.getLogger(__name__)

Frequency = DigestSubscription.Frequency
INTERVAL = {Frequency.DAILY: dt.timedelta(days=1), Frequency.WEEKLY: dt.timedelta(days=7)}
# Due when the last letter is older than this: a little less than the interval, so that a job
# started at slightly different times each day (or week) still sends.
MIN_GAP = {
    Frequency.DAILY: dt.timedelta(hours=20),
    Frequency.WEEKLY: dt.timedelta(days=6, hours=20),
}
BATCH = 500


# --- the parent's setting -------------------------------------------------------------------


def digest_frequency_of(person_id: int | None) -> str:
    if person_id is None:
        return Frequency.OFF
    row = DigestSubscription.objects.filter(person_id=person_id).values_list("frequency").first()
    return row[0] if row else Frequency.OFF


@transaction.atomic
def digest_subscription_set(*, actor, frequency: str) -> DigestSubscription:
    """Turn the digest on (daily or weekly) or off for the signed-in parent."""
    roles = user_roles(actor)
    if roles.person_id is None or not roles.children:
        raise PermissionDenied(_("Only parents can receive the digest."))
    if frequency not in Frequency.values:
        raise ValidationError(
            {"frequency": _("Choose how often to send the digest.")}, code="bad_frequency"
        )
    sub, _created = DigestSubscription.objects.select_for_update().get_or_create(
        person_id=roles.person_id
    )
    if sub.frequency != frequency:
        before = sub.frequency
        sub.frequency = frequency
        sub.save(update_fields=["frequency", "updated_at"])
        audit_log(
            "journal.digest.set",
            actor=actor,
            obj=sub,
            changes={"frequency": [before, frequency]},
            municipality_id=Person.objects.filter(pk=roles.person_id)
            .values_list("municipality_id", flat=True)
            .first(),
        )
    return sub


# --- what is new ----------------------------------------------------------------------------


@dataclass
class NewMark:
    date: dt.date
    subject: str
    text: str
    kind: str
    weight: str


@dataclass
class NewAbsence:
    date: dt.date
    subject: str
    code: str
    label: str


@dataclass
class ChildNews:
    id: int
    name: str
    marks: list[NewMark] = field(default_factory=list)
    absences: list[NewAbsence] = field(default_factory=list)
    url: str = ""


@dataclass
class Letter:
    subscription: DigestSubscription
    email: str
    children: list[ChildNews]
    since: dt.datetime
    until: dt.datetime


def _since(sub: DigestSubscription, now: dt.datetime) -> dt.datetime:
    return sub.last_sent_at or now - INTERVAL[Frequency(sub.frequency)]


def _is_due(sub: DigestSubscription, now: dt.datetime) -> bool:
    return sub.last_sent_at is None or now - sub.last_sent_at >= MIN_GAP[Frequency(sub.frequency)]


def _email_of(person: Person) -> str:
    user = person.user
    return (person.email or (user.email if user is not None and user.is_active else "")).strip()


def _diary_url(student_id: int) -> str:
    return (
        settings.SITE_URL.rstrip("/")
        + reverse("journal:diary")
        + "?"
        + urlencode({"student": student_id})
    )


def build_letters(subs: list[DigestSubscription], now: dt.datetime) -> list[Letter]:
    """The letters for ``subs`` (their ``person`` and its ``user`` loaded): four queries."""
    if not subs:
        return []
    by_guardian: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for guardian_id, student_id, surname, given in (
        Guardianship.objects.active(timezone.localdate(now))
        .filter(guardian_id__in=[s.person_id for s in subs])
        .order_by("student__birth_date", "student__given_name", "student_id")
        .values_list("guardian_id", "student_id", "student__surname", "student__given_name")
    ):
        by_guardian.setdefault(guardian_id, []).append(student_id)
        names[student_id] = f"{given} {surname}"
    if not names:
        return []
    earliest = min(_since(s, now) for s in subs)
    marks: dict[int, list[tuple[dt.datetime, NewMark]]] = {}
    for student_id, created_at, date, subject, value, passed, kind, weight in (
        Mark.objects.filter(
            student_id__in=list(names),
            created_at__gt=earliest,
            created_at__lte=now,
            is_deleted=False,
        )
        .order_by("date", "lesson__number", "id")
        .values_list(
            "student_id",
            "created_at",
            "date",
            "subject__name",
            "value",
            "passed",
            "kind__name",
            "kind__weight",
        )
    ):
        text = str(value) if value is not None else ("зач" if passed else "нз")
        weight_text = f"{weight.normalize():f}"
        marks.setdefault(student_id, []).append(
            (created_at, NewMark(date, subject, text, kind, weight_text))
        )
    absences: dict[int, list[tuple[dt.datetime, NewAbsence]]] = {}
    labels = dict(AttendanceCode.choices)
    for student_id, updated_at, date, subject, code in (
        Attendance.objects.filter(
            student_id__in=list(names), updated_at__gt=earliest, updated_at__lte=now
        )
        .exclude(code="")
        .order_by("date", "lesson__number", "id")
        .values_list("student_id", "updated_at", "date", "lesson__subject__name", "code")
    ):
        absences.setdefault(student_id, []).append(
            (updated_at, NewAbsence(date, subject, code, str(labels.get(code, code))))
        )
    letters = []
    for sub in subs:
        email = _email_of(sub.person)
        if not email:
            continue
        since = _since(sub, now)
        children = []
        for student_id in by_guardian.get(sub.person_id, []):
            news = ChildNews(student_id, names[student_id], url=_diary_url(student_id))
            news.marks = [m for at, m in marks.get(student_id, []) if at > since]
            news.absences = [a for at, a in absences.get(student_id, []) if at > since]
            if news.marks or news.absences:
                children.append(news)
        if children:
            letters.append(Letter(sub, email, children, since, now))
    return letters


# --- sending --------------------------------------------------------------------------------


def render_letter(letter: Letter) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "letter": letter,
            "since": timezone.localtime(letter.since),
            "until": timezone.localtime(letter.until),
            "site_url": settings.SITE_URL.rstrip("/"),
            "settings_url": settings.SITE_URL.rstrip("/") + reverse("journal:diary"),
        }
        subject = _("New marks and absences: %(names)s") % {
            "names": ", ".join(c.name for c in letter.children)
        }
        text = render_to_string("journal/email/digest.txt", context)
        html = render_to_string("journal/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[letter.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def _subscriptions(frequencies: Iterable[str]):
    return (
        DigestSubscription.objects.filter(frequency__in=list(frequencies))
        .filter(Q(person__email__gt="") | Q(person__user__email__gt=""))
        .select_related("person__user")
        .order_by("pk")
    )


def send_digests(frequency: str | None = None, *, now: dt.datetime | None = None) -> int:
    """Send the due digests (of one frequency, or of both); returns how many letters went."""
    now = now or clock.now()
    frequencies: list[str]
    if frequency is None:
        frequencies = [Frequency.DAILY, Frequency.WEEKLY]
    elif frequency in INTERVAL:
        frequencies = [frequency]
    else:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    sent = 0
    last_pk = 0
    with get_connection() as connection:
        while True:
            batch = list(_subscriptions(frequencies).filter(pk__gt=last_pk)[:BATCH])
            if not batch:
                break
            last_pk = batch[-1].pk
            due = [s for s in batch if _is_due(s, now)]
            for letter in build_letters(due, now):
                try:
                    connection.send_messages([render_letter(letter)])
                except (smtplib.SMTPException, OSError):
                    # One bad address must not stop the others; this one is tried next time.
                    logger.exception(
                        "journal digest to person %s failed", letter.subscription.person_id
                    )
                    continue
                DigestSubscription.objects.filter(pk=letter.subscription.pk).update(
                    last_sent_at=now
                )
                sent += 1
    return sent
