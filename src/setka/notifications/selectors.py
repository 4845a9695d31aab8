"""Reads of the notification centre, shared by the pages, the API and «Сегодня»."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from . import kinds
from .models import DigestSchedule, Notification, Preference

UNREAD_TTL = 300  # seconds; every change of a person's notifications forgets it at once


def _unread_key(person_id: int) -> str:
    return f"notifications:unread:{person_id}"


def unread_count(person_id: int | None) -> int:
    """The person's unread notifications, read through the cache: the bell on every page
    costs no query while nothing changes (publishing and reading forget the count)."""
    if person_id is None:
        return 0
    key = _unread_key(person_id)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient_id=person_id, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_TTL)
    return count


def forget_unread(person_ids: Iterable[int]) -> None:
    """Forget the cached counts now and again after the transaction commits (so that a page
    rendered meanwhile cannot keep the old count)."""
    keys = [_unread_key(pid) for pid in set(person_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


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
