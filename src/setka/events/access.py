"""Fetch-and-authorize for events: a draft is its organisers' and hosts' only; anyone
else (and a missing event) gets 404."""

from __future__ import annotations

from django.http import Http404

from setka.network.roles import user_roles

from . import rules
from .models import Certificate, Event, Registration


def _event(pk: int) -> Event:
    event = (
        Event.objects.select_related("institution", "venue", "subject", "group", "lesson")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    # The hosts themselves (the event page shows them), and their ids for the rules.
    event.host_list = list(event.hosts.all())  # type: ignore[attr-defined]
    event.host_ids = [h.pk for h in event.host_list]  # type: ignore[attr-defined]
    return event


def event_for_user(user, pk: int) -> Event:
    event = _event(pk)
    if not rules.sees(user_roles(user), event):
        raise Http404
    return event


def event_to_run(user, pk: int) -> Event:
    """An event the user hosts or organises (404 for anyone else)."""
    event = _event(pk)
    if not rules.runs(user_roles(user), event):
        raise Http404
    return event


def event_to_manage(user, pk: int) -> Event:
    """An event the user organises (404 for anyone else)."""
    event = _event(pk)
    if not rules.manages(user_roles(user), event):
        raise Http404
    return event


def registration_for_user(user, pk: int) -> Registration:
    """One's own registration, or one of an event one runs."""
    registration = Registration.objects.select_related("event", "person").filter(pk=pk).first()
    if registration is None:
        raise Http404
    roles = user_roles(user)
    if registration.person_id != roles.person_id and not rules.runs(roles, registration.event):
        raise Http404
    return registration


def certificate_by_code(code: str) -> Certificate:
    found = (
        Certificate.objects.select_related("event__institution", "person")
        .filter(code=(code or "").strip().upper()[:16])
        .first()
    )
    if found is None:
        raise Http404
    return found
