"""What the network tells people through the notification centre: an invitation to sign
in, and a new role in an institution."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.core.clock import today
from setka.notifications import kinds
from setka.notifications.services import later, publish

from .models import Membership, Municipality, Person

GROUP = gettext_lazy("The network")


def _invitation_title(data) -> str:
    return _("Welcome to Setka: %(institution)s invited you") % data


def _role_title(data) -> str:
    roles = dict(Membership.Role.choices)
    return _("You have a new role: %(role)s at %(institution)s") % {
        **data,
        "role": str(roles.get(data["role"], data["role"])),
    }


kinds.register(
    kinds.Kind("network.invitation", GROUP, gettext_lazy("An invitation"), _invitation_title),
    kinds.Kind("network.role", GROUP, gettext_lazy("A new role in an institution"), _role_title),
)


def on_invitation(person, *, actor) -> None:
    """A new account, welcomed in its bell once the transaction commits."""
    later(_invitation, person.pk, actor=actor)


def on_role_added(membership: Membership, *, actor) -> None:
    later(role_added, membership, actor=actor)


def _invitation(person_id: int, *, actor) -> None:
    """The institution named is the person's first current one, else the municipality."""
    person = Person.objects.get(pk=person_id)
    name = (
        Membership.objects.active(today())
        .filter(person_id=person_id)
        .order_by("starts_on", "pk")
        .values_list("institution__short_name", flat=True)
        .first()
    ) or Municipality.objects.filter(pk=person.municipality_id).values_list("name", flat=True)[0]
    invitation(person, institution_name=name, actor=actor)


def invitation(person, *, institution_name: str, actor) -> None:
    publish(
        "network.invitation",
        recipients=[person.pk],
        municipality_id=person.municipality_id,
        data={"institution": institution_name},
        url=reverse("home"),
        actor=actor,
    )


def role_added(membership: Membership, *, actor) -> None:
    institution = membership.institution
    publish(
        "network.role",
        recipients=[membership.person_id],
        municipality_id=institution.municipality_id,
        institution_id=institution.pk,
        data={"role": membership.role, "institution": institution.short_name},
        url=institution.get_absolute_url(),
        actor=actor,
    )
