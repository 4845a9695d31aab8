"""Reads of the notification centre, shared by the pages, the API and «Сегодня»."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from . import kinds
from .models import DigestSchedule, Notification, Preference


def unread_count(person_id: int | None) -> int:
    if person_id is None:
        return 0
    return Notification.objects.filter(recipient_id=person_id, read_at__isnull=True).count()


def notifications_of(person_id: int | None, *, unread_only: bool = False) -> QuerySet:
    qs = Notification.objects.filter(recipient_id=person_id).select_related("about")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


@dataclass
class KindChoice:
    key: str
    group: str
    label: str
    channel: str
    default: str
    email_always: bool


@dataclass
class Preferences:
    digest_frequency: str
    kinds: list[KindChoice]


def preferences_of(person_id: int) -> Preferences:
    chosen = dict(Preference.objects.filter(person_id=person_id).values_list("kind", "channel"))
    frequency = (
        DigestSchedule.objects.filter(person_id=person_id)
        .values_list("frequency", flat=True)
        .first()
    ) or DigestSchedule.Frequency.DAILY
    choices = [
        KindChoice(
            key=kind.key,
            group=group,
            label=str(kind.label),
            channel=chosen.get(kind.key, kind.default),
            default=kind.default,
            email_always=kind.email_always,
        )
        for group, members in kinds.grouped()
        for kind in members
    ]
    return Preferences(digest_frequency=frequency, kinds=choices)
