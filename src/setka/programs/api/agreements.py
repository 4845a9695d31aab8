"""Network agreements through the API: the ones you may see, drafting and changing one, its
parts, approvals, putting in force and ending, the printable agreement and the signed
copies (multipart upload; served to the parties only)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages, forbidden
from setka.core.api_errors import Id, errors_for
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import access, rules
from ..documents.pdf import agreement_pdf
from ..models import Agreement, AgreementPart, AgreementScan
from ..selectors.agreements import visible_agreements
from ..services import agreements as service
from ..services.common import Conflict
from .common import conflict, forbid
from .schemas import (
    AgreementDetailOut,
    AgreementFields,
    AgreementIn,
    AgreementOut,
    EndIn,
    PartIn,
    PartOut,
    ScanOut,
)

router = Router(tags=["programs"])


def _scan(scan: AgreementScan) -> dict[str, Any]:
    return {
        "id": scan.pk,
        "name": scan.name,
        "size": scan.size,
        "content_type": scan.content_type,
        "uploaded_at": scan.uploaded_at,
        "url": reverse("api-1:programs_scan_get", args=[scan.pk]),
    }


def _detail(request: HttpRequest, pk: int) -> Agreement:
    """The agreement with what its answer shows: parties, parts, offers, and the signed
    copies for those who may see them."""
    agreement = access.agreement_for_user(request.user, pk)
    scans = None
    if rules.reads_scans(request.user, agreement):
        scans = [_scan(s) for s in agreement.scans.all()]
    agreement.detail_parts = list(agreement.parts.select_related("institution"))  # type: ignore[attr-defined]
    agreement.offer_ids = list(agreement.offers.values_list("pk", flat=True))  # type: ignore[attr-defined]
    agreement.scan_list = scans  # type: ignore[attr-defined]
    return agreement


@router.get(
    "/programs/agreements",
    response={200: list[AgreementOut], **errors_for(401, 422)},
    summary="Network agreements I may see",
    description=(
        "Drafts: the parties' administrators; agreed, active and ended ones: also the "
        "parties' employees and the municipality's administrators and methodologists."
    ),
)
@paginate(Pages, **PAGES)
def agreement_list(request: HttpRequest) -> Any:
    return (
        visible_agreements(user_roles(request.user))
        .select_related("institution")
        .prefetch_related("parties__institution")
        .order_by("-starts_on", "-id")
    )


def _run(request: HttpRequest, act) -> Any:
    try:
        return act()
    except Conflict as exc:
        return conflict(request, exc)
    except PermissionDenied as exc:
        raise forbid(exc) from exc


@router.post(
    "/programs/agreements",
    response={201: AgreementDetailOut, **errors_for(401, 403, 422)},
    summary="Draft an agreement",
    description=(
        "A draft of an institution you administer (the base) with its partners. Add the parts "
        "of the programme, then every party approves it."
    ),
)
def agreement_create(request: HttpRequest, payload: AgreementIn) -> Any:
    if payload.institution_id not in user_roles(request.user).admin_of:
        raise forbidden(_("Only the administration of the base institution may do this."))
    base = Institution.objects.get(pk=payload.institution_id)
    data = payload.model_dump(exclude={"institution_id", "partner_ids"})
    data = {k: v for k, v in data.items() if v is not None}  # the model's defaults otherwise

    def act() -> Any:
        agreement = service.agreement_create(
            actor=request.user, institution=base, data=data, partner_ids=payload.partner_ids
        )
        return Status(201, _detail(request, agreement.pk))

    return _run(request, act)


@router.get(
    "/programs/agreements/{agreement_id}",
    response={200: AgreementDetailOut, **errors_for(401, 404, 422)},
    summary="One agreement",
    description="With its parties, parts, offers and (for the parties) signed copies.",
)
def agreement_get(request: HttpRequest, agreement_id: Id) -> Agreement:
    return _detail(request, agreement_id)


@router.patch(
    "/programs/agreements/{agreement_id}",
    response={200: AgreementDetailOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Change a draft",
    description=(
        "For the base institution's administrators, while it is a draft (else a 409 whose "
        "problem document's `conflict` names the agreement); every party approves it again."
    ),
)
def agreement_update(request: HttpRequest, agreement_id: Id, payload: AgreementFields) -> Any:
    agreement = access.agreement_for_user(request.user, agreement_id)
    data = payload.model_dump(exclude_unset=True)
    partner_ids = data.pop("partner_ids", None)
    data = {k: ("" if v is None and k in ("number", "place") else v) for k, v in data.items()}
    for key in [k for k, v in data.items() if v is None]:
        raise ValidationError({key: _("This field is required.")})

    def act() -> Any:
        service.agreement_update(
            actor=request.user, agreement=agreement, data=data, partner_ids=partner_ids
        )
        return Status(200, _detail(request, agreement.pk))

    return _run(request, act)


@router.post(
    "/programs/agreements/{agreement_id}/parts",
    response={201: PartOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Add a part of the programme",
    description="Who implements it, in how many hours, with which staff, premises, equipment.",
)
def part_create(request: HttpRequest, agreement_id: Id, payload: PartIn) -> Any:
    agreement = access.agreement_for_user(request.user, agreement_id)
    data = payload.model_dump(exclude={"institution_id"})

    def act() -> Any:
        part = service.agreement_part_add(
            actor=request.user,
            agreement=agreement,
            institution_id=payload.institution_id,
            data=data,
        )
        return Status(201, AgreementPart.objects.select_related("institution").get(pk=part.pk))

    return _run(request, act)


@router.delete(
    "/programs/agreements/{agreement_id}/parts/{part_id}",
    response={204: None, **errors_for(401, 403, 404, 409, 422)},
    summary="Remove a part of the programme",
    description="Only from a draft.",
)
def part_delete(request: HttpRequest, agreement_id: Id, part_id: Id) -> Any:
    agreement = access.agreement_for_user(request.user, agreement_id)
    part = agreement.parts.filter(pk=part_id).first()
    if part is None:
        raise Http404
    part.agreement = agreement

    def act() -> Any:
        service.agreement_part_remove(actor=request.user, part=part)
        return Status(204, None)

    return _run(request, act)


STEP = {200: AgreementDetailOut, **errors_for(401, 403, 404, 409, 422)}


def _step(request: HttpRequest, agreement_id: int, act) -> Any:
    agreement = access.agreement_for_user(request.user, agreement_id)

    def run() -> Any:
        act(agreement)
        return Status(200, _detail(request, agreement.pk))

    return _run(request, run)


@router.post(
    "/programs/agreements/{agreement_id}/approve",
    response=STEP,
    summary="Approve a draft",
    description=(
        "For a party's administrators: approves for every party you administer; when all "
        "have approved, the agreement is `agreed`."
    ),
)
def agreement_approve(request: HttpRequest, agreement_id: Id) -> Any:
    return _step(
        request, agreement_id, lambda a: service.agreement_approve(actor=request.user, agreement=a)
    )


@router.post(
    "/programs/agreements/{agreement_id}/activate",
    response=STEP,
    summary="Put an agreement in force",
    description="For the base institution's administrators, once every party has approved it.",
)
def agreement_activate(request: HttpRequest, agreement_id: Id) -> Any:
    return _step(
        request, agreement_id, lambda a: service.agreement_activate(actor=request.user, agreement=a)
    )


@router.post(
    "/programs/agreements/{agreement_id}/end",
    response=STEP,
    summary="End an agreement",
    description=(
        "For the base institution's administrators: the enrolments under it end on `on` "
        "(today by default); the applications still waiting are withdrawn."
    ),
)
def agreement_end(request: HttpRequest, agreement_id: Id, payload: EndIn) -> Any:
    return _step(
        request,
        agreement_id,
        lambda a: service.agreement_end(
            actor=request.user, agreement=a, on=payload.on, reason=payload.reason
        ),
    )


@router.get(
    "/programs/agreements/{agreement_id}/pdf",
    response={200: None, **errors_for(401, 404, 422)},
    openapi_extra={
        "responses": {
            200: {"description": "The agreement as a PDF.", "content": {"application/pdf": {}}}
        }
    },
    summary="The printable agreement",
    description="A PDF in the customary structure of a network agreement, from its data.",
)
def agreement_document(request: HttpRequest, agreement_id: Id) -> HttpResponse:
    agreement = access.agreement_for_user(request.user, agreement_id)
    parts = list(agreement.parts.select_related("institution"))
    response = HttpResponse(
        agreement_pdf(agreement, access.parties_of(agreement), parts),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="agreement-{agreement.pk}.pdf"'
    return response


@router.post(
    "/programs/agreements/{agreement_id}/scans",
    response={201: ScanOut, **errors_for(401, 403, 404, 413, 422)},
    summary="Attach a signed copy",
    description=(
        "Multipart form data with `file`: a PDF, JPEG or PNG of at most 10 MB, by a party's "
        "administrators."
    ),
)
def scan_create(request: HttpRequest, agreement_id: Id, file: File[UploadedFile]) -> Any:
    agreement = access.agreement_for_user(request.user, agreement_id)

    def act() -> Any:
        scan = service.scan_add(actor=request.user, agreement=agreement, file=file)
        return Status(201, _scan(scan))

    return _run(request, act)


@router.get(
    "/programs/scans/{scan_id}",
    response={200: None, **errors_for(401, 404, 422)},
    url_name="programs_scan_get",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file (PDF, JPEG or PNG).",
                "content": {"application/octet-stream": {}},
            }
        }
    },
    summary="A signed copy",
    description="For the parties' administrators (and the municipal administrators).",
)
def scan_get(request: HttpRequest, scan_id: Id) -> HttpResponse:
    scan = access.scan_for_user(request.user, scan_id)
    try:
        with scan.file.open("rb") as handle:  # at most 10 MB: read at once, closed at once
            content = handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type=scan.content_type)
    response["Content-Disposition"] = f'attachment; filename="scan-{scan.pk}{_suffix(scan)}"'
    return response


def _suffix(scan: AgreementScan) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
        scan.content_type, ""
    )


@router.delete(
    "/programs/scans/{scan_id}",
    response={204: None, **errors_for(401, 403, 404, 409, 422)},
    summary="Remove a signed copy",
    description="Only before the agreement is in force.",
)
def scan_delete(request: HttpRequest, scan_id: Id) -> Any:
    scan = access.scan_for_user(request.user, scan_id)

    def act() -> Any:
        service.scan_remove(actor=request.user, scan=scan)
        return Status(204, None)

    return _run(request, act)
