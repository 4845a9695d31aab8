"""Reads of the events module shared by the pages, the API, the feeds and «Сегодня»."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from setka.core.clock import now, today
from setka.journal.models import GroupMember, StudyGroup, TeachingAssignment
from setka.network.models import Person
from setka.network.roles import UserRoles

from . import rules
from .models import Event, Kind, Mode, Registration, Status

VISIBLE = (Status.PUBLISHED, Status.CANCELLED, Status.FINISHED)


def teachers_of_subjects(subject_ids: Iterable[int], on: dt.date | None = None) -> QuerySet:
    """The people with a current teaching assignment of one of these subjects (journal)."""
    return TeachingAssignment.objects.active(on or today()).filter(subject_id__in=list(subject_ids))


def teaches_any(person_id: int, subject_ids: Iterable[int]) -> bool:
    return teachers_of_subjects(subject_ids).filter(teacher_id=person_id).exists()


def grades_of(person_ids: Iterable[int], on: dt.date | None = None) -> set[int]:
    """The grades of the classes these students are in today."""
    day = on or today()
    return set(
        GroupMember.objects.active(day)
        .filter(
            student_id__in=list(person_ids),
            group__kind=StudyGroup.Kind.CLASS,
            group__grade__isnull=False,
        )
        .values_list("group__grade", flat=True)
    )


def _grades_fit(event: Event, grades: set[int]) -> bool:
    if event.grade_min is None and event.grade_max is None:
        return True
    low, high = event.grade_min or 1, event.grade_max or 11
    return any(low <= g <= high for g in grades)


def audience_refusal(roles: UserRoles, event: Event) -> str | None:
    """Why this person may not register for ``event`` (None: they may)."""
    if roles.person_id is None:
        return _("Registration is for people of the network; this account has no person.")
    if event.for_public or rules.runs(roles, event):
        return None
    if event.municipality_id in (roles.methodologist_of | roles.municipal_admin_of):
        return None
    subject_ids = [s.pk for s in event.audience_subjects.all()]
    if (
        event.for_teachers
        and roles.employee_of
        and (not subject_ids or teaches_any(roles.person_id, subject_ids))
    ):
        return None
    if event.for_students and roles.student_of and _grades_fit(event, grades_of([roles.person_id])):
        return None
    if event.for_parents and roles.children and _grades_fit(event, grades_of(roles.children)):
        return None
    return audience_text(event, subject_names=[str(s) for s in event.audience_subjects.all()])


def audience_text(event: Event, subject_names: list[str] | None = None) -> str:
    who = []
    if event.for_teachers:
        names = subject_names if subject_names is not None else []
        who.append(
            _("teachers of %(subjects)s") % {"subjects": ", ".join(names)}
            if names
            else _("teachers")
        )
    if event.for_students:
        who.append(_("students"))
    if event.for_parents:
        who.append(_("parents"))
    if event.for_public:
        return _("This event is open to everyone.")
    if not who:
        return _("This event is for its organisers only.")
    grades = ""
    if event.grade_min or event.grade_max:
        grades = " " + _("(grades %(low)s–%(high)s)") % {
            "low": event.grade_min or 1,
            "high": event.grade_max or 11,
        }
    return _("This event is for %(who)s%(grades)s.") % {"who": ", ".join(who), "grades": grades}


def calendar_events(municipality_id: int | None = None) -> QuerySet[Event]:
    """The events the public sees, with what every listing shows, in constant queries."""
    qs = Event.objects.filter(status__in=VISIBLE).select_related("institution", "venue", "subject")
    if municipality_id is not None:
        qs = qs.filter(municipality_id=municipality_id)
    return qs.order_by("starts_at", "id")


@dataclass
class Filters:
    kind: str = ""
    subject: int | None = None
    audience: str = ""
    institution: int | None = None
    online: bool | None = None
    q: str = ""


AUDIENCE_FIELDS = {
    "teachers": "for_teachers",
    "students": "for_students",
    "parents": "for_parents",
    "public": "for_public",
}


def apply_filters(qs: QuerySet[Event], f: Filters) -> QuerySet[Event]:
    if f.kind in Kind.values:
        qs = qs.filter(kind=f.kind)
    if f.subject:
        qs = qs.filter(Q(subject_id=f.subject) | Q(audience_subjects__id=f.subject)).distinct()
    if f.audience in AUDIENCE_FIELDS:
        qs = qs.filter(**{AUDIENCE_FIELDS[f.audience]: True})
    if f.institution:
        qs = qs.filter(Q(institution_id=f.institution) | Q(venue_id=f.institution))
    if f.online is True:
        qs = qs.exclude(provider="").filter(capacity_remote__gt=0)
    elif f.online is False:
        qs = qs.filter(capacity_in_person__gt=0)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(topic__icontains=f.q))
    return qs


def in_range(qs: QuerySet[Event], start: dt.datetime, end: dt.datetime) -> QuerySet[Event]:
    return qs.filter(starts_at__lt=end, ends_at__gt=start)


def with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with its taken places per mode (one query with the events)."""
    reg = Registration.Status.REGISTERED
    return qs.annotate(
        taken_in_person=Count(
            "registrations",
            filter=Q(registrations__status=reg, registrations__mode=Mode.IN_PERSON),
            distinct=True,
        ),
        taken_remote=Count(
            "registrations",
            filter=Q(registrations__status=reg, registrations__mode=Mode.REMOTE),
            distinct=True,
        ),
        waiting=Count(
            "registrations",
            filter=Q(registrations__status=Registration.Status.WAITING),
            distinct=True,
        ),
    )


