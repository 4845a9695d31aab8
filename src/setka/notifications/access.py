"""Fetch-and-authorize for the notification centre: a notification is its recipient's only;
anyone else's answers 404, like a missing one."""

from __future__ import annotations

from django.http import Http404

from setka.network.roles import user_roles

from .models import Notification


def notification_for_user(user, pk: int) -> Notification:
    person_id = user_roles(user).person_id
    note = (
        Notification.objects.filter(pk=pk, recipient_id=person_id).first()
        if person_id is not None
        else None
    )
    if note is None:
        raise Http404
    return note


def person_id_or_404(user) -> int:
    """The signed-in user's person: the notification centre is for people of the network."""
    person_id = user_roles(user).person_id
    if person_id is None:
        raise Http404
    return person_id
