"""Offers through the API: the catalogue with its filters (anyone), one offer, and for the
provider's administrators: their offers, creating and changing one, its status, its group in
the journal and its applications."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages, forbidden
from setka.core.api_auth import PUBLIC, PUBLIC_SECURITY
from setka.core.api_errors import Id, errors_for
from setka.journal.models import StudyGroup, Subject
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import access
from ..models import Agreement, Application, Offer
from ..selectors import catalogue as cat
from ..selectors.applications import family_students, offer_applications
from ..services import offers as service
from ..services.offers import Slot
from .common import forbid, invalid, lookup
from .schemas import (
    ApplicationOut,
    CatalogueFilter,
    GroupIn,
    OfferFields,
    OfferIn,
    OfferOut,
    StatusIn,
)

router = Router(tags=["programs"])
RELATED = ("institution", "venue_institution", "subject", "credited_subject")


def _offer(pk: int) -> Offer:
    return Offer.objects.select_related(*RELATED).prefetch_related("slots", "teachers").get(pk=pk)


@router.get(
    "/programs/offers",
    response={200: list[OfferOut], **errors_for(422)},
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    summary="The catalogue of offers",
    description=(
        "Published offers not over yet, with the catalogue's filters and Russian full-text "
        "search (`q`). `fits_student_id` (signed in: yourself as a student, or your child) hides "
        "the offers whose times clash with that student's lessons. Best match first when "
        "searching, else by title."
    ),
)
@paginate(Pages, **PAGES)
def offer_list(request: HttpRequest, filters: Query[CatalogueFilter]) -> QuerySet[Offer]:
    fits = None
    if filters.fits_student_id is not None:
        allowed = [pk for pk, _name in family_students(user_roles(request.user))]
        if filters.fits_student_id not in allowed:
            raise invalid(
                "fits_student_id", _("Choose yourself (a student) or one of your children.")
            )
        fits = filters.fits_student_id
    query = cat.Filters(
        q=filters.q,
        kind=filters.kind or "",
        area=filters.area or "",
        form=filters.form or "",
        grade=filters.grade,
        institution=filters.institution_id,
        weekday=filters.weekday,
        after=filters.after,
        before=filters.before,
        free=filters.free,
        open=filters.open,
        fits=fits,
    )
    return cat.catalogue(query).select_related(*RELATED).prefetch_related("slots", "teachers")


@router.get(
    "/programs/my-offers",
    response={200: list[OfferOut], **errors_for(401, 422)},
    summary="The offers of my institutions",
    description="Every offer (drafts and archived too) of the institutions you administer.",
)
@paginate(Pages, **PAGES)
def my_offer_list(request: HttpRequest) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(institution_id__in=user_roles(request.user).admin_of)
        .select_related(*RELATED)
        .prefetch_related("slots", "teachers")
        .order_by("title", "id")
    )


@router.get(
    "/programs/offers/{offer_id}",
    response={200: OfferOut, **errors_for(404, 422)},
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    summary="One offer",
    description="A published offer (anyone); a draft or archived one: its provider only.",
)
def offer_get(request: HttpRequest, offer_id: Id) -> Offer:
    return _offer(access.offer_for_user(request.user, offer_id).pk)


def _service_data(payload: OfferFields, municipality_id: int) -> tuple[dict, Any, Any]:
    data = payload.model_dump(exclude_unset=True)
    slots = data.pop("slots", None)
    teachers = data.pop("teacher_ids", None)
    data.pop("institution_id", None)
    for name, model, scope in (
        ("subject", Subject, {"municipality_id": municipality_id}),
        ("credited_subject", Subject, {"municipality_id": municipality_id}),
        ("venue_institution", Institution, {"municipality_id": municipality_id}),
        ("agreement", Agreement, {"municipality_id": municipality_id}),
    ):
        if f"{name}_id" in data:
            data[name] = lookup(model, data.pop(f"{name}_id"), f"{name}_id", **scope)
    for name in ("description", "room", "online_url"):
        if name in data and data[name] is None:
            data[name] = ""
    if slots is not None:
        slots = [Slot(s.get("weekday"), s.get("date"), s["starts_at"], s["ends_at"]) for s in slots]
    return data, slots, teachers


@router.post(
    "/programs/offers",
    response={201: OfferOut, **errors_for(401, 403, 422)},
    summary="Create an offer",
    description=(
        "A draft offer of an institution you administer, with its times (`slots`) and "
        "teachers. Publish it with `POST /programs/offers/{id}/status`."
    ),
)
def offer_create(request: HttpRequest, payload: OfferIn) -> Status[Offer]:
    if payload.institution_id not in user_roles(request.user).admin_of:
        raise forbidden(_("Only the administration of the provider manages its offers."))
    institution = Institution.objects.get(pk=payload.institution_id)
    data, slots, teachers = _service_data(payload, institution.municipality_id)
    try:
        offer = service.offer_create(
            actor=request.user,
            institution=institution,
            data=data,
            slots=slots or [],
            teacher_ids=teachers or [],
        )
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return Status(201, _offer(offer.pk))


def _managed(request: HttpRequest, offer_id: int) -> Offer:
    offer = access.offer_for_user(request.user, offer_id)
    if offer.institution_id not in user_roles(request.user).admin_of:
        raise forbidden(_("Only the administration of the provider manages its offers."))
    return offer


@router.patch(
    "/programs/offers/{offer_id}",
    response={200: OfferOut, **errors_for(401, 403, 404, 422)},
    summary="Change an offer",
    description=(
        "Only the fields given change; `slots` and `teacher_ids`, when given, replace the "
        "offer's. Fewer places than the students already accepted is a 422; more places move "
        "the waiting list up."
    ),
)
def offer_update(request: HttpRequest, offer_id: Id, payload: OfferFields) -> Offer:
    offer = _managed(request, offer_id)
    data, slots, teachers = _service_data(payload, offer.municipality_id)
    try:
        service.offer_update(
            actor=request.user, offer=offer, data=data, slots=slots, teacher_ids=teachers
        )
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return _offer(offer.pk)


@router.post(
    "/programs/offers/{offer_id}/status",
    response={200: OfferOut, **errors_for(401, 403, 404, 422)},
    summary="Publish, archive or take back an offer",
    description=(
        "`published`: it shows in the catalogue (a full-time or part-time course needs its "
        "times); `archived`: it leaves the catalogue; `draft`: only while nobody has applied."
    ),
)
def offer_status(request: HttpRequest, offer_id: Id, payload: StatusIn) -> Offer:
    offer = _managed(request, offer_id)
    try:
        service.offer_set_status(actor=request.user, offer=offer, status=str(payload.status))
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return _offer(offer.pk)


@router.post(
    "/programs/offers/{offer_id}/group",
    response={200: OfferOut, **errors_for(401, 403, 404, 422)},
    summary="Give an offer its group in the journal",
    description=(
        "With `group_id`: an existing network or elective group of the provider; without: a "
        "new network group with the offer's subject and teachers. The accepted students join "
        "it for the course's term (bounded by the agreement's)."
    ),
)
def offer_group(request: HttpRequest, offer_id: Id, payload: GroupIn) -> Offer:
    offer = _managed(request, offer_id)
    try:
        if payload.group_id is None:
            service.offer_group_create(actor=request.user, offer=offer)
        else:
            group = lookup(
                StudyGroup, payload.group_id, "group_id", institution_id=offer.institution_id
            )
            service.offer_group_link(actor=request.user, offer=offer, group=group)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return _offer(offer.pk)


@router.get(
    "/programs/offers/{offer_id}/applications",
    response={200: list[ApplicationOut], **errors_for(401, 403, 404, 422)},
    summary="The applications to an offer",
    description="For the provider's administrators: live ones first (by arrival), then the rest.",
)
def offer_application_list(request: HttpRequest, offer_id: Id) -> list[Application]:
    offer = _managed(request, offer_id)
    applications = offer_applications(offer)
    for application in applications:
        application.offer = offer
    return applications
