"""Reads of the readiness survey shared by the pages, the API, the exports and «Сегодня»;
each a constant number of queries whatever the number of institutions and teachers. And
:func:`venue_capabilities`, which the municipal schedule builder (``setka.schedule``) asks to
choose venues for remote participation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q

from .models import Campaign, Level, Response, SelfAssessment, Skill, SkillLevel
from .scoring import reference_day

DIMENSION_FIELDS = ["infrastructure", "connectivity", "videoconferencing", "staff", "participation"]
FORM_FIELDS = ["join_remote", "host_lesson", "host_course"]
ROW_FIELDS = [
    "pk", "status", "index", *DIMENSION_FIELDS, *FORM_FIELDS, "can_join", "can_host",
    "bandwidth_mbps", "upload_mbps", "vc_rooms", "teachers_total", "teachers_assessed",
    "submitted_at", "updated_at", "reopen_requested_at", "reopened_until", "computed_at", "gaps",
    "institution_id", "institution__short_name", "institution__slug", "institution__kind",
    "institution__latitude", "institution__longitude",
]  # fmt: skip


def campaign_rows(campaign_id: int) -> list[dict[str, Any]]:
    """Every institution of the campaign with its status and last scores, by name."""
    return list(
        Response.objects.filter(campaign_id=campaign_id)
        .values(*ROW_FIELDS)
        .order_by("institution__short_name", "pk")
    )


def progress(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(Response.Status.values, 0)
    for row in rows:
        counts[row["status"]] += 1
    counts["total"] = len(rows)
    counts["reopen_requests"] = sum(1 for r in rows if r["reopen_requested_at"])
    return counts


def averages(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    """The mean index and dimension scores of the institutions with a result."""
    scored = [r for r in rows if r["index"] is not None]
    out: dict[str, float | None] = {}
    for name in ["index", *DIMENSION_FIELDS]:
        values = [r[name] for r in scored if r[name] is not None]
        out[name] = round(sum(values) / len(values), 1) if values else None
    out["count"] = len(scored)
    return out


def form_levels(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per network form: how many institutions are ready, partly ready, not ready."""
    out = {f: dict.fromkeys(Level.values, 0) for f in FORM_FIELDS}
    for row in rows:
        for form in FORM_FIELDS:
            if row[form]:
                out[form][row[form]] += 1
    return out


def trend(municipality_id: int) -> list[dict[str, Any]]:
    """Every campaign of the municipality, oldest first, with its mean scores."""
    means = {f"avg_{n}": Avg(n) for n in ["index", *DIMENSION_FIELDS]}
    rows = (
        Response.objects.filter(campaign__municipality_id=municipality_id, index__isnull=False)
        .values("campaign_id", "campaign__title", "campaign__starts_on")
        .annotate(n=Count("id"), **means)
        .order_by("campaign__starts_on", "campaign_id")
    )
    return [
        {
            "campaign_id": r["campaign_id"],
            "title": r["campaign__title"],
            "starts_on": r["campaign__starts_on"],
            "count": r["n"],
            **{n: round(r[f"avg_{n}"], 1) for n in ["index", *DIMENSION_FIELDS]
               if r[f"avg_{n}"] is not None},
        }
        for r in rows
    ]  # fmt: skip


@dataclass
class Distribution:
    """How many submitted self-assessments are at each level (0–3) of each skill."""

    total: int
    by_skill: dict[str, dict[int, int]]

    def shares(self, skill: str) -> dict[int, float]:
        counts = self.by_skill.get(skill, {})
        return {lv: (counts.get(lv, 0) / self.total if self.total else 0.0) for lv in LEVELS}


LEVELS = list(SkillLevel.values)


