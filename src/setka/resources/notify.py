"""What the resource centres tell people through the notification centre, at each step of a
booking: the owner's administrators when a booking waits for their approval (or, for a
resource without approval, that it was booked), the booker when it is approved, refused or
cancelled by the owner, and the owner's administrators when the booker cancels. The
services call these inside their transaction; each costs three queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.network.models import Membership, Person
from setka.notifications import kinds
from setka.notifications.services import publish

from .models import Booking, Status
from .timing import when_text, zone

GROUP = gettext_lazy("Resource centres")


def _requested(data) -> str:
    return _("%(institution)s asks to book %(resource)s on %(when)s") % data


def _made(data) -> str:
    return _("%(institution)s booked %(resource)s on %(when)s") % data


def _approved(data) -> str:
    return _("Your booking of %(resource)s on %(when)s is confirmed") % data


def _refused(data) -> str:
    text = _("Your booking of %(resource)s on %(when)s is refused") % data
    return f"{text}: {data['reason']}" if data.get("reason") else text


def _cancelled(data) -> str:
    text = _("The booking of %(resource)s on %(when)s is cancelled by %(by)s") % data
    return f"{text}: {data['reason']}" if data.get("reason") else text


kinds.register(
    kinds.Kind("resources.booking.requested", GROUP,
               gettext_lazy("A booking waits for my approval"), _requested),
    kinds.Kind("resources.booking.made", GROUP,
               gettext_lazy("Our resource was booked"), _made),
    kinds.Kind("resources.booking.approved", GROUP,
               gettext_lazy("My booking is confirmed"), _approved),
    kinds.Kind("resources.booking.refused", GROUP,
               gettext_lazy("My booking is refused"), _refused),
    kinds.Kind("resources.booking.cancelled", GROUP,
               gettext_lazy("A booking is cancelled"), _cancelled),
)  # fmt: skip


def admins_of(institution_id: int) -> list[int]:
    """The people who administer an institution today."""
    return list(
        Membership.objects.active()
        .filter(institution_id=institution_id, role=Membership.Role.INSTITUTION_ADMIN)
        .values_list("person_id", flat=True)
        .distinct()
    )


def _booker_side(booking: Booking) -> list[int | Person]:
    if booking.booked_by_id is not None:
        return [booking.booked_by_id]
    return list(admins_of(booking.institution_id))


def _data(booking: Booking, **extra) -> dict:
    tz = zone(booking.owner.municipality.time_zone)
    return {
        "resource": booking.resource.name,
        "institution": booking.institution.short_name,
        "owner": booking.owner.short_name,
        "when": when_text(booking.starts_at, booking.ends_at, tz),
        **extra,
    }


def _publish(kind: str, booking: Booking, recipients, *, actor, **extra) -> None:
    publish(
        kind,
        recipients=recipients,
        municipality_id=booking.owner.municipality_id,
        institution_id=booking.owner_id,
        data=_data(booking, **extra),
        url=reverse("resources:booking", args=[booking.pk]),
        actor=actor,
    )


def booked(booking: Booking, *, actor) -> None:
    pending = booking.status == Status.PENDING
    kind = "resources.booking.requested" if pending else "resources.booking.made"
    _publish(kind, booking, admins_of(booking.owner_id), actor=actor)


def approved(booking: Booking, *, actor) -> None:
    _publish("resources.booking.approved", booking, _booker_side(booking), actor=actor)


def refused(booking: Booking, *, actor) -> None:
    _publish("resources.booking.refused", booking, _booker_side(booking), actor=actor,
             reason=booking.note)  # fmt: skip


def cancelled(booking: Booking, *, actor, by_owner: bool) -> None:
    recipients = _booker_side(booking) if by_owner else admins_of(booking.owner_id)
    by = booking.owner.short_name if by_owner else booking.institution.short_name
    _publish("resources.booking.cancelled", booking, recipients, actor=actor, by=by,
             reason=booking.note)  # fmt: skip
