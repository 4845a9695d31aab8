"""Teachers' ICT self-assessments through the API: a teacher's own (the campaigns that ask
them, and theirs), and saving or submitting one. Nobody else reads a teacher's levels: an
institution sees the aggregate (``GET /readiness/institutions/{id}``)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from setka.core.api import forbidden
from setka.core.api_errors import Id, errors_for
from setka.core.clock import today
from setka.network.roles import user_roles

from .. import services
from ..models import Campaign, SelfAssessment, Skill
from .common import conflict
from .schemas import ReadinessSelfAssessmentIn, ReadinessSelfAssessmentOut

router = Router(tags=["readiness"])


def _out(campaign: Campaign, found: SelfAssessment | None) -> dict[str, Any]:
    day = today()
    return {
        "campaign_id": campaign.pk,
        "campaign": campaign.title,
        "deadline": campaign.deadline,
        "open": campaign.closed_at is None and campaign.starts_on <= day <= campaign.deadline,
        "status": found.status if found else "none",
        "levels": found.levels() if found else dict.fromkeys(Skill.values),
        "submitted_at": found.submitted_at if found else None,
    }


def _teacher(request: HttpRequest):
    roles = user_roles(request.user)
    if not roles.teacher_of or roles.person_id is None:
        raise forbidden(_("The self-assessment is for teachers."))
    return roles


@router.get(
    "/readiness/self-assessments",
    response={200: list[ReadinessSelfAssessmentOut], **errors_for(401, 403)},
    summary="My ICT self-assessments",
    description=(
        "For a teacher: every campaign open now that asks the teachers of their institution "
        "(with their self-assessment, if begun), and their earlier submitted ones."
    ),
)
def self_assessment_list(request: HttpRequest) -> list[dict[str, Any]]:
    roles = _teacher(request)
    mine = {
        a.campaign_id: a
        for a in SelfAssessment.objects.filter(person_id=roles.person_id).select_related("campaign")
    }
    asking = list(services.campaigns_asking(roles.teacher_of))
    out = [_out(c, mine.pop(c.pk, None)) for c in asking]
    earlier = sorted(
        (a for a in mine.values() if a.status == SelfAssessment.Status.SUBMITTED),
        key=lambda a: a.campaign.starts_on,
        reverse=True,
    )
    return out + [_out(a.campaign, a) for a in earlier]


@router.put(
    "/readiness/self-assessments/{campaign_id}",
    response={200: ReadinessSelfAssessmentOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Save my ICT self-assessment",
    description=(
        "Levels 0–3 per skill (office, internet, distance, video, journal, content); "
        "`submit` needs all six (422 per missing skill). A submitted one can be changed until "
        "the deadline and stays submitted; after the deadline, a 409."
    ),
)
def self_assessment_put(
    request: HttpRequest, campaign_id: Id, payload: ReadinessSelfAssessmentIn
) -> HttpResponse | dict[str, Any]:
    roles = _teacher(request)
    campaign = Campaign.objects.filter(
        pk=campaign_id, responses__institution_id__in=roles.teacher_of, teachers_asked=True
    ).distinct().first()  # fmt: skip
    if campaign is None:
        from django.http import Http404

        raise Http404
    levels = {str(k): v for k, v in payload.levels.items()}
    try:
        found = services.self_assessment_save(
            actor=request.user, campaign=campaign, levels=levels, submit=payload.submit
        )
    except services.Conflict as exc:
        return conflict(request, exc)
    except PermissionDenied as exc:
        raise forbidden(_("The self-assessment is for teachers.")) from exc
    return _out(campaign, found)
