"""Institutions: the public registry, and its changes by the registry managers and (the
contacts) by an institution's own administrators."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages, blank_nulls, forbidden
from setka.core.api_auth import PUBLIC, PUBLIC_SECURITY
from setka.core.api_errors import Id, errors_for

from .. import services
from ..access import institution_for_user
from ..models import Institution, Municipality
from ..roles import user_roles
from ..schemas import InstitutionCreateIn, InstitutionFilter, InstitutionOut, InstitutionPatchIn
from ..selectors import institution_search

router = Router(tags=["network"])


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
    return institution_for_user(request.user, pk=institution_id)


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
    institution = institution_for_user(request.user, pk=institution_id)
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
