"""Institutions' answers through the API: the answers an institution administrator (or the
survey's runners) may see, one with its scores and gaps, saving answers, submitting, asking
to reopen and reopening or refusing. A passed deadline, a closed campaign or submitted
answers make a 409 that names the answers' state."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages
from setka.core.api_errors import Id, errors_for
from setka.core.clock import today
from setka.network.roles import user_roles

from .. import services
from ..access import response_for_user, runs_in
from ..models import Response
from .common import conflict, described, levels, scores
from .schemas import (
    ReadinessAnswersIn,
    ReadinessReasonIn,
    ReadinessReopenIn,
    ReadinessResponseBriefOut,
    ReadinessResponseOut,
    ReadinessSubmitIn,
)

router = Router(tags=["readiness"])
ANSWERS_409 = (
    "A 409 names the answers in `response`: their status, deadline, reopening and whether the "
    "campaign is closed."
)


class ResponseFilter(Schema):
    campaign_id: Id | None = None
    institution_id: Id | None = None


def response_out(r: Response) -> dict[str, Any]:
    return {
        "id": r.pk,
        "campaign_id": r.campaign_id,
        "campaign": r.campaign.title,
        "institution_id": r.institution_id,
        "institution": r.institution.short_name,
        "status": r.status,
        "version": r.version.number,
        "questionnaire_id": r.campaign.questionnaire_id,
        "answers": r.answers,
        "editable": r.editable_on(today()),
        "deadline": r.reopened_until or r.campaign.deadline,
        "submitted_at": r.submitted_at,
        "reopened_until": r.reopened_until,
        "reopen_requested_at": r.reopen_requested_at,
        "reopen_reason": r.reopen_reason,
        "scores": scores(r),
        "levels": levels(r),
        "gaps": described(r.gaps),
        "prefill": services.prefill(r.institution_id) if r.status == Response.Status.PENDING
        else {},
    }  # fmt: skip


@router.get(
    "/readiness/responses",
    response={200: list[ReadinessResponseBriefOut], **errors_for(401, 422)},
    summary="Answers to the readiness survey",
    description=(
        "The answers you may see: your institution's (an institution administrator), every "
        "institution's (the survey's runners); filter by campaign or institution."
    ),
)
@paginate(Pages, **PAGES)
def response_list(request: HttpRequest, filters: Query[ResponseFilter]) -> QuerySet[Response]:
    roles = user_roles(request.user)
    qs = (
        Response.objects.filter(
            Q(institution_id__in=roles.admin_of)
            | Q(campaign__municipality_id__in=runs_in(request.user))
        )
        .select_related("campaign", "institution", "version")
        .order_by("-campaign__starts_on", "institution__short_name", "pk")
    )
    if filters.campaign_id:
        qs = qs.filter(campaign_id=filters.campaign_id)
    if filters.institution_id:
        qs = qs.filter(institution_id=filters.institution_id)
    return qs


@router.get(
    "/readiness/responses/{response_id}",
    response={200: ReadinessResponseOut, **errors_for(401, 404, 422)},
    summary="An institution's answers",
    description="The answers, their questionnaire version, the last scores and the gaps.",
)
def response_get(request: HttpRequest, response_id: Id) -> dict[str, Any]:
    return response_out(response_for_user(request.user, response_id))


def _save(request: HttpRequest, found: Response, values: dict, submit: bool) -> Any:
    try:
        saved = services.response_save(actor=request.user, response=found,
                                       values=dict(values), submit=submit)  # fmt: skip
    except services.Conflict as exc:
        return conflict(request, exc, found)
    return response_out(response_for_user(request.user, saved.pk))


@router.patch(
    "/readiness/responses/{response_id}/answers",
    response={200: ReadinessResponseOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Save answers",
    description=(
        "Stores the given answers (a draft); answers not given stay, null clears one. All or "
        "nothing: a value of the wrong type or out of range, an unknown question or a part "
        "larger than its total is a 422 on that question's code. For the institution's "
        "administrators (403 for others who see it). " + ANSWERS_409
    ),
)
def response_answers(
    request: HttpRequest, response_id: Id, payload: ReadinessAnswersIn
) -> HttpResponse | dict[str, Any]:
    found = response_for_user(request.user, response_id)
    return _save(request, found, payload.answers, submit=False)


@router.post(
    "/readiness/responses/{response_id}/submit",
    response={200: ReadinessResponseOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Submit the answers",
    description=(
        "Saves the `answers` given, then submits: every required question needs an answer "
        "(422 on each missing one). The index is computed and the methodologists told. "
        + ANSWERS_409
    ),
)
def response_submit(
    request: HttpRequest, response_id: Id, payload: ReadinessSubmitIn
) -> HttpResponse | dict[str, Any]:
    found = response_for_user(request.user, response_id)
    return _save(request, found, payload.answers or {}, submit=True)


@router.post(
    "/readiness/responses/{response_id}/reopen-request",
    response={200: ReadinessResponseOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Ask to reopen the answers",
    description=(
        "The institution's administrators ask the methodologists to reopen submitted answers, "
        "or answers past the deadline; the reason is required. " + ANSWERS_409
    ),
)
def response_reopen_request(
    request: HttpRequest, response_id: Id, payload: ReadinessReasonIn
) -> HttpResponse | dict[str, Any]:
    found = response_for_user(request.user, response_id)
    try:
        services.reopen_request(actor=request.user, response=found, reason=payload.reason)
    except services.Conflict as exc:
        return conflict(request, exc, found)
    return response_out(found)


@router.post(
    "/readiness/responses/{response_id}/reopen",
    response={200: ReadinessResponseOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Reopen the answers",
    description=(
        "For the survey's runners: the answers take changes until `until` (a week from today, "
        "or the deadline, by default; at most 90 days ahead); the institution is told. "
        + ANSWERS_409
    ),
)
def response_reopen(
    request: HttpRequest, response_id: Id, payload: ReadinessReopenIn
) -> HttpResponse | dict[str, Any]:
    found = response_for_user(request.user, response_id)
    try:
        services.reopen_decide(actor=request.user, response=found, grant=True,
                               until=payload.until, reason=payload.reason)  # fmt: skip
    except services.Conflict as exc:
        return conflict(request, exc, found)
    return response_out(found)


@router.post(
    "/readiness/responses/{response_id}/refuse",
    response={200: ReadinessResponseOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Refuse to reopen the answers",
    description="For the survey's runners, with a reason the institution is told. " + ANSWERS_409,
)
def response_refuse(
    request: HttpRequest, response_id: Id, payload: ReadinessReasonIn
) -> HttpResponse | dict[str, Any]:
    found = response_for_user(request.user, response_id)
    try:
        services.reopen_decide(actor=request.user, response=found, grant=False,
                               reason=payload.reason)  # fmt: skip
    except services.Conflict as exc:
        return conflict(request, exc, found)
    return response_out(found)