def competence(campaign: Campaign, institution_id: int | None = None) -> Distribution:
    """The campaign's self-assessments; for one institution, its teachers' (memberships on
    the campaign's reference day). One query: for the whole municipality the database counts
    (thousands of teachers); for one institution its few dozen rows are counted here, which
    is cheaper than building the 25 filtered aggregates."""
    qs = SelfAssessment.objects.filter(campaign=campaign, status=SelfAssessment.Status.SUBMITTED)
    if institution_id is None:
        counts = {
            f"{s}_{lv}": Count("id", distinct=True, filter=Q(**{s: lv}))
            for s in Skill.values
            for lv in LEVELS
        }
        row = qs.aggregate(total=Count("id", distinct=True), **counts)
        return Distribution(
            total=row["total"],
            by_skill={s: {lv: row[f"{s}_{lv}"] for lv in LEVELS} for s in Skill.values},
        )
    day = reference_day(campaign)
    on = "person__memberships__"
    qs = qs.filter(
        Q(**{f"{on}ends_on__isnull": True}) | Q(**{f"{on}ends_on__gte": day}),
        **{f"{on}institution_id": institution_id, f"{on}role": "teacher",
           f"{on}starts_on__lte": day},
    )  # fmt: skip
    rows = set(qs.values_list("id", *Skill.values))  # a teacher twice a member counts once
    by_skill: dict[str, dict[int, int]] = {s: dict.fromkeys(LEVELS, 0) for s in Skill.values}
    for _pk, *levels in rows:
        for skill, level in zip(Skill.values, levels, strict=True):
            if level in by_skill[skill]:
                by_skill[skill][level] += 1
    return Distribution(total=len(rows), by_skill=by_skill)


def institution_history(institution_id: int) -> list[Response]:
    """The institution's responses in every campaign, newest first."""
    return list(
        Response.objects.filter(institution_id=institution_id)
        .select_related("campaign")
        .order_by("-campaign__starts_on", "-campaign_id")
    )


# --- for the municipal schedule builder --------------------------------------------------------


@dataclass(frozen=True)
class VenueCapability:
    """What an institution can do for remote participation, by its latest submitted answers.

    ``can_host_remote``: it can broadcast (a room equipped for videoconferencing and an
    outgoing connection of at least the minimum per stream × the streams a host sends);
    ``can_join_remote``: it can take part (a connection of at least the minimum per stream and
    a videoconference kit or room). An institution never surveyed can do neither and has
    ``index`` None. Statuses per form are ``ready`` / ``partly`` / ``not_ready`` (or "")."""

    institution_id: int
    can_host_remote: bool
    can_join_remote: bool
    vc_rooms: int
    bandwidth_mbps: float | None
    index: float | None
    upload_mbps: float | None = None
    host_lesson: str = ""
    join_remote: str = ""
    host_course: str = ""
    campaign_id: int | None = None


def venue_capabilities(institution_ids: Iterable[int]) -> dict[int, VenueCapability]:
    """Every institution of ``institution_ids``, from its latest campaign with a submitted
    result (by the campaign's opening date). One query."""
    ids = sorted(set(institution_ids))
    found: dict[int, VenueCapability] = {}
    rows = (
        Response.objects.filter(institution_id__in=ids, index__isnull=False)
        .values("institution_id", "campaign_id", "index", "can_host", "can_join", "vc_rooms",
                "bandwidth_mbps", "upload_mbps", *FORM_FIELDS)
        .order_by("institution_id", "-campaign__starts_on", "-campaign_id")
    )  # fmt: skip
    for r in rows:
        if r["institution_id"] in found:
            continue
        found[r["institution_id"]] = VenueCapability(
            institution_id=r["institution_id"],
            can_host_remote=r["can_host"],
            can_join_remote=r["can_join"],
            vc_rooms=r["vc_rooms"] or 0,
            bandwidth_mbps=r["bandwidth_mbps"],
            index=r["index"],
            upload_mbps=r["upload_mbps"],
            host_lesson=r["host_lesson"],
            join_remote=r["join_remote"],
            host_course=r["host_course"],
            campaign_id=r["campaign_id"],
        )
    return {
        i: found.get(i)
        or VenueCapability(
            institution_id=i,
            can_host_remote=False,
            can_join_remote=False,
            vc_rooms=0,
            bandwidth_mbps=None,
            index=None,
        )
        for i in ids
    }
