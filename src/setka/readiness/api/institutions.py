"""An institution's readiness through the API: its capabilities for remote participation,
latest scores, gaps with recommendations, teachers' competence and history; recording a
bandwidth check; and the municipality's index settings."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from setka.core.api_errors import Id, errors_for

from .. import selectors, services
from ..access import institution_by_id_for_user
from ..index import SETTINGS_FIELDS
from ..scoring import settings_for
from .campaigns import municipality_or_403
from .common import SCORES, competence_out, described, levels
from .schemas import (
    ReadinessInstitutionOut,
    ReadinessSettingsIn,
    ReadinessSettingsOut,
    ReadinessSpeedTestIn,
    ReadinessSpeedTestOut,
)

router = Router(tags=["readiness"])


def _history(r) -> dict[str, Any]:
    return {
        **{k: getattr(r, k) for k in SCORES},
        "response_id": r.pk,
        "campaign_id": r.campaign_id,
        "campaign": r.campaign.title,
        "starts_on": r.campaign.starts_on,
        "status": r.status,
    }


@router.get(
    "/readiness/institutions/{institution_id}",
    response={200: ReadinessInstitutionOut, **errors_for(401, 404, 422)},
    summary="An institution's readiness",
    description=(
        "For the institution's administrators and the survey's runners: what it can do for "
        "remote participation (the same as the schedule builder reads), the latest scores and "
        "statuses per network form, the gaps with recommendations, the teachers' competence "
        "levels (aggregated) and the history across campaigns."
    ),
)
def institution_get(request: HttpRequest, institution_id: Id) -> dict[str, Any]:
    institution = institution_by_id_for_user(request.user, institution_id)
    history = selectors.institution_history(institution.pk)
    latest = next((r for r in history if r.index is not None), None)
    venue = selectors.venue_capabilities([institution.pk])[institution.pk]
    competence = selectors.competence(latest.campaign, institution.pk) if latest else None
    return {
        "institution_id": institution.pk,
        "institution": institution.short_name,
        "capabilities": {
            "can_host_remote": venue.can_host_remote,
            "can_join_remote": venue.can_join_remote,
            "vc_rooms": venue.vc_rooms,
            "bandwidth_mbps": venue.bandwidth_mbps,
            "upload_mbps": venue.upload_mbps,
            "index": venue.index,
            "campaign_id": venue.campaign_id,
        },
        "latest": _history(latest) if latest else None,
        "levels": levels(latest) if latest else {},
        "gaps": described(latest.gaps) if latest else [],
        "competence": competence_out(competence) if competence else None,
        "history": [_history(r) for r in history],
    }


@router.post(
    "/readiness/institutions/{institution_id}/speed-tests",
    response={201: ReadinessSpeedTestOut, **errors_for(401, 403, 404, 422)},
    summary="Record a bandwidth check",
    description=(
        "The speeds measured from the institution's network, in Mbit/s (the bandwidth check "
        "page does this). They go into the institution's answers that are open now, if any "
        "(`response_id`). Only the institution's administrators record (403)."
    ),
)
def speed_test_create(
    request: HttpRequest, institution_id: Id, payload: ReadinessSpeedTestIn
) -> Any:
    institution = institution_by_id_for_user(request.user, institution_id)
    test = services.speed_test_record(
        actor=request.user,
        institution=institution,
        download_mbps=payload.download_mbps,
        upload_mbps=payload.upload_mbps,
        latency_ms=payload.latency_ms,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, {
        "id": test.pk, "measured_at": test.measured_at, "download_mbps": test.download_mbps,
        "upload_mbps": test.upload_mbps, "latency_ms": test.latency_ms,
        "response_id": test.response_id,
    })  # fmt: skip


def _settings_out(municipality_id: int) -> dict[str, Any]:
    found = settings_for(municipality_id)
    return {f: getattr(found, f) for f in SETTINGS_FIELDS}


@router.get(
    "/readiness/settings",
    response={200: ReadinessSettingsOut, **errors_for(401, 403)},
    summary="The index settings",
    description="Weights, thresholds per network form and the connection settings.",
)
def settings_get(request: HttpRequest) -> dict[str, Any]:
    return _settings_out(municipality_or_403(request).pk)


@router.patch(
    "/readiness/settings",
    response={200: ReadinessSettingsOut, **errors_for(401, 403, 422)},
    summary="Change the index settings",
    description=(
        "The fields given change; every submitted answer of the municipality is scored again. "
        "A “partly ready” threshold above “ready”, or all weights 0, is a 422."
    ),
)
def settings_patch(request: HttpRequest, payload: ReadinessSettingsIn) -> dict[str, Any]:
    municipality = municipality_or_403(request)
    services.settings_update(
        actor=request.user, municipality=municipality, **payload.dict(exclude_unset=True)
    )
    return _settings_out(municipality.pk)
