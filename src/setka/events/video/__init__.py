"""Remote participation through a pluggable video provider per event: Jitsi Meet (a room
per event, a JWT per participant signed with the configured app secret), BigBlueButton
(create/join calls signed with the shared secret's checksum) or an external link. Every
secret stays on the server: the browser gets only the address it is sent to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Event, Provider
from . import bbb, jitsi


class ProviderUnavailable(ValidationError):  # noqa: N818 - an answer to the user
    """The provider's server did not answer as expected."""


def display_name(actor: Any) -> tuple[str, str, str]:
    """The participant's name, e-mail and a stable id for the provider."""
    person = getattr(actor, "person", None)
    name = person.full_name if person is not None else actor.get_username()
    email = (person.email if person is not None else "") or getattr(actor, "email", "")
    return name, email, str(person.pk if person is not None else actor.pk)


def join_url(event: Event, *, actor: Any, moderator: bool) -> str:
    name, email, user_id = display_name(actor)
    if event.provider == Provider.JITSI:
        return jitsi.join_url(event, name=name, email=email, user_id=user_id, moderator=moderator)
    if event.provider == Provider.BBB:
        try:
            bbb.create(event)
        except bbb.BBBError as exc:
            raise ProviderUnavailable(
                {"event": _("The video service does not answer; try again in a minute.")}
            ) from exc
        return bbb.join_url(event, name=name, user_id=user_id, moderator=moderator)
    if event.provider == Provider.EXTERNAL:
        return event.external_url
    raise ValidationError({"event": _("This event has no online participation.")})


def recordings(event: Event) -> list[str]:
    """The recordings the provider holds for the event (BigBlueButton), after it."""
    if event.provider != Provider.BBB:
        return []
    try:
        return bbb.recordings(event)
    except bbb.BBBError:
        return []
