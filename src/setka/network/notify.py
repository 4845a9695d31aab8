"""What the network tells people through the notification centre: an invitation to sign
in, and a new role in an institution."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.notifications import kinds
from setka.notifications.services import publish

from .models import Membership

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
