"""The readiness survey of the demo municipality (a build step of ``setka.network.demo``).

Two campaigns with Setka's questionnaire: last school year's (closed) and this year's (open,
a few institutions still answering, one asking to reopen). Every demo institution answers by
a profile: school №3, the lyceum, the ДДТ and the others at the top are fully ready; the town
schools spread between good and middling; the village schools on slow radio and satellite
links without videoconferencing (Большой Луг got a fibre line and a kit this year); culture
institutions behind. Every teacher assesses themself in each campaign (a little better this
year). The index is computed as in the product (``scoring``), so the dashboard, the trend and
the map show a real picture.

Idempotent: institutions and teachers that already have their rows are left alone (a second
run asks a few queries and writes nothing); the municipal scale adds its schools. Fast: rows
in bulk, no audit entries (seed data, not users' changes)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import translation

from setka.core.clock import localnow
from setka.network.demo import DemoContext, register_step
from setka.network.models import Membership

from . import scoring
from .models import (
    Campaign,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    SelfAssessment,
    Skill,
    SpeedTest,
)

TITLE = "Готовность к сетевому взаимодействию"
READY = {"school-3", "lyceum", "ddt", "imc", "pi-isu"}
GOOD = {"gymnasium", "school-1", "school-6", "ctt", "technical-college"}
RURAL = {"baklashi-school", "olkha-school", "podkamennaya-school", "dk-baklashi"}
IMPROVED = {"bolshoy-lug-school"}  # slow last year, fibre and a kit this year
WEAK = {"museum", "museum-irkaz", "library", "children-library", "dk-metallurg"}
PENDING = {"museum", "children-library"}  # this year: not started yet
DRAFTS = {"dk-metallurg", "sport-olimp"}  # this year: a draft
REOPEN = "gymnasium"  # this year: submitted, asks to reopen
TIERS = ["rural", "weak", "medium", "good", "ready"]
SKILL_BIAS = {"office": 0.5, "internet": 0.3, "journal": 0.4, "distance": -0.2, "video": -0.4,
              "content": -0.5}  # fmt: skip
MEAN_LEVEL = {"rural": 1.1, "weak": 1.3, "medium": 1.6, "good": 1.9, "ready": 2.3}


@dataclass
class Tier:
    ratio: tuple[float, float]  # students per computer
    modern: tuple[float, float]
    boards: float  # per classroom
    mobile: tuple[int, int]
    environment: list[str]
    distance: int  # technologies in use
    contracted: list[float]
    measured: tuple[float, float]  # share of the contracted speed
    upload: float  # share of the measured speed
    connection: list[str]
    kits: tuple[int, int]
    rooms: tuple[int, int]
    services: int
    sessions: tuple[int, int]
    trained: tuple[float, float]
    confidence: tuple[int, int]
    forms: tuple[int, int]


PROFILES = {
    "ready": Tier((5, 7), (0.8, 0.95), 0.7, (2, 3), ["both"], 5, [200, 300], (0.75, 0.95), 0.6,
                  ["fibre"], (3, 5), (2, 3), 3, (20, 40), (0.85, 0.95), (4, 5), (4, 6)),
    "good": Tier((8, 10), (0.55, 0.7), 0.5, (1, 1), ["both", "platform"], 3, [100, 100, 200],
                 (0.6, 0.9), 0.5, ["fibre"], (1, 2), (1, 1), 2, (6, 15), (0.65, 0.8), (3, 4),
                 (2, 3)),
    "medium": Tier((11, 14), (0.3, 0.45), 0.25, (0, 1), ["platform"], 2, [30, 50, 50],
                   (0.5, 0.8), 0.4, ["cable", "fibre"], (1, 1), (0, 1), 1, (2, 6), (0.4, 0.6),
                   (3, 3), (1, 2)),
    "weak": Tier((14, 20), (0.2, 0.3), 0.1, (0, 0), ["platform", "none"], 1, [10, 20],
                 (0.4, 0.7), 0.4, ["cable", "mobile"], (0, 1), (0, 0), 1, (0, 2), (0.2, 0.4),
                 (2, 3), (0, 1)),
    "rural": Tier((15, 19), (0.1, 0.25), 0.15, (0, 0), ["platform", "none"], 1, [2, 4, 6],
                  (0.3, 0.45), 0.35, ["radio", "satellite", "mobile"], (0, 0), (0, 0), 0,
                  (0, 0), (0.15, 0.3), (2, 2), (0, 1)),
}  # fmt: skip
DISTANCE = ["tests", "assignments", "libraries", "video_lessons", "online_courses"]
SERVICES = ["sferum", "jitsi", "webinar", "bbb"]
FORMS = ["olympiads", "webinars", "programmes", "associations", "open_lessons", "shared_courses"]


def tier_of(slug: str, last_year: bool) -> str:
    if slug in READY:
        tier = "ready"
    elif slug in GOOD:
        tier = "good"
    elif slug in RURAL or (slug in IMPROVED and last_year):
        return "rural"
    elif slug in IMPROVED:
        return "medium"
    elif slug in WEAK:
        tier = "weak"
    elif slug.startswith("school-") and slug[7:].isdigit():  # the town schools, spread
        tier = "medium" if int(slug[7:]) % 3 else "good"
    else:
        tier = "medium"
    if last_year and slug != "school-3":
        return TIERS[max(TIERS.index(tier) - 1, 1)]
    return tier


def answers_for(slug: str, counts: dict[str, int], rng: random.Random, tier: str) -> dict[str, Any]:
    """Answers to Setka's questionnaire in the profile of ``tier``."""
    p = PROFILES[tier]
    students = counts.get("student", 0) or rng.randint(60, 400)
    teachers = counts.get("teacher", 0) or rng.randint(5, 30)
    computers = max(2, round(students / rng.uniform(*p.ratio)))
    classrooms = max(6, round(students / 25)) if students else rng.randint(6, 14)
    contracted = float(rng.choice(p.contracted))
    measured = round(contracted * rng.uniform(*p.measured), 1)
    kits = rng.randint(*p.kits)
    rural = tier == "rural" or slug in IMPROVED or slug in RURAL
    answers: dict[str, Any] = {
        "students_total": students,
        "computers_total": computers,
        "computers_modern": round(computers * rng.uniform(*p.modern)),
        "classrooms": classrooms,
        "interactive_boards": round(classrooms * p.boards * rng.uniform(0.8, 1.2)),
        "mobile_classes": rng.randint(*p.mobile),
        "elearning_environment": rng.choice(p.environment),
        "distance_technologies": DISTANCE[: p.distance],
        "settlement": "rural" if rural else "urban",
        "bandwidth_contracted": contracted,
        "bandwidth_measured": measured,
        "bandwidth_upload": round(measured * p.upload, 1),
        "connection_type": rng.choice(p.connection),
        "wifi": tier in ("ready", "good") or rng.random() < 0.4,
        "vc_kits": kits,
        "vc_rooms": min(rng.randint(*p.rooms), kits),
        "vc_services": SERVICES[: p.services],
        "vc_sessions": rng.randint(*p.sessions),
        "teachers_total": teachers,
        "teachers_trained": round(teachers * rng.uniform(*p.trained)),
        "ict_specialist": tier in ("ready", "good") or rng.random() < 0.3,
        "digital_confidence": rng.randint(*p.confidence),
        "network_forms": FORMS[: rng.randint(*p.forms)],
    }
    if slug in IMPROVED and tier == "medium":  # the new fibre line and its first kit
        answers.update(bandwidth_contracted=30.0, bandwidth_measured=26.5, bandwidth_upload=12.0,
                       connection_type="fibre", vc_kits=1, vc_rooms=1)  # fmt: skip
    return answers


