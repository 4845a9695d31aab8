"""Campaigns of the readiness survey through the API: the list, starting, changing, closing,
reminding, recomputing; the dashboard's data and the institutions' results. For the people
who run the survey (methodologists, municipal administrators); anyone else gets 403 on the
lists and 404 on a campaign."""

import hashlib
from dataclasses import astuple
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages, forbidden
from setka.core.api_errors import Id, errors_for
from setka.network.models import Municipality

from .. import dashboard, services
from ..access import campaign_for_user, campaigns_for_user, runs_in
from ..models import Campaign, Questionnaire
from .common import competence_out, result_row
from .schemas import (
    ReadinessCampaignIn,
    ReadinessCampaignOut,
    ReadinessCampaignPatchIn,
    ReadinessCountOut,
    ReadinessDashboardOut,
    ReadinessFilter,
    ReadinessResultOut,
)

router = Router(tags=["readiness"])


def municipality_or_403(request: HttpRequest) -> Municipality:
    ids = sorted(runs_in(request.user))
    if not ids:
        raise forbidden(_("Only methodologists and municipal administrators run the survey."))
    return Municipality.objects.get(pk=ids[0])


def campaign_out(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "questionnaire_id": c.questionnaire_id,
        "starts_on": c.starts_on,
        "deadline": c.deadline,
        "teachers_asked": c.teachers_asked,
        "status": c.status,
        "closed_at": c.closed_at,
    }


@router.get(
    "/readiness/campaigns",
    response={200: list[ReadinessCampaignOut], **errors_for(401, 403, 422)},
    summary="Readiness campaigns",
    description="The municipality's campaigns, newest first.",
)
@paginate(Pages, **PAGES)
def campaign_list(request: HttpRequest) -> list[dict[str, Any]]:
    municipality_or_403(request)
    return [campaign_out(c) for c in campaigns_for_user(request.user)]


@router.post(
    "/readiness/campaigns",
    response={201: ReadinessCampaignOut, **errors_for(401, 403, 422)},
    summary="Start a readiness campaign",
    description=(
        "Asks every active institution of the `kinds` (all when empty) to answer by the "
        "`deadline`; their administrators (and the teachers, for the self-assessment) are told "
        "when it opens. Without `questionnaire_id`: the municipality's questionnaire, or a copy "
        "of Setka's default when it has none. A deadline before the opening or in the past is "
        "a 422 on `deadline`."
    ),
)
def campaign_create(request: HttpRequest, payload: ReadinessCampaignIn) -> Any:
    from django.core.exceptions import ValidationError
    from django.db import transaction

    municipality = municipality_or_403(request)
    with transaction.atomic():
        if payload.questionnaire_id is not None:
            questionnaire = Questionnaire.objects.filter(
                pk=payload.questionnaire_id, municipality=municipality
            ).first()
            if questionnaire is None:
                message = _("Choose a questionnaire of this municipality.")
                raise ValidationError({"questionnaire_id": [message]})
        else:
            found = list(Questionnaire.objects.filter(municipality=municipality)[:2])
            if len(found) > 1:
                raise ValidationError({"questionnaire_id": [_("Choose a questionnaire.")]})
            questionnaire = found[0] if found else services.questionnaire_create(
                actor=request.user, municipality=municipality,
                title=_("Readiness for network interaction"),
            )  # fmt: skip
        campaign = services.campaign_create(
            actor=request.user,
            municipality=municipality,
            title=payload.title,
            questionnaire=questionnaire,
            starts_on=payload.starts_on,
            deadline=payload.deadline,
            kinds=[str(k) for k in payload.kinds],
            teachers_asked=payload.teachers_asked,
        )
    return Status(201, campaign_out(campaign))


@router.get(
    "/readiness/campaigns/{campaign_id}",
    response={200: ReadinessCampaignOut, **errors_for(401, 404, 422)},
    summary="A readiness campaign",
    description="One campaign of the municipality whose survey you run.",
)
def campaign_get(request: HttpRequest, campaign_id: Id) -> dict[str, Any]:
    return campaign_out(campaign_for_user(request.user, campaign_id))


