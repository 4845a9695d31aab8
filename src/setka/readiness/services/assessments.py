"""Teachers' ICT self-assessments: each teacher fills in their own, in an open campaign that
asks the teachers of their institution."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.core.clock import now, today
from setka.network.roles import user_roles

from .. import revision, scoring
from ..models import Campaign, SelfAssessment, Skill, SkillLevel
from .responses import Conflict


def campaigns_asking(teacher_of: frozenset[int] | set[int]) -> QuerySet[Campaign]:
    """Campaigns open today that ask the teachers of any of these institutions."""
    day = today()
    return (
        Campaign.objects.filter(
            closed_at__isnull=True,
            starts_on__lte=day,
            deadline__gte=day,
            teachers_asked=True,
            responses__institution_id__in=teacher_of,
        )
        .distinct()
        .order_by("-starts_on", "-id")
    )


def _levels(values: dict[str, Any]) -> dict[str, int | None]:
    errors: dict[str, list[str]] = {}
    out: dict[str, int | None] = {}
    for skill, raw in values.items():
        if skill not in Skill.values:
            errors[str(skill)[:40]] = [_("There is no such skill.")]
            continue
        if raw in (None, ""):
            out[skill] = None
            continue
        value = int(raw) if isinstance(raw, str) and raw.isdigit() else raw
        if isinstance(value, bool) or value not in SkillLevel.values:
            errors[skill] = [_("Choose a level from 0 to 3.")]
            continue
        out[skill] = value
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def self_assessment_save(
    *, actor: Any, campaign: Campaign, levels: dict[str, Any], submit: bool = False
) -> SelfAssessment:
    """Save the teacher's levels (skill -> 0–3); ``submit`` needs all six. A submitted
    self-assessment can be changed until the deadline and stays submitted."""
    roles = user_roles(actor)
    if roles.person_id is None or not campaign.responses.filter(
        institution_id__in=roles.teacher_of
    ).exists() or not campaign.teachers_asked:  # fmt: skip
        raise PermissionDenied
    day = today()
    if campaign.closed_at is not None or campaign.starts_on > day:
        raise Conflict(_("The campaign is not open."))
    if campaign.deadline < day:
        raise Conflict(
            _("The deadline (%(day)s) has passed.") % {"day": date_format(campaign.deadline)}
        )
    cleaned = _levels(levels)
    assessment, _created = SelfAssessment.objects.select_for_update().get_or_create(
        campaign=campaign,
        person_id=roles.person_id,
        defaults={"municipality_id": campaign.municipality_id},
    )
    before = assessment.levels()
    for skill, value in cleaned.items():
        setattr(assessment, skill, value)
    submit = submit or assessment.status == SelfAssessment.Status.SUBMITTED
    if submit:
        missing = {s: [_("Choose a level.")] for s, v in assessment.levels().items() if v is None}
        if missing:
            raise ValidationError(missing)
        if assessment.status != SelfAssessment.Status.SUBMITTED:
            assessment.submitted_at = now()
        assessment.status = SelfAssessment.Status.SUBMITTED
    assessment.updated_at = now()
    assessment.save()
    after = assessment.levels()
    changes = {s: [before[s], after[s]] for s in after if before[s] != after[s]}
    audit_log("readiness.self_assessment.save", actor=actor, obj=assessment, changes=changes)
    if submit:
        scoring.recompute_for_teacher(campaign, roles.person_id)
    revision.changed(campaign.municipality_id)
    return assessment