def _levels(rng: random.Random, mean: float) -> dict[str, int]:
    return {s: max(0, min(3, round(rng.gauss(mean + SKILL_BIAS[s], 0.7)))) for s in Skill.values}


def _questionnaire(ctx: DemoContext) -> Questionnaire:
    from . import defaults

    found = Questionnaire.objects.filter(municipality=ctx.municipality, title=TITLE).first()
    if found is not None:
        return found
    questionnaire = Questionnaire.objects.create(municipality=ctx.municipality, title=TITLE)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, note="Стандартная анкета Сетки"
    )
    Question.objects.bulk_create(
        Question(version=version, position=(i + 1) * 10, **q)
        for i, q in enumerate(defaults.questions())
    )
    return questionnaire


def _aware(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(rng.randint(9, 17), rng.randint(0, 59)))
    return moment.replace(tzinfo=localnow().tzinfo)


def _campaigns(ctx: DemoContext, questionnaire: Questionnaire) -> list[tuple[Campaign, bool]]:
    year = ctx.year
    specs = [
        (f"{TITLE}, {year - 1}/{year}", dt.date(year - 1, 10, 1), dt.date(year - 1, 10, 30), True),
        (f"{TITLE}, {year}/{year + 1}", ctx.today - dt.timedelta(days=21),
         ctx.today + dt.timedelta(days=10), False),
    ]  # fmt: skip
    out = []
    for title, starts_on, deadline, closed in specs:
        campaign = Campaign.objects.filter(municipality=ctx.municipality, title=title).first()
        if campaign is None:
            campaign = Campaign.objects.create(
                municipality=ctx.municipality, title=title, questionnaire=questionnaire,
                starts_on=starts_on, deadline=deadline, opened_notified=True,
                closed_at=_aware(deadline + dt.timedelta(days=5), ctx.rng(title)) if closed
                else None,
            )  # fmt: skip
        out.append((campaign, closed))
    return out


