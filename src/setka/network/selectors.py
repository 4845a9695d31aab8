"""Reads of the network registry used by more than one caller (pages, API, exports)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from setka.core.clock import today

from .models import Institution, InstitutionKind, Membership, Person


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
