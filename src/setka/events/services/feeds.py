"""The secret token of a person's personal calendar feed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.network.roles import user_roles

from ..models import FeedToken
from ..models.participation import new_feed_token


def feed_token_of(person_id: int) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(person_id=person_id)
    return token


@transaction.atomic
def feed_token_reset(*, actor) -> FeedToken:
    """A new secret: the old address of the personal feed stops working at once."""
    person_id = user_roles(actor).person_id
    if person_id is None:
        raise PermissionDenied(_("Personal feeds are for people of the network."))
    token = feed_token_of(person_id)
    token.token = new_feed_token()
    token.save(update_fields=["token"])
    audit_log("events.feed.reset", actor=actor, obj=token)
    return token