@register_step("readiness")
def build_readiness(ctx: DemoContext) -> None:
    with translation.override("ru"):
        questionnaire = _questionnaire(ctx)
        version = questionnaire.versions.order_by("-number").first()
        for campaign, last_year in _campaigns(ctx, questionnaire):
            _fill(ctx, campaign, version, last_year)


def _fill(ctx: DemoContext, campaign: Campaign, version, last_year: bool) -> None:
    done = set(campaign.responses.values_list("institution_id", flat=True))
    todo = {slug: i for slug, i in ctx.institutions.items() if i.pk not in done}
    if not todo:
        return
    day = min(ctx.today, campaign.deadline)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for institution_id, role, n in (
        Membership.objects.active(day)
        .filter(institution_id__in=[i.pk for i in todo.values()], role__in=["student", "teacher"])
        .values_list("institution_id", "role")
        .annotate(n=Count("person_id", distinct=True))
    ):
        counts[institution_id][role] = n
    responses = []
    for slug, institution in sorted(todo.items()):
        rng = ctx.rng(f"readiness:{campaign.starts_on.year}:{slug}")
        tier = tier_of(slug, last_year)
        status = Response.Status.SUBMITTED
        if not last_year and slug in PENDING:
            status = Response.Status.PENDING
        elif not last_year and slug in DRAFTS:
            status = Response.Status.DRAFT
        answers = {} if status == Response.Status.PENDING else answers_for(
            slug, counts[institution.pk], rng, tier)  # fmt: skip
        submitted = _aware(campaign.starts_on + dt.timedelta(days=rng.randint(1, 12)), rng)
        submitted = min(submitted, _aware(day, rng))
        responses.append(Response(
            campaign=campaign, institution=institution, version=version, status=status,
            answers=answers, updated_at=submitted if answers else None,
            submitted_at=submitted if status == Response.Status.SUBMITTED else None,
            reopen_requested_at=submitted if not last_year and slug == REOPEN else None,
            reopen_reason="Подключили оптоволокно — хотим обновить данные о скорости."
            if not last_year and slug == REOPEN else "",
        ))  # fmt: skip
    Response.objects.bulk_create(responses)
    _self_assessments(ctx, campaign, todo, day, last_year)
    if not last_year:
        _speed_tests(ctx, campaign, todo)
    scoring.compute_responses(campaign, list(campaign.responses.filter(
        status=Response.Status.SUBMITTED, institution__in=todo.values())))  # fmt: skip
    ctx.counts["readiness_responses"] = ctx.counts.get("readiness_responses", 0) + len(responses)


def _self_assessments(ctx: DemoContext, campaign: Campaign, todo, day: dt.date, last_year: bool):
    slug_of = {i.pk: slug for slug, i in todo.items()}
    have = set(campaign.self_assessments.values_list("person_id", flat=True))
    rows, seen = [], set(have)
    for person_id, institution_id in (
        Membership.objects.active(day)
        .filter(role=Membership.Role.TEACHER, institution_id__in=slug_of)
        .order_by("person_id", "institution_id")
        .values_list("person_id", "institution_id")
    ):
        if person_id in seen:
            continue
        seen.add(person_id)
        rng = ctx.rng(f"readiness:self:{campaign.starts_on.year}:{person_id}")
        mean = MEAN_LEVEL[tier_of(slug_of[institution_id], last_year)]
        moment = _aware(campaign.starts_on + dt.timedelta(days=rng.randint(0, 14)), rng)
        moment = min(moment, _aware(day, rng))
        rows.append(SelfAssessment(
            campaign=campaign, municipality=ctx.municipality, person_id=person_id,
            status=SelfAssessment.Status.SUBMITTED, submitted_at=moment, updated_at=moment,
            **_levels(rng, mean),
        ))  # fmt: skip
    SelfAssessment.objects.bulk_create(rows, batch_size=2000)
    ctx.counts["readiness_self_assessments"] = ctx.counts.get(
        "readiness_self_assessments", 0
    ) + len(rows)


def _speed_tests(ctx: DemoContext, campaign: Campaign, todo) -> None:
    by_slug = {r.institution.slug: r for r in campaign.responses.select_related("institution")
               if r.institution.slug in todo}  # fmt: skip
    tests = []
    for slug in ("school-3", "bolshoy-lug-school", "olkha-school", "lyceum"):
        response = by_slug.get(slug)
        if response is None or not response.answers.get("bandwidth_measured"):
            continue
        rng = ctx.rng(f"readiness:speed:{slug}")
        tests.append(SpeedTest(
            institution=response.institution, response=response,
            measured_at=response.submitted_at or _aware(ctx.today, rng),
            download_mbps=response.answers["bandwidth_measured"],
            upload_mbps=response.answers.get("bandwidth_upload"),
            latency_ms=round(rng.uniform(600, 900) if slug == "olkha-school"
                             else rng.uniform(8, 60)),
            user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
        ))  # fmt: skip
    SpeedTest.objects.bulk_create(tests)
