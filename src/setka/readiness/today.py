"""The readiness survey on «Сегодня»: a campaign to answer (institution administrators), a
self-assessment to fill in (teachers) and the progress of open campaigns (methodologists and
municipal administrators). One query each, none for people with nothing here."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery

from setka.core import today as home
from setka.core.clock import today

from .models import Campaign, Response, SelfAssessment
from .services import campaigns_asking


@home.block(order=80)
def campaign_to_answer(request, roles) -> home.Block | None:
    if not roles.admin_of:
        return None
    day = today()
    responses = list(
        Response.objects.filter(
            institution_id__in=roles.admin_of,
            campaign__closed_at__isnull=True,
            campaign__starts_on__lte=day,
        )
        .filter(~Q(status=Response.Status.SUBMITTED) | Q(campaign__deadline__gte=day))
        .select_related("campaign", "institution")
        .order_by("campaign__deadline", "institution__short_name")
    )
    if not responses:
        return None
    rows = [(r, r.editable_on(day), (r.campaign.deadline - day).days) for r in responses]
    return home.Block("readiness-answer", "readiness/today/answer.html", {"rows": rows})


@home.block(order=81)
def self_assessment_to_fill(request, roles) -> home.Block | None:
    if not roles.teacher_of or roles.person_id is None:
        return None
    mine = SelfAssessment.objects.filter(campaign=OuterRef("pk"), person_id=roles.person_id)
    campaigns = list(
        campaigns_asking(roles.teacher_of).annotate(my_status=Subquery(mine.values("status")[:1]))
    )
    if not campaigns:
        return None
    return home.Block("readiness-self", "readiness/today/self_assessment.html",
                      {"campaigns": campaigns, "today": today()})  # fmt: skip


@home.block(order=82)
def campaign_progress(request, roles) -> home.Block | None:
    municipalities = roles.methodologist_of | roles.municipal_admin_of
    if not municipalities:
        return None
    submitted = Q(responses__status=Response.Status.SUBMITTED)
    campaigns = list(
        Campaign.objects.filter(
            municipality_id__in=municipalities, closed_at__isnull=True, starts_on__lte=today()
        )
        .annotate(
            total=Count("responses", distinct=True),
            done=Count("responses", filter=submitted, distinct=True),
            asks=Count(
                "responses", filter=Q(responses__reopen_requested_at__isnull=False), distinct=True
            ),
        )
        .order_by("-starts_on")[:3]
    )
    if not campaigns:
        return None
    return home.Block("readiness-progress", "readiness/today/progress.html",
                      {"campaigns": campaigns, "today": today()})  # fmt: skip
