"""The network programmes of the demo municipality (a build step of ``setka.network.demo``).

- The clubs and sections of the institutions of additional education, one offer a group of
  about twelve: the students who attend an association there (their membership's position,
  «объединение «Дзюдо»») hold accepted applications from their own schools;
- the electives and profile courses the schools open to the network (a few a school in the
  demo, all of them at the municipal scale: ~1,500 offers in all), with students of the
  school and of other schools accepted;
- the network programmes under agreements (``network.py``): the ДДТ's «Робототехника» with
  the journal demo's network group, «Педагогика и менеджмент» of the university and the
  institute branch with two schools, museum pedagogy, a draft.

Idempotent per institution (one query on a second run); deterministic (generators seeded
by the demo seed and a name); fast (bulk inserts; the search vectors in one statement)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import defaultdict

from django.contrib.auth import get_user_model

from setka.network.demo import DemoContext, register_step
from setka.network.demo.institutions import SCALES
from setka.network.models import GENERAL_KINDS, Membership

from ..models import Agreement, Application, Offer, OfferSlot
from ..services.offers import refresh_search
from . import network
from .catalogue import CLUBS, COURSES, SCHOOL_SLOTS, ClubSpec
from .network import Built, moment

GROUP_SIZE = 12
FREE = 3  # free places left in each club group
DEMO_COURSES = 4  # a school's courses in the demo; the municipal scale opens them all
ASSOCIATION = re.compile(r"«(.+)»$")
GRADE = re.compile(r"^\s*(\d{1,2})")
AREA_OF_KIND = {"ddt": "technology", "arts_school": "arts", "sports_school": "sport"}


@register_step("programs")
def build_programs(ctx: DemoContext) -> None:
    started = time.perf_counter()
    done = set(
        Offer.objects.filter(municipality=ctx.municipality)
        .order_by()
        .values_list("institution_id", flat=True)
        .distinct()
    )
    specs = {s.slug: s for s in SCALES[ctx.scale]}
    targets = [
        ctx.institutions[slug]
        for slug, spec in specs.items()
        if slug in ctx.institutions and (spec.is_school or spec.attendance)
    ]
    todo = [i for i in targets if i.pk not in done]
    if not todo:
        return
    students = _students(ctx)
    built = Built()
    for institution in todo:
        spec = specs[institution.slug]
        rng = ctx.rng(f"programs:{institution.slug}")
        if spec.attendance:
            _clubs(ctx, institution, spec, students, rng=rng, built=built)
        else:
            _courses(ctx, institution, students, rng, built)
    if not Agreement.objects.filter(municipality=ctx.municipality).exists():
        people = _people()
        schools = [ctx.institutions[s] for s in ("school-3", "school-1", "gymnasium")
                   if s in ctx.institutions]  # fmt: skip
        for part in (
            network.robotics(ctx, schools, people),
            network.pedagogy(ctx, students.by_grade, ctx.rng("programs:pedagogy")),
        ):
            if part is not None:
                built.offers += part.offers
                built.applications += part.applications
                built.agreements += part.agreements
        built.agreements += network.other_agreements(ctx)
        built.applications += _family_extras(ctx, people)
    Application.objects.bulk_create(built.applications, batch_size=2000)
    refresh_search([o.pk for o in built.offers])
    ctx.write(
        f"Programmes: {len(built.offers):,} offers, {len(built.applications):,} applications, "
        f"{built.agreements} agreements in {time.perf_counter() - started:.1f} s."
    )


class Students:
    """The municipality's students now: by institution and grade, and their home schools."""

    def __init__(self) -> None:
        self.by_grade: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.home: dict[int, int] = {}
        self.clubs: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.birth: dict[int, dt.date | None] = {}


def _students(ctx: DemoContext) -> Students:
    out = Students()
    for person_id, institution_id, kind, position in (
        Membership.objects.active(ctx.today)
        .filter(role=Membership.Role.STUDENT, institution__municipality=ctx.municipality)
        .order_by("person_id", "institution_id")
        .values_list("person_id", "institution_id", "institution__kind", "position")
    ):
        if kind in GENERAL_KINDS:
            found = GRADE.match(position or "")
            if found:
                out.by_grade[institution_id][int(found.group(1))].append(person_id)
            out.home.setdefault(person_id, institution_id)
            continue
        association = ASSOCIATION.search(position or "")
        if association:
            out.clubs[(institution_id, association.group(1))].append(person_id)
    return out


def _people() -> dict[str, int]:
    return dict(
        get_user_model()
        .objects.filter(username__in=["student", "parent"], person__isnull=False)
        .values_list("username", "person__pk")
    )


def _year(ctx: DemoContext) -> tuple[dt.date, dt.date]:
    return dt.date(ctx.year, 9, 1), dt.date(ctx.year + 1, 5, 31)


def _club_spec(name: str, kind: str) -> ClubSpec:
    area = AREA_OF_KIND.get(kind, "arts")
    return ClubSpec(
        name, f"Объединение «{name}»: занятия для начинающих и продолжающих, выступления и "
        "соревнования района.", area, (7, 17), ((2, dt.time(15), dt.time(16, 30)),
                                                (5, dt.time(15), dt.time(16, 30))),
    )  # fmt: skip


def _teachers(institution) -> list[int]:
    return list(
        Membership.objects.filter(institution=institution, role=Membership.Role.TEACHER)
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )


