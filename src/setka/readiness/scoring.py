"""The index computed from the database: reads the questions, the self-assessments and Setka's
own participation data for many responses at once (a constant number of queries) and stores
each result on its response (``index.compute`` does the arithmetic)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Avg, Count, ExpressionWrapper, F, FloatField, Q

from setka.core.clock import now, today
from setka.network.models import Membership

from . import index as ix
from . import revision
from .models import Campaign, IndexSettings, Question, Response, SelfAssessment, Skill
from .participation import participation_of

SCORE_FIELDS = [
    "index", "infrastructure", "connectivity", "videoconferencing", "staff", "participation",
    "join_remote", "host_lesson", "host_course", "can_join", "can_host", "bandwidth_mbps",
    "upload_mbps", "vc_rooms", "teachers_total", "teachers_assessed", "gaps",
    "participation_counts", "computed_at",
]  # fmt: skip


def settings_for(municipality_id: int) -> IndexSettings:
    """The municipality's settings, or the defaults (unsaved) when it has changed none."""
    found = IndexSettings.objects.filter(municipality_id=municipality_id).first()
    return found or IndexSettings(municipality_id=municipality_id)


def reference_day(campaign: Campaign) -> dt.date:
    """Whose teachers count: the institution's teachers on the deadline (or today, before)."""
    return min(today(), campaign.deadline)


def _level_sum():
    total = F(Skill.values[0])
    for skill in Skill.values[1:]:
        total = total + F(skill)
    return ExpressionWrapper(total * 100.0 / (3 * len(Skill.values)), output_field=FloatField())


def competence_of(campaign: Campaign, institution_ids: Iterable[int]) -> dict[int, ix.Competence]:
    """Per institution: its teachers, how many submitted a self-assessment in the campaign,
    their mean score and the share at the basic level in each skill. Two queries."""
    ids = list(set(institution_ids))
    day = reference_day(campaign)
    teachers = dict(
        Membership.objects.active(day)
        .filter(role=Membership.Role.TEACHER, institution_id__in=ids)
        .values_list("institution_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    on = "person__memberships__"
    basic = {
        f"basic_{s}": Count("id", distinct=True, filter=Q(**{f"{s}__lte": ix.BASIC_LEVEL}))
        for s in Skill.values
    }
    rows = (
        SelfAssessment.objects.filter(
            campaign=campaign,
            status=SelfAssessment.Status.SUBMITTED,
            **{f"{on}institution_id__in": ids, f"{on}role": Membership.Role.TEACHER},
            **{f"{on}starts_on__lte": day},
        )
        .filter(Q(**{f"{on}ends_on__isnull": True}) | Q(**{f"{on}ends_on__gte": day}))
        .values(f"{on}institution_id")
        .annotate(n=Count("id", distinct=True), mean=Avg(_level_sum()), **basic)
    )
    out = {i: ix.Competence(teachers=teachers.get(i, 0), assessed=0) for i in ids}
    for row in rows:
        institution_id, n = row[f"{on}institution_id"], row["n"]
        out[institution_id] = ix.Competence(
            teachers=max(teachers.get(institution_id, 0), n),
            assessed=n,
            mean=row["mean"],
            basic_share={s: row[f"basic_{s}"] / n for s in Skill.values},
        )
    return out


def questions_by_version(version_ids: Iterable[int]) -> dict[int, list[Question]]:
    out: dict[int, list[Question]] = defaultdict(list)
    for q in Question.objects.filter(version_id__in=set(version_ids)).order_by("position", "id"):
        out[q.version_id].append(q)
    return out


def compute_responses(campaign: Campaign, responses: Sequence[Response]) -> list[Response]:
    """Compute and store the result of each (submitted) response of ``campaign``."""
    responses = [r for r in responses if r.status == Response.Status.SUBMITTED]
    if not responses:
        return []
    settings = settings_for(campaign.municipality_id)
    questions = questions_by_version(r.version_id for r in responses)
    ids = [r.institution_id for r in responses]
    competence = competence_of(campaign, ids)
    participation = participation_of(ids, campaign.deadline)
    moment = now()
    for response in responses:
        apply_result(
            response,
            ix.compute(
                questions[response.version_id],
                response.answers,
                settings,
                competence=competence[response.institution_id],
                participation=participation[response.institution_id],
            ),
            competence[response.institution_id],
            participation[response.institution_id],
        )
        response.computed_at = moment
    Response.objects.bulk_update(responses, SCORE_FIELDS, batch_size=500)
    revision.changed(campaign.municipality_id)
    return responses


def apply_result(
    response: Response,
    result: ix.Result,
    competence: ix.Competence,
    participation: ix.Participation,
) -> None:
    response.index = result.index
    for dimension, score in result.dimensions.items():
        setattr(response, dimension, score)
    response.join_remote = result.levels["join_remote"]
    response.host_lesson = result.levels["host_lesson"]
    response.host_course = result.levels["host_course"]
    response.can_join, response.can_host = result.can_join, result.can_host
    response.bandwidth_mbps, response.upload_mbps = result.bandwidth, result.upload
    response.vc_rooms = result.vc_rooms
    response.teachers_total = competence.teachers
    response.teachers_assessed = competence.assessed
    response.gaps = result.gaps
    response.participation_counts = dict(participation.counts)


def recompute_campaign(campaign: Campaign) -> int:
    """Recompute every submitted response of the campaign (settings or Setka's data changed)."""
    responses = list(
        campaign.responses.filter(status=Response.Status.SUBMITTED).select_related("campaign")
    )
    return len(compute_responses(campaign, responses))


def recompute_for_teacher(campaign: Campaign, person_id: int) -> int:
    """A teacher's self-assessment changed: recompute the institutions they teach at."""
    day = reference_day(campaign)
    ids = (
        Membership.objects.active(day)
        .filter(person_id=person_id, role=Membership.Role.TEACHER)
        .values("institution_id")
    )
    responses = list(
        campaign.responses.filter(status=Response.Status.SUBMITTED, institution_id__in=ids)
    )
    return len(compute_responses(campaign, responses))