@router.patch(
    "/readiness/campaigns/{campaign_id}",
    response={200: ReadinessCampaignOut, **errors_for(401, 404, 422)},
    summary="Change, close or reopen a campaign",
    description=(
        "Change the title, the dates or whether teachers are asked; `closed: true` closes it "
        "(no more answers, even reopened ones), `closed: false` opens it again. A closed "
        "campaign's other fields cannot change (422)."
    ),
)
def campaign_patch(
    request: HttpRequest, campaign_id: Id, payload: ReadinessCampaignPatchIn
) -> dict[str, Any]:
    campaign = campaign_for_user(request.user, campaign_id)
    data = payload.dict(exclude_unset=True)
    closed = data.pop("closed", None)
    if closed is False:
        services.campaign_close(actor=request.user, campaign=campaign, closed=False)
    if data:
        services.campaign_update(actor=request.user, campaign=campaign, **data)
    if closed is True:
        services.campaign_close(actor=request.user, campaign=campaign, closed=True)
    return campaign_out(campaign)


@router.post(
    "/readiness/campaigns/{campaign_id}/remind",
    response={200: ReadinessCountOut, **errors_for(401, 404, 422)},
    summary="Remind those who have not answered",
    description=(
        "Tells, now, the administrators of the institutions that have not submitted and the "
        "teachers who have not assessed themselves; answers how many people were told. Only "
        "an open campaign reminds (422)."
    ),
)
def campaign_remind(request: HttpRequest, campaign_id: Id) -> dict[str, int]:
    campaign = campaign_for_user(request.user, campaign_id)
    return {"count": services.campaign_remind(actor=request.user, campaign=campaign)}


@router.post(
    "/readiness/campaigns/{campaign_id}/recompute",
    response={200: ReadinessCountOut, **errors_for(401, 404, 422)},
    summary="Recompute the index",
    description=(
        "Scores every submitted answer of the campaign again (Setka's own participation data "
        "and the self-assessments change); answers how many. It also runs every night."
    ),
)
def campaign_recompute(request: HttpRequest, campaign_id: Id) -> dict[str, int]:
    campaign = campaign_for_user(request.user, campaign_id)
    return {"count": services.campaign_recompute(actor=request.user, campaign=campaign)}


def _filters(f: ReadinessFilter) -> dashboard.Filters:
    return dashboard.Filters.parse(
        {k: (str(v) if v is not None else None) for k, v in f.dict().items()}
    )


@router.get(
    "/readiness/campaigns/{campaign_id}/dashboard",
    response={200: ReadinessDashboardOut, **errors_for(401, 404, 422)},
    summary="The municipal dashboard's data",
    description=(
        "Everything the dashboard page shows: progress, the mean scores and the previous "
        "campaign's, readiness per network form, the teachers' competence levels, the trend "
        "across campaigns and the institutions (filtered and sorted as on the page)."
    ),
)
def campaign_dashboard(
    request: HttpRequest, campaign_id: Id, filters: Query[ReadinessFilter]
) -> HttpResponse:
    campaign = campaign_for_user(request.user, campaign_id)
    parsed = _filters(filters)
    # The same for everyone who may see the campaign: its JSON, validated by the schema as
    # ninja would, is kept per campaign revision, language and filters (dashboard.memo), so
    # that a client polling the dashboard does not validate fifty rows of results each time.
    part = "api:" + hashlib.blake2b(repr(astuple(parsed)).encode(), digest_size=12).hexdigest()
    body = dashboard.memo(campaign, part, lambda: _dashboard_json(request, campaign, parsed))
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _dashboard_json(request: HttpRequest, campaign: Campaign, filters) -> bytes:
    board = dashboard.build(campaign, filters)
    averages = dict(board.averages)
    averages.pop("count", None)
    data = {
        "campaign": campaign_out(campaign),
        "progress": board.progress,
        "averages": averages,
        "previous": board.previous,
        "forms": board.levels,
        "competence": competence_out(board.competence),
        "trend": board.trend,
        "institutions": [result_row(r) for r in board.rows],
    }
    from setka.config.api import api  # the API this router is part of (imports it)

    out = ReadinessDashboardOut.model_validate(data).model_dump(by_alias=True)
    return api.create_response(request, out, status=200).content


@router.get(
    "/readiness/campaigns/{campaign_id}/results",
    response={200: list[ReadinessResultOut], **errors_for(401, 404, 422)},
    summary="The institutions' results",
    description=(
        "Each institution of the campaign with its status, index, dimension scores, readiness "
        "per network form and capabilities, filtered and sorted as on the dashboard; paginated."
    ),
)
@paginate(Pages, **PAGES)
def campaign_results(
    request: HttpRequest, campaign_id: Id, filters: Query[ReadinessFilter]
) -> list[dict[str, Any]]:
    campaign = campaign_for_user(request.user, campaign_id)
    return [result_row(r) for r in dashboard.rows(campaign, _filters(filters))]
