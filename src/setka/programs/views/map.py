"""The map of the network: who cooperates with whom in a school year, as a graph and a table
with counts (public: aggregate counts only)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from setka.core.clock import today
from setka.network.models import KindGroup, Municipality
from setka.network.roles import user_roles

from ..selectors.network_map import LINK_KINDS, RADIUS, SIZE, network_map

FIRST_YEAR = 2000


def school_year(day) -> int:
    return day.year if day.month >= 9 else day.year - 1


def map_params(request: HttpRequest) -> tuple[Municipality, int, list[str], str]:
    """The municipality (the visitor's own, else the first), the school year and the kinds of
    links and institutions asked for; unreadable values fall back to the defaults."""
    roles = user_roles(request.user)
    municipalities = Municipality.objects.order_by("pk")
    municipality = None
    raw = request.GET.get("municipality", "")
    if raw.isdigit() and len(raw) < 18:
        municipality = municipalities.filter(pk=int(raw)).first()
    if municipality is None and roles.municipality_id is not None:
        municipality = municipalities.filter(pk=roles.municipality_id).first()
    municipality = municipality or municipalities.first()
    if municipality is None:
        raise Http404
    current = school_year(today())
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else current
    if not FIRST_YEAR <= year <= current + 1:
        year = current
    kinds = [k for k in request.GET.getlist("link") if k in LINK_KINDS] or list(LINK_KINDS)
    group = request.GET.get("group", "")
    if group not in KindGroup.values:
        group = ""
    return municipality, year, kinds, group


def network_map_page(request: HttpRequest) -> HttpResponse:
    municipality, year, kinds, group = map_params(request)
    data = network_map(municipality.pk, year, kinds, group)
    current = school_year(today())
    context = {
        "municipality": municipality,
        "map": data,
        "years": list(range(current + 1, current - 5, -1)),
        "link_kinds": list(LINK_KINDS.items()),
        "groups": KindGroup.choices,
        "group": group,
        "size": SIZE,
        "centre": SIZE // 2,
        "radius": RADIUS,
        "nodes": list(data.nodes.values()),
        "edges": [(data.nodes[link.a], data.nodes[link.b], link) for link in data.links],
    }
    return render(request, "programs/map.html", context)
