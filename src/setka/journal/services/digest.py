"""The parents' e-mail digest of their children's marks and absences, as the diary offers it:
a shortcut to the notification centre, not a mechanism of its own.

«Присылать сводку на e-mail» on the diary sets the parent's notification preferences: the
journal's mark and absence kinds go "in the e-mail digest", and the digest comes every day
or once a week (``notifications.DigestSchedule``); "off" puts back those kinds that were in
the digest to their default (the bell only). The letters are the notification centre's
digest (``notifications.delivery.send_digests``, ``python -m setka send_notifications
--digests``; ``send_journal_digest`` is its old name). The notification settings page shows
and changes the same choices, kind by kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, Exists, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.core.audit import audit_log
from setka.network.models import Person
from setka.network.roles import user_roles
from setka.notifications import delivery
from setka.notifications.models import Channel, DigestSchedule, Preference
from setka.notifications.services import preferences_set

# What the journal's digest holds: new marks, their corrections and deletions, absences.
DIGEST_KINDS = (
    "journal.mark.created",
    "journal.mark.changed",
    "journal.mark.deleted",
    "journal.absence",
)
# The kind whose channel says whether the parent "has the digest" on the diary page.
LEAD_KIND = DIGEST_KINDS[0]


class Frequency(models.TextChoices):
    DAILY = "daily", gettext_lazy("every day")
    WEEKLY = "weekly", gettext_lazy("once a week")
    OFF = "off", gettext_lazy("do not send")


@dataclass(frozen=True)
class DigestSetting:
    person_id: int
    frequency: str

    def get_frequency_display(self) -> str:
        return str(Frequency(self.frequency).label)


def frequency_annotation(person_ref: str = "pk") -> Case:
    """For a query over people: their diary digest choice ("daily", "weekly" or "off"), in
    the same query."""
    in_digest = Preference.objects.filter(
        person_id=OuterRef(person_ref), kind=LEAD_KIND, channel=Channel.DIGEST
    )
    schedule = DigestSchedule.objects.filter(person_id=OuterRef(person_ref)).values("frequency")
    return Case(
        When(
            Exists(in_digest),
            then=Coalesce(Subquery(schedule[:1]), Value(Frequency.DAILY.value)),
        ),
        default=Value(Frequency.OFF.value),
        output_field=models.CharField(),
    )


def digest_frequency_of(person_id: int | None) -> str:
    if person_id is None:
        return Frequency.OFF
    return (
        Person.objects.filter(pk=person_id)
        .annotate(frequency=frequency_annotation())
        .values_list("frequency", flat=True)
        .first()
    ) or Frequency.OFF


@transaction.atomic
def digest_subscription_set(*, actor, frequency: str) -> DigestSetting:
    """Turn the digest of the journal's news on (daily or weekly) or off for the signed-in
    parent, through their notification preferences."""
    roles = user_roles(actor)
    if roles.person_id is None or not roles.children:
        raise PermissionDenied(_("Only parents can receive the digest."))
    if frequency not in Frequency.values:
        raise ValidationError(
            {"frequency": _("Choose how often to send the digest.")}, code="bad_frequency"
        )
    person_id = roles.person_id
    before = digest_frequency_of(person_id)
    if frequency == Frequency.OFF:
        in_digest = set(
            Preference.objects.filter(
                person_id=person_id, kind__in=DIGEST_KINDS, channel=Channel.DIGEST
            ).values_list("kind", flat=True)
        )
        preferences_set(person_id=person_id, channels=dict.fromkeys(in_digest, Channel.IN_APP))
    else:
        preferences_set(
            person_id=person_id,
            channels=dict.fromkeys(DIGEST_KINDS, Channel.DIGEST),
            digest_frequency=frequency,
        )
    if before != frequency:
        audit_log(
            "journal.digest.set",
            actor=actor,
            obj=Person.objects.get(pk=person_id),
            changes={"frequency": [before, frequency]},
        )
    return DigestSetting(person_id, frequency)


def send_digests(frequency: str | None = None, *, now: dt.datetime | None = None) -> int:
    """The notification centre's due digests (of the people with this frequency, or all);
    kept under the journal's old name for old callers."""
    if frequency is not None and frequency not in delivery.INTERVAL:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    return delivery.send_digests(moment=now, frequency=frequency)
