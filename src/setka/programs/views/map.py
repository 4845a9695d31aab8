"""The map of the network: who cooperates with whom in a school year, as a graph and a table
with counts (public: aggregate counts only)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.clock import today
from setka.core.pagecache import cached_page
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


@cached_page("programs", "network", "resources")
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
        "texts": {
            "period": _(
                "Who cooperates with whom from %(start)s to %(end)s: network agreements, "
                "students taking the courses of another institution, bookings of the resource "
                "centres and courses held together."
            )
            % {"start": date_format(data.first, "j E Y"), "end": date_format(data.last, "j E Y")},
            "pairs": ngettext(
                "%(counter)s pair of institutions cooperates",
                "%(counter)s pairs of institutions cooperate",
                len(data.links),
            )
            % {"counter": len(data.links)},
            "outside": ngettext(
                "%(counter)s institution stays outside",
                "%(counter)s institutions stay outside",
                len(data.outside),
            )
            % {"counter": len(data.outside)},
        },
    }
    # The body is written with Jinja2: a few hundred pairs and institutions (issue 9, "Speed").
    body = mark_safe(  # Jinja2 escapes what it writes
        render_to_string("programs/map_body.html", context, request, using="jinja2")
    )
    return render(request, "programs/map.html", {**context, "body": body})
