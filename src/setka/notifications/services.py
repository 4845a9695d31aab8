"""Writes of the notification centre. :func:`publish` is the one way a domain tells people
that something happened; the rest is the reader's own bookkeeping."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from setka.core.clock import now
from setka.network.models import Person
from setka.network.roles import user_roles

from . import kinds, selectors
from .models import Channel, Delivery, DigestSchedule, Notification, Preference

logger = logging.getLogger(__name__)

DELIVERY_OF = {
    Channel.IN_APP: Delivery.NONE,
    Channel.EMAIL: Delivery.PENDING,
    Channel.DIGEST: Delivery.DIGEST,
}


def _person_id(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    person_id = getattr(value, "person_id", None)  # a User with a Person
    if person_id is None and hasattr(value, "person"):
        person = getattr(value, "person", None)
        return getattr(person, "pk", None)
    return person_id if person_id is not None else getattr(value, "pk", None)


def _actor_person_id(actor: Any) -> int | None:
    """A User (its Person), a Person, or a person id."""
    if actor is None or isinstance(actor, int):
        return actor
    if isinstance(actor, Person):
        return actor.pk
    return user_roles(actor).person_id  # cached on the user for the request


@dataclass
class Event:
    """One thing that happened, for ``recipients`` (people or their ids)."""

    recipients: Iterable[Any]
    municipality_id: int
    data: Mapping[str, Any] = field(default_factory=dict)
    url: str = ""
    institution_id: int | None = None
    about: Any = None


def publish(kind: str, *, actor: Any = None, **event: Any) -> list[Notification]:
    """Tell ``recipients`` that ``kind`` happened: :func:`publish_many` with one event."""
    return publish_many(kind, [Event(**event)], actor=actor)


def publish_many(kind: str, events: Iterable[Event], *, actor: Any = None) -> list[Notification]:
    """Tell the recipients of each event that ``kind`` happened.

    Only people with an active sign-in account are told, never the actor. Each gets a
    notification in the bell, and the e-mail their preference for the kind asks for: at
    once (sent after the transaction commits, in the background) or in the digest. Two
    queries, whatever the number of events and recipients."""
    spec = kinds.get(kind)
    if spec is None:
        raise ValueError(f"unknown notification kind {kind!r}")
    actor_id = _actor_person_id(actor)
    planned: list[tuple[Event, set[int]]] = []
    everyone: set[int] = set()
    for event in events:
        ids: set[int] = set()
        for recipient in event.recipients:
            pid = _person_id(recipient)
            if pid is not None and pid != actor_id:
                ids.add(pid)
        if ids:
            planned.append((event, ids))
            everyone |= ids
    if not everyone:
        return []
    choice = Preference.objects.filter(person_id=OuterRef("pk"), kind=kind).values("channel")
    channels = dict(
        Person.objects.filter(pk__in=everyone, user__is_active=True)
        .annotate(channel=Subquery(choice[:1]))
        .values_list("pk", "channel")
    )
    moment = now()
    notes = []
    for event, ids in planned:
        about_id = _person_id(event.about)
        for person_id in sorted(ids & channels.keys()):
            channel = channels[person_id] or spec.default
            if spec.email_always and channel == Channel.IN_APP:
                channel = Channel.EMAIL
            notes.append(
                Notification(
                    recipient_id=person_id,
                    municipality_id=event.municipality_id,
                    institution_id=event.institution_id,
                    kind=kind,
                    actor_id=actor_id,
                    about_id=about_id,
                    data=dict(event.data),
                    url=event.url,
                    created_at=moment,
                    delivery=DELIVERY_OF[Channel(channel)],
                )
            )
    if not notes:
        return []
    created = Notification.objects.bulk_create(notes)
    selectors.forget_unread(n.recipient_id for n in created)
    pending = [n.pk for n in created if n.delivery == Delivery.PENDING and n.pk]
    if pending:
        transaction.on_commit(lambda: queue_delivery(pending))
    return created


def later(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
    """Call ``fn(*args, **kwargs)`` once the current transaction commits (at once outside
    one): a write that is rolled back tells nobody. Telling is never the writer's failure:
    an exception there is logged, after the write has been saved."""

    def call() -> None:
        fn(*args, **kwargs)

    call.__qualname__ = f"later({getattr(fn, '__qualname__', fn)})"
    transaction.on_commit(call, robust=True)


class _Batch:
    """The items of one transaction for one ``fn`` and keyword arguments, told at commit."""

    def __init__(self, fn: Callable[..., Any], kwargs: dict[str, Any]) -> None:
        self.fn, self.kwargs, self.done = fn, kwargs, False
        self.items: list[Any] = []
        self.__qualname__ = f"later_together({getattr(fn, '__qualname__', fn)})"  # for the log

    def __call__(self) -> None:
        self.done = True
        self.fn(self.items, **self.kwargs)


def later_together(fn: Callable[..., Any], items: Iterable[Any], /, **kwargs: Any) -> None:
    """Like :func:`later`, but every call of one transaction with the same ``fn`` and keyword
    arguments is joined: ``fn`` runs once at commit with all their items (a cell typed with
    two marks, a column of marks: one publish, not one per mark). ``fn`` must re-read what it
    needs by id: items added in a savepoint that was rolled back stay in the batch."""
    items = list(items)
    if not items:
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # The batch waiting in this transaction, if any (a rollback drops it from the list).
        for _sids, callback, _robust in connection.run_on_commit:
            if (
                isinstance(callback, _Batch)
                and not callback.done
                and callback.fn is fn
                and callback.kwargs == kwargs
            ):
                callback.items.extend(items)
                return
    batch = _Batch(fn, kwargs)
    batch.items.extend(items)
    transaction.on_commit(batch, robust=True)


def queue_delivery(ids: list[int]) -> None:
    """Send these e-mails in the background (in-process without a broker). A failure here is
    never the caller's: the notifications stay pending and the sweep sends them later."""
    from .tasks import deliver_task

    try:
        deliver_task.delay(ids)
    except Exception:
        logger.exception("could not queue the e-mail of notifications %s", ids[:10])


