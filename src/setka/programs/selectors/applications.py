"""Reads of applications and enrolments shared by the pages, the API and «Сегодня»."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from setka.network.models import Person
from setka.network.roles import UserRoles

from ..models import Application, Offer, OfferSlot

RELATED = ("offer__institution", "student", "applicant", "home_institution")


def family_students(roles: UserRoles) -> list[tuple[int, str]]:
    """Whom the person may apply for and check the timetable of: themselves (a student) and
    their children. One query, none for others."""
    ids = set(roles.children)
    if roles.student_of and roles.person_id is not None:
        ids.add(roles.person_id)
    if not ids:
        return []
    people = Person.objects.filter(pk__in=ids).order_by("surname", "given_name")
    out = []
    for p in people:
        name = _("Me") if p.pk == roles.person_id else f"{p.given_name} {p.surname}"
        out.append((p.pk, str(name)))
    out.sort(key=lambda item: item[0] != roles.person_id)
    return out


def family_applications(roles: UserRoles) -> QuerySet[Application]:
    """The applications of the person (as a student or who applied) and of their children."""
    if roles.person_id is None:
        return Application.objects.none()
    students = {roles.person_id, *roles.children}
    return (
        Application.objects.filter(Q(student_id__in=students) | Q(applicant_id=roles.person_id))
        .select_related(*RELATED)
        .order_by("-created_at", "-id")
    )


def to_decide(roles: UserRoles) -> QuerySet[Application]:
    """What the person's institutions have to decide: applications to their offers awaiting
    the provider, and their students' applications awaiting the home school."""
    if not roles.admin_of:
        return Application.objects.none()
    return (
        Application.objects.filter(
            Q(institution_id__in=roles.admin_of, status=Application.Status.PENDING)
            | Q(home_institution_id__in=roles.admin_of, status=Application.Status.HOME_REVIEW)
        )
        .select_related(*RELATED)
        .order_by("created_at", "id")
    )


def visible_applications(roles: UserRoles) -> QuerySet[Application]:
    """Every application the person may see: their family's, their institutions' as the
    provider, and their students' as the home school."""
    visible = Q(pk__in=[])
    if roles.person_id is not None:
        visible |= Q(student_id__in={roles.person_id, *roles.children})
        visible |= Q(applicant_id=roles.person_id)
    if roles.admin_of:
        visible |= Q(institution_id__in=roles.admin_of) | Q(home_institution_id__in=roles.admin_of)
    return (
        Application.objects.filter(visible).select_related(*RELATED).order_by("-created_at", "-id")
    )


def offer_applications(offer: Offer) -> list[Application]:
    """An offer's applications: live ones first (by arrival), then the rest."""
    rank: dict[str, int] = {str(s): i for i, s in enumerate(Application.LIVE)}
    apps = list(
        Application.objects.filter(offer=offer)
        .select_related("student", "applicant", "home_institution")
        .order_by("created_at", "id")
    )
    return sorted(apps, key=lambda a: rank.get(a.status, len(rank)))


@dataclass
class NextClass:
    student_id: int
    student_name: str
    offer: Offer
    starts: dt.datetime
    ends: dt.datetime


def next_classes(student_ids, moment: dt.datetime) -> dict[int, NextClass]:
    """Each student's next class of a course they are accepted to (from the courses' times),
    from ``moment`` (aware) on. Two queries."""
    ids = sorted(set(student_ids))
    if not ids:
        return {}
    local = timezone.localtime(moment)
    day = local.date()
    accepted = list(
        Application.objects.filter(
            student_id__in=ids, status=Application.Status.ACCEPTED, offer__ends_on__gte=day
        ).select_related("offer__institution", "offer__venue_institution", "student")
    )
    if not accepted:
        return {}
    slots: dict[int, list[OfferSlot]] = {}
    for slot in OfferSlot.objects.filter(offer_id__in={a.offer_id for a in accepted}):
        slots.setdefault(slot.offer_id, []).append(slot)
    zone = timezone.get_current_timezone()
    out: dict[int, NextClass] = {}
    for application in accepted:
        offer = application.offer
        for slot in slots.get(offer.pk, []):
            start = _next_start(slot, offer, local, day, zone)
            if start is None:
                continue
            known = out.get(application.student_id)
            if known is None or start < known.starts:
                end = dt.datetime.combine(start.date(), slot.ends_at, tzinfo=zone)
                out[application.student_id] = NextClass(
                    application.student_id, application.student.given_name, offer, start, end
                )
    return out


def _next_start(slot: OfferSlot, offer: Offer, local: dt.datetime, day: dt.date, zone):
    first = max(day, offer.starts_on)
    if slot.date is not None:
        candidates = [slot.date]
    else:
        ahead = ((slot.weekday or first.isoweekday()) - first.isoweekday()) % 7
        candidate = first + dt.timedelta(days=ahead)
        candidates = [candidate, candidate + dt.timedelta(days=7)]
    for date in candidates:
        if date < first or date > offer.ends_on:
            continue
        start = dt.datetime.combine(date, slot.starts_at, tzinfo=zone)
        if dt.datetime.combine(date, slot.ends_at, tzinfo=zone) > local:
            return start
    return None