def _clubs(ctx, institution, spec, students: Students, *, rng, built: Built) -> None:
    """One offer a group of an association, its members accepted from their schools."""
    teachers = _teachers(institution)
    first, last = _year(ctx)
    known = CLUBS.get(institution.slug, {})
    slots: list[OfferSlot] = []
    links = []
    for name in spec.attendance[1]:
        if institution.slug == "ddt" and name == "Робототехника":
            continue  # the network programme's module (network.py)
        club = known.get(name) or _club_spec(name, institution.kind)
        members = [p for p in students.clubs.get((institution.pk, name), []) if p in students.home]
        groups = max(1, -(-len(members) // GROUP_SIZE))
        for n in range(groups):
            chunk = members[n * GROUP_SIZE : (n + 1) * GROUP_SIZE]
            title = club.title if groups == 1 else f"{club.title} — группа {n + 1}"
            offer = Offer(
                municipality=ctx.municipality, institution=institution, title=title,
                description=club.description, kind="club", area=club.area,
                age_min=club.ages[0], age_max=club.ages[1], room=club.room,
                capacity=len(chunk) + FREE, places_taken=len(chunk), admission=club.admission,
                applications_open_on=first - dt.timedelta(days=14),
                applications_close_on=last - dt.timedelta(days=31), starts_on=first,
                ends_on=last, hours=club.hours, status=Offer.Status.PUBLISHED,
            )  # fmt: skip
            offer.save()
            built.offers.append(offer)
            if teachers:
                links.append((offer.pk, teachers[rng.randrange(len(teachers))]))
            for weekday, starts, ends in club.slots:
                day = (weekday - 1 + n) % 6 + 1 if groups > 1 else weekday
                slots.append(OfferSlot(offer=offer, weekday=day, starts_at=starts, ends_at=ends))
            for person_id in chunk:
                built.applications.append(_accepted(offer, person_id, students.home[person_id],
                                                    first))  # fmt: skip
    OfferSlot.objects.bulk_create(slots)
    Offer.teachers.through.objects.bulk_create(
        Offer.teachers.through(offer_id=o, person_id=p) for o, p in links
    )


def _accepted(offer: Offer, person_id: int, home: int, day: dt.date) -> Application:
    return Application(
        offer=offer, institution_id=offer.institution_id, student_id=person_id,
        applicant_id=person_id, home_institution_id=home, status=Application.Status.ACCEPTED,
        decided_at=moment(day - dt.timedelta(days=3)),
    )  # fmt: skip


def _courses(ctx, institution, students: Students, rng, built: Built) -> None:
    """The school's electives and profile courses, open to the network."""
    grades = students.by_grade.get(institution.pk, {})
    courses = [
        c for c in COURSES if any(grades.get(g) for g in range(c.grades[0], c.grades[1] + 1))
    ]
    count = len(courses) if ctx.scale != "demo" else min(DEMO_COURSES, len(courses))
    chosen = rng.sample(courses, count)
    teachers = _teachers(institution)
    first, last = _year(ctx)
    others = [i for i in students.by_grade if i != institution.pk]
    slots, links = [], []
    for n, course in enumerate(chosen):
        capacity = rng.choice([15, 20, 25])
        offer = Offer(
            municipality=ctx.municipality, institution=institution, title=course.title,
            description=course.description, kind=course.kind, area=course.area,
            grade_min=course.grades[0], grade_max=course.grades[1], form=course.form,
            venue="online" if course.form == "distance" else "own",
            room="" if course.form == "distance" else f"каб. {rng.randint(10, 45)}",
            capacity=capacity, admission=course.admission,
            applications_open_on=first - dt.timedelta(days=10),
            applications_close_on=ctx.today + dt.timedelta(days=rng.randint(7, 40)),
            starts_on=first + dt.timedelta(days=7), ends_on=last, hours=course.hours,
            status=Offer.Status.PUBLISHED,
        )  # fmt: skip
        offer.save()
        built.offers.append(offer)
        weekday, starts, ends = SCHOOL_SLOTS[
            (n + rng.randrange(len(SCHOOL_SLOTS))) % len(SCHOOL_SLOTS)
        ]
        slots.append(OfferSlot(offer=offer, weekday=weekday, starts_at=starts, ends_at=ends))
        if teachers:
            links.append((offer.pk, teachers[rng.randrange(len(teachers))]))
        own = [p for g in range(course.grades[0], course.grades[1] + 1) for p in grades.get(g, [])]
        taken = rng.randint(capacity // 3, capacity - 2)
        pool = rng.sample(own, min(len(own), taken - taken // 4))
        if others:
            home = rng.choice(others)
            guests = [p for g in range(course.grades[0], course.grades[1] + 1)
                      for p in students.by_grade[home].get(g, [])]  # fmt: skip
            pool += rng.sample(guests, min(len(guests), taken // 4))
        for person_id in pool:
            built.applications.append(_accepted(offer, person_id, students.home[person_id], first))
        offer.places_taken = len(pool)
        offer.save(update_fields=["places_taken"])
    OfferSlot.objects.bulk_create(slots)
    Offer.teachers.through.objects.bulk_create(
        Offer.teachers.through(offer_id=o, person_id=p) for o, p in links
    )


def _family_extras(ctx, people: dict[str, int]) -> list[Application]:
    """The demo parent's second child sings in the music school's choir."""
    parent = people.get("parent")
    choir = (
        Offer.objects.filter(institution__slug="dmsh", title__startswith="Хоровое пение")
        .order_by("pk")
        .first()
    )
    if parent is None or choir is None:
        return []
    first, _last = _year(ctx)
    for child_id, home in (
        Membership.objects.filter(
            person__guardians__guardian_id=parent,
            role=Membership.Role.STUDENT,
            institution__kind__in=GENERAL_KINDS,
        )
        .exclude(person_id=people.get("student"))
        .order_by("person_id")
        .values_list("person_id", "institution_id")
    ):
        Offer.objects.filter(pk=choir.pk).update(
            places_taken=choir.places_taken + 1, capacity=choir.capacity + 1
        )
        application = _accepted(choir, child_id, home, first)
        application.applicant_id = parent
        return [application]
    return []
