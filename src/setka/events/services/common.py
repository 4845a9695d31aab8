"""Pieces the services share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from setka.core.clock import now

from ..models import Event, Mode, Registration


def active_person_ids(event: Event) -> list[int]:
    """Everyone registered or waiting for the event (told of changes)."""
    return list(
        Registration.objects.filter(
            event=event,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
        ).values_list("person_id", flat=True)
    )


def capacity(event: Event, mode: str) -> int:
    return event.capacity_in_person if mode == Mode.IN_PERSON else event.capacity_remote


def promote_waiting(event: Event) -> list[int]:
    """Fill the free places of each mode from its waiting list, first come first served.
    The caller holds the event's row lock. Returns the people moved up."""
    moved: list[int] = []
    for mode in (Mode.IN_PERSON, Mode.REMOTE):
        taken = Registration.objects.filter(
            event=event, mode=mode, status=Registration.Status.REGISTERED
        ).count()
        free = capacity(event, mode) - taken
        if free <= 0:
            continue
        waiting = list(
            Registration.objects.filter(
                event=event, mode=mode, status=Registration.Status.WAITING
            ).order_by("created_at", "id")[:free]
        )
        if waiting:
            Registration.objects.filter(pk__in=[r.pk for r in waiting]).update(
                status=Registration.Status.REGISTERED, promoted_at=now()
            )
            moved += [r.person_id for r in waiting]
    return moved


def mode_label(mode: str) -> str:
    return _("online") if mode == Mode.REMOTE else _("in person")
