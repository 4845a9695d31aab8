"""The map of the network: the institutions of a municipality and who cooperates with whom in
a school year — agreements, enrolments (students of one institution taking the courses of
another), bookings of resource centres and shared offers (held at a partner's premises or
run under an agreement with the other parties). Public in aggregate: counts only.

A handful of aggregate queries whatever the size of the network: the institutions, the
parties of the year's agreements, the enrolments by pair, the shared offers by pair, and the
bookings by pair (the resource centres' own selector)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from setka.network.models import KIND_GROUP, Institution, InstitutionKind
from setka.resources.selectors import booking_links

from ..models import Agreement, AgreementParty, Application, Offer

LINK_KINDS = {
    "agreements": _("agreements"),
    "enrolments": _("enrolments"),
    "bookings": _("bookings"),
    "offers": _("shared offers"),
}


@dataclass
class Node:
    id: int
    name: str
    label: str
    kind: str
    group: str
    degree: int = 0
    x: float = 0.0
    y: float = 0.0
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"


@dataclass
class Link:
    a: int
    b: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LINK_KINDS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def width(self) -> float:
        return round(1 + 1.5 * math.log2(1 + self.total), 2)


@dataclass
class NetworkMap:
    year: int
    first: dt.date
    last: dt.date
    kinds: list[str]
    nodes: dict[int, Node]
    links: list[Link]

    @property
    def outside(self) -> list[Node]:
        return sorted((n for n in self.nodes.values() if not n.degree), key=lambda n: n.name)

    @property
    def totals(self) -> dict[str, int]:
        return {k: sum(link.counts[k] for link in self.links) for k in self.kinds}


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """A school year: 1 September to 31 August."""
    return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)


def label_of(name: str) -> str:
    """«СОШ № 3» of «МБОУ ШР «СОШ № 3»»: the part in quotes, or the name."""
    if "«" in name:
        inner = name[name.index("«") + 1 :].rstrip("»")
        return inner.replace("«", "").replace("»", "") or name
    return name


def _pairs(ids: list[int]):
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            yield a, b


def network_map(
    municipality_id: int, year: int, kinds: list[str] | None = None, group: str = ""
) -> NetworkMap:
    first, last = year_bounds(year)
    kinds = [k for k in LINK_KINDS if k in (kinds or LINK_KINDS)]
    institutions = Institution.objects.active().filter(municipality_id=municipality_id)
    nodes: dict[int, Node] = {}
    for pk, short, kind in institutions.order_by("kind", "short_name").values_list(
        "pk", "short_name", "kind"
    ):
        node_group = KIND_GROUP[InstitutionKind(kind)]
        if group and node_group != group:
            continue
        nodes[pk] = Node(pk, short, label_of(short), kind, str(node_group))
    links: dict[tuple[int, int], Link] = {}

    def add(a: int, b: int, kind: str, n: int) -> None:
        if a == b or a not in nodes or b not in nodes or not n:
            return
        key = (min(a, b), max(a, b))
        links.setdefault(key, Link(*key)).counts[kind] += n

    year_agreements = Q(
        agreement__municipality_id=municipality_id,
        agreement__starts_on__lte=last,
        agreement__ends_on__gte=first,
    ) & ~Q(agreement__status=Agreement.Status.DRAFT)
    parties: dict[int, list[int]] = defaultdict(list)
    if "agreements" in kinds or "offers" in kinds:
        for agreement_id, institution_id in AgreementParty.objects.filter(
            year_agreements
        ).values_list("agreement_id", "institution_id"):
            parties[agreement_id].append(institution_id)
    if "agreements" in kinds:
        for members in parties.values():
            for a, b in _pairs(sorted(members)):
                add(a, b, "agreements", 1)
    if "enrolments" in kinds:
        for home, provider, n in (
            Application.objects.filter(
                offer__municipality_id=municipality_id,
                offer__starts_on__lte=last,
                offer__ends_on__gte=first,
                status=Application.Status.ACCEPTED,
            )
            .values_list("home_institution_id", "institution_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            add(home, provider, "enrolments", n)
    if "bookings" in kinds:
        for booker, owner, n in booking_links(municipality_id, first, last):
            add(booker, owner, "bookings", n)
    if "offers" in kinds:
        shared: dict[tuple[int, int], set[int]] = defaultdict(set)
        for offer_id, provider, host, agreement_id in (
            Offer.objects.filter(
                Q(venue_institution__isnull=False) | Q(agreement__isnull=False),
                municipality_id=municipality_id,
                starts_on__lte=last,
                ends_on__gte=first,
            )
            .exclude(status=Offer.Status.DRAFT)
            .values_list("pk", "institution_id", "venue_institution_id", "agreement_id")
        ):
            others = {host} if host else set()
            others |= set(parties.get(agreement_id, []))
            for other in others - {provider, None}:
                shared[(min(provider, other), max(provider, other))].add(offer_id)
        for (a, b), offer_ids in shared.items():
            add(a, b, "offers", len(offer_ids))
    ordered = sorted(links.values(), key=lambda link: (-link.total, link.a, link.b))
    for link in ordered:
        nodes[link.a].degree += 1
        nodes[link.b].degree += 1
    _layout(list(nodes.values()))
    return NetworkMap(year, first, last, kinds, nodes, ordered)


SIZE = 760
RADIUS = 260


def _layout(nodes: list[Node]) -> None:
    """On a circle, by kind of institution (the order of the query), labels outside."""
    count = max(1, len(nodes))
    centre = SIZE / 2
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / count - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        node.x = round(centre + RADIUS * cos, 1)
        node.y = round(centre + RADIUS * sin, 1)
        node.label_x = round(centre + (RADIUS + 14) * cos, 1)
        node.label_y = round(centre + (RADIUS + 14) * sin + 4, 1)
        node.anchor = "start" if cos > 0.1 else "end" if cos < -0.1 else "middle"