def mark_read(*, person_id: int, notification: Notification) -> Notification:
    if notification.recipient_id != person_id:
        raise ValueError("a notification is read by its recipient only")
    if notification.read_at is None:
        notification.read_at = now()
        notification.save(update_fields=["read_at"])
        selectors.forget_unread([person_id])
    return notification


def mark_all_read(*, person_id: int) -> int:
    count = Notification.objects.filter(recipient_id=person_id, read_at__isnull=True).update(
        read_at=now()
    )
    selectors.forget_unread([person_id])
    return count


@transaction.atomic
def preferences_set(
    *, person_id: int, channels: Mapping[str, str], digest_frequency: str | None = None
) -> None:
    """Set the person's channel for each kind in ``channels`` (a kind's default is stored as
    no row) and, if given, how often their digest goes out. All or nothing."""
    errors: dict[str, str] = {}
    for key, channel in channels.items():
        spec = kinds.get(key)
        if spec is None:
            errors[key] = _("There is no such kind of notification.")
        elif channel not in Channel.values:
            errors[key] = _("Choose in Setka only, e-mail at once or the digest.")
        elif spec.email_always and channel == Channel.IN_APP:
            errors[key] = _("This notice is always sent by e-mail.")
    if digest_frequency is not None and digest_frequency not in DigestSchedule.Frequency.values:
        errors["digest_frequency"] = _("Choose every day or once a week.")
    if errors:
        raise ValidationError(errors)
    for key, channel in channels.items():
        if channel == kinds.REGISTRY[key].default:
            Preference.objects.filter(person_id=person_id, kind=key).delete()
        else:
            Preference.objects.update_or_create(
                person_id=person_id, kind=key, defaults={"channel": channel}
            )
    if digest_frequency is not None:
        DigestSchedule.objects.update_or_create(
            person_id=person_id, defaults={"frequency": digest_frequency}
        )


def purge_old(*, keep_days: int | None = None, batch: int = 5000) -> int:
    """Delete the notifications older than a school year (``NOTIFICATIONS_KEEP_DAYS``)."""
    days = keep_days if keep_days is not None else settings.NOTIFICATIONS_KEEP_DAYS
    cutoff = now() - dt.timedelta(days=days)
    removed = 0
    while True:
        ids = list(
            Notification.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return removed
        removed += Notification.objects.filter(pk__in=ids).delete()[0]
