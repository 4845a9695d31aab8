"""The map of the network and credited results through the API."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from setka.core.api_auth import PUBLIC, PUBLIC_SECURITY
from setka.core.api_errors import errors_for
from setka.core.clock import today
from setka.network.models import KindGroup, Membership, Municipality, Person
from setka.network.roles import user_roles

from ..selectors.credits import credited_results
from ..selectors.network_map import LINK_KINDS, network_map, year_bounds
from ..views.map import school_year
from .common import invalid
from .schemas import CreditFilter, CreditOut, MapFilter, MapOut

router = Router(tags=["programs"])


@router.get(
    "/programs/network-map",
    response={200: MapOut, **errors_for(404, 422)},
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    summary="The map of the network",
    description=(
        "Who cooperates with whom in a school year (counts only, public): the institutions "
        "of the municipality (yours, or `municipality_id`), and per pair of institutions the "
        "agreements, enrolments, bookings of resource centres and shared offers (`link` "
        "chooses; all by default), with the institutions that stay outside."
    ),
)
def map_get(request: HttpRequest, filters: Query[MapFilter]) -> dict[str, Any]:
    roles = user_roles(request.user)
    municipality_id = filters.municipality_id or roles.municipality_id
    if municipality_id is None:
        municipality_id = Municipality.objects.order_by("pk").values_list("pk", flat=True).first()
    if municipality_id is None or not Municipality.objects.filter(pk=municipality_id).exists():
        raise Http404
    year = filters.year or school_year(today())
    group = filters.group if filters.group in KindGroup.values else ""
    kinds = [k for k in filters.link if k in LINK_KINDS]
    data = network_map(municipality_id, year, kinds, group)
    return {
        "municipality_id": municipality_id,
        "year": year,
        "first": data.first,
        "last": data.last,
        "kinds": data.kinds,
        "nodes": [
            {"id": n.id, "name": n.name, "kind": n.kind, "group": n.group, "degree": n.degree}
            for n in data.nodes.values()
        ],
        "links": [
            {
                "a": link.a,
                "b": link.b,
                "counts": {k: link.counts[k] for k in data.kinds},
                "total": sum(link.counts[k] for k in data.kinds),
            }
            for link in data.links
        ],
        "outside": [n.id for n in data.outside],
    }


@router.get(
    "/programs/credits",
    response={200: list[CreditOut], **errors_for(401, 404, 422)},
    summary="A student's credited results",
    description=(
        "The courses of other institutions a student's home school credits, with the "
        "provider's period results and the average of the marks so far (from `first` to "
        "`last`; this school year by default). For the student, their parents and the "
        "administrators of the home school."
    ),
)
def credit_list(request: HttpRequest, filters: Query[CreditFilter]) -> list[dict[str, Any]]:
    roles = user_roles(request.user)
    student = Person.objects.filter(pk=filters.student_id).first()
    if student is None:
        raise Http404
    family = student.pk == roles.person_id or student.pk in roles.children
    default_first, default_last = year_bounds(school_year(today()))
    first, last = filters.first or default_first, filters.last or default_last
    if last < first:
        raise invalid("last", _("The end is before the start."))
    home = None
    if not family:
        home = (
            student.memberships.filter(
                institution_id__in=roles.admin_of, role=Membership.Role.STUDENT
            )
            .values_list("institution_id", flat=True)
            .first()
            if roles.admin_of
            else None
        )
        if home is None:  # not a student of a school the user administers: as if missing
            raise Http404
    credits = credited_results([student.pk], first=first, last=last, home_institution_id=home)
    return [
        {
            "student_id": c.student_id,
            "home_institution_id": c.home_institution_id,
            "subject": {"id": c.subject_id, "name": c.subject},
            "offer_id": c.offer_id,
            "offer": c.offer,
            "provider": c.provider,
            "periods": c.periods,
            "average": c.average,
            "count": c.count,
        }
        for c in credits.get(student.pk, [])
    ]
