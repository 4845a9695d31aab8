"""The network API, part one: the registry of institutions, and the helpers the network
endpoints share (``api_people`` has the people, memberships and guardianship).

Reads check the permission layer (``network.rules``) and writes go through
``network.services``; a service's ``ValidationError`` becomes a 422 problem. An object you
may not see answers 404, like a missing one; an action you may not take on an object you
can see (a public institution, a colleague) answers 403.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages, blank_nulls, forbidden
from setka.core.api_auth import PUBLIC, PUBLIC_SECURITY
from setka.core.api_errors import Id, errors_for

from . import services
from .models import Institution, Municipality
from .roles import user_roles
from .schemas import InstitutionCreateIn, InstitutionFilter, InstitutionOut, InstitutionPatchIn
from .selectors import institution_search

router = Router(tags=["network"])


# --- helpers shared by the network endpoints ----------------------------------------------


def institution_or_404(request: HttpRequest, institution_id: int) -> Institution:
    """A public institution; a closed one only for the registry managers."""
    institution = Institution.objects.filter(pk=institution_id).first()
    if institution is None:
        raise Http404
    if not institution.is_active and not request.user.has_perm(
        "network.manage_registry", institution
    ):
        raise Http404
    return institution


# --- institutions -------------------------------------------------------------------------


@router.get(
    "/institutions",
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    response={200: list[InstitutionOut], **errors_for(401, 422)},
    summary="The registry of institutions",
    description="Public: the active institutions of the network, by name, with filters.",
)
@paginate(Pages, **PAGES)
def institution_list(
    request: HttpRequest, filters: Query[InstitutionFilter]
) -> QuerySet[Institution]:
    return institution_search(
        q=filters.q, kind=filters.kind or "", resource_centre=filters.resource_centre
    )


@router.get(
    "/institutions/{institution_id}",
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    response={200: InstitutionOut, **errors_for(401, 404, 422)},
    summary="One institution",
    description="Public. A closed institution is shown only to the registry managers.",
)
def institution_detail(request: HttpRequest, institution_id: Id) -> Institution:
    return institution_or_404(request, institution_id)


@router.post(
    "/institutions",
    response={201: InstitutionOut, **errors_for(401, 403, 422)},
    summary="Add an institution to the registry",
    description="For the registry managers of the municipality (its admins, methodologists).",
)
def institution_create(request: HttpRequest, payload: InstitutionCreateIn) -> Status[Any]:
    municipality_id = user_roles(request.user).municipality_id
    municipality = (
        Municipality.objects.filter(pk=municipality_id).first() if municipality_id else None
    )
    if municipality is None or not request.user.has_perm("network.add_institution", municipality):
        raise forbidden(_("Only the registry managers of the municipality add institutions."))
    institution = services.institution_create(
        actor=request.user, municipality=municipality, **payload.model_dump()
    )
    return Status(201, institution)


@router.patch(
    "/institutions/{institution_id}",
    response={200: InstitutionOut, **errors_for(401, 403, 404, 422)},
    summary="Change an institution",
    description=(
        "Only the fields sent change. The registry managers may change every field; the "
        "institution's own administrator only the contacts (address, coordinates, phones, "
        "e-mail, website, head, working hours, description); other fields answer 403."
    ),
)
def institution_update(
    request: HttpRequest, institution_id: Id, payload: InstitutionPatchIn
) -> Institution:
    institution = institution_or_404(request, institution_id)
    data = blank_nulls(payload.model_dump(exclude_unset=True), Institution)
    user = request.user
    fields: list[str] | None = None
    if not user.has_perm("network.change_institution", institution):
        if not user.has_perm("network.change_institution_contacts", institution):
            raise forbidden(_("You cannot change this institution."))
        fields = services.INSTITUTION_CONTACT_FIELDS
        extra = sorted(set(data) - set(fields))
        if extra:
            message = _("Only the registry managers of the municipality can change this field.")
            raise forbidden(
                _("You may change only the contacts of this institution."),
                [{"field": name, "message": message, "code": "forbidden"} for name in extra],
            )
    return services.institution_update(actor=user, institution=institution, fields=fields, **data)