def taken(event: Event) -> dict[str, int]:
    rows = (
        Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
        .values_list("mode")
        .annotate(n=Count("id"))
    )
    found = dict(rows)
    return {Mode.IN_PERSON: found.get(Mode.IN_PERSON, 0), Mode.REMOTE: found.get(Mode.REMOTE, 0)}


def registration_of(person_id: int | None, event: Event) -> Registration | None:
    if person_id is None:
        return None
    return (
        Registration.objects.filter(event=event, person_id=person_id)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def my_events(person_id: int, *, since: dt.datetime | None = None) -> QuerySet[Event]:
    """The person's events: registered (or waiting) for, and hosted; published or later."""
    qs = Event.objects.filter(
        Q(
            registrations__person_id=person_id,
            registrations__status__in=[
                Registration.Status.REGISTERED,
                Registration.Status.WAITING,
            ],
        )
        | Q(hosts__id=person_id)
    ).filter(status__in=VISIBLE)
    if since is not None:
        qs = qs.filter(ends_at__gte=since)
    return qs.distinct().select_related("institution", "venue").order_by("starts_at", "id")


def upcoming_for(person_id: int, limit: int = 5) -> list[Event]:
    """The person's next events (for «Сегодня»), with their registration: two queries."""
    return list(
        my_events(person_id, since=now())
        .filter(status=Status.PUBLISHED)
        .prefetch_related(
            Prefetch(
                "registrations",
                queryset=Registration.objects.filter(person_id=person_id).exclude(
                    status=Registration.Status.CANCELLED
                ),
                to_attr="mine",
            )
        )[:limit]
    )


def host_names(events: list[Event]) -> dict[int, list[str]]:
    """The hosts' short names of each event, in one query."""
    out: dict[int, list[str]] = {e.pk: [] for e in events}
    through = Event.hosts.through
    for event_id, surname, given, patronymic in (
        through.objects.filter(event_id__in=list(out))
        .values_list("event_id", "person__surname", "person__given_name", "person__patronymic")
        .order_by("person__surname", "person__given_name")
    ):
        out[event_id].append(
            Person(surname=surname, given_name=given, patronymic=patronymic).short_name
        )
    return out
