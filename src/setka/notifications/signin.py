"""Signing in counts the person's unread notifications once, into the cache the bell reads
(``selectors.unread_count``): the pages that follow show the bell without a query until a
notification is published or read (which forgets the count)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from setka.network.models import Person

from .selectors import unread_count


@receiver(user_logged_in, dispatch_uid="notifications.warm_unread_count")
def warm_unread_count(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    person_id = Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    if person_id is not None:
        unread_count(person_id)
