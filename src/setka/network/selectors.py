"""Reads of the network registry used by more than one caller (pages, API, exports)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from setka.core.clock import today

from . import sign_in_email
from .models import Guardianship, Institution, InstitutionKind, Membership, Person
from .roles import user_roles
from .sign_in_email import EmailChange


def institution_search(
    *, q: str = "", kind: str = "", resource_centre: bool | None = None, active_only: bool = True
) -> QuerySet[Institution]:
    qs = Institution.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if resource_centre is not None:
        qs = qs.filter(is_resource_centre=resource_centre)
    for word in _search_terms(q):
        if word.isdigit() or word.startswith("№"):
            # «№ 3» and «3» are institution numbers: match the whole number in a name,
            # so that «школа № 3» finds neither school № 13 nor a house number 3.
            number = word.lstrip("№")
            if not number.isdigit():
                continue
            pattern = rf"(^|[^0-9]){number}([^0-9]|$)"
            qs = qs.filter(Q(short_name__iregex=pattern) | Q(full_name__iregex=pattern))
            continue
        qs = qs.filter(
            Q(short_name__icontains=word)
            | Q(full_name__icontains=word)
            | Q(address__icontains=word)
            | Q(head_name__icontains=word)
        )
    return qs.order_by("short_name")


def _search_terms(q: str) -> list[str]:
    """Words of a directory query; «№» is joined to the number after it («№ 3» → «№3»)."""
    words: list[str] = []
    for word in q.replace("№", " № ").split():
        if words and words[-1] == "№":
            words[-1] += word
        else:
            words.append(word)
    return [w for w in words if w != "№"][:8]


def valid_kind(kind: str) -> str:
    return kind if kind in InstitutionKind.values else ""


def institution_role_counts(institution_ids) -> dict[int, dict[str, int]]:
    """Active members per institution and role, in one query."""
    rows = (
        Membership.objects.active()
        .filter(institution_id__in=list(institution_ids))
        .values("institution_id", "role")
        .annotate(n=Count("person_id", distinct=True))
    )
    out: dict[int, dict[str, int]] = {}
    for row in rows:
        out.setdefault(row["institution_id"], {})[row["role"]] = row["n"]
    return out


def children_of(person_id: int) -> QuerySet[Person]:
    return Person.objects.filter(
        guardians__guardian_id=person_id, guardians__ends_on__isnull=True
    ).order_by("birth_date", "given_name")


def active_memberships_of(person_ids) -> dict[int, list[Membership]]:
    out: dict[int, list[Membership]] = {}
    qs = (
        Membership.objects.active(today())
        .filter(person_id__in=list(person_ids))
        .select_related("institution")
        .order_by("institution__short_name")
    )
    for m in qs:
        out.setdefault(m.person_id, []).append(m)
    return out


@dataclass
class PersonCard:
    """What of a person the viewer may see: the page and the API show the same."""

    full: bool  # family, date of birth and account
    memberships: list[Membership]
    guardians: list[Guardianship]
    wards: list[Guardianship]
    email_changes: list[EmailChange]


def person_card(user, person: Person) -> PersonCard:
    """The person's memberships, parents and children as ``user`` may see them. The person
    themselves, their parents and the municipal admins see everything; an institution's
    administrator sees the roles in the institutions they administer and the places where the
    person works, and only the relatives they may see themselves (not a child at another
    school); a colleague sees where the person works now. The history of the sign-in address
    is shown to the person and to those who may change their data."""
    roles = user_roles(user)
    now = today()
    own = person.pk == roles.person_id or person.pk in roles.children
    everything = own or user.is_superuser or person.municipality_id in roles.municipal_admin_of
    can_change = user.has_perm("network.change_person", person)
    memberships = sorted(
        person.memberships.select_related("institution"),
        key=lambda m: (not m.is_active_on(now), -m.starts_on.toordinal(), m.pk),
    )
    if not everything:
        memberships = [
            m
            for m in memberships
            if (can_change and m.institution_id in roles.admin_of)
            or (m.is_active_on(now) and m.role != Membership.Role.STUDENT)
        ]
    card = PersonCard(everything or can_change, memberships, [], [], [])
    if not card.full:
        return card
    links = Guardianship.objects.select_related("guardian", "student").order_by("ends_on", "pk")
    guardians = list(links.filter(student=person))
    wards = list(links.filter(guardian=person))
    if not everything:
        guardians = [g for g in guardians if user.has_perm("network.view_person", g.guardian)]
        wards = [g for g in wards if user.has_perm("network.view_person", g.student)]
    card.guardians, card.wards = guardians, wards
    if can_change or person.pk == roles.person_id:
        card.email_changes = sign_in_email.history(person)
    return card
