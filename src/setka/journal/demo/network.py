"""The network programme group of the demo: «Робототехника» at the ДДТ, taught by the
`partner` login to students of several schools (the `student` login among them) under the
ДДТ's own year of two half-years and its afternoon bells."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from setka.network.models import Institution, Membership

from ..models import AcademicYear, GroupMember, StudyGroup, Subject, TeachingAssignment
from ..models import TimetableEntry as Entry
from .calendar import Calendar, afternoon_bells
from .school import create_year

NAME = "Робототехника (сетевая программа)"
# Where its students come from: (school, grades, how many).
INTAKE = [("school-3", (6, 7, 8), 5), ("school-1", (6, 7, 8), 4), ("gymnasium", (7, 8), 3)]
SLOTS = [(2, 1), (2, 2), (5, 1), (5, 2)]  # Tuesday and Friday, two sessions each
ROOM = "каб. 12 (робототехника)"


def build_network_group(
    ddt: Institution,
    schools: dict[str, Institution],
    cal: Calendar,
    subject: Subject,
    rng: random.Random,
) -> tuple[AcademicYear, list, StudyGroup, list[tuple[int, dt.date]], int | None, int] | None:
    """Create the year, the group, its members, assignment and timetable. Returns (year,
    periods, group, members, the teacher's user, the teacher) or None without `partner`."""
    partner = (
        get_user_model()
        .objects.filter(username="partner", person__isnull=False)
        .values_list("pk", "person__pk")
        .first()
    )
    student = (
        get_user_model()
        .objects.filter(username="student", person__isnull=False)
        .values_list("person__pk", flat=True)
        .first()
    )
    if partner is None:
        return None
    user_id, teacher_id = partner
    year, periods = create_year(
        ddt, cal, afternoon_bells(), scheme=AcademicYear.PeriodScheme.SEMESTERS
    )
    group = StudyGroup.objects.create(
        institution=ddt,
        year=year,
        kind=StudyGroup.Kind.NETWORK,
        name=NAME,
        class_teacher_id=teacher_id,
    )
    starts = cal.starts_on + dt.timedelta(days=7 + (8 - cal.starts_on.isoweekday()) % 7)
    members: list[tuple[int, Institution]] = []
    if student is not None:
        home = schools.get("school-3")
        if home is not None:
            members.append((student, home))
    for slug, grades, count in INTAKE:
        home = schools.get(slug)
        if home is None:
            continue
        pool = list(
            Membership.objects.active(starts)
            .filter(
                institution=home,
                role=Membership.Role.STUDENT,
                position__in=[f"{g}{letter}" for g in grades for letter in "АБВГ"],
            )
            .exclude(person_id=student)
            .order_by("id")
            .values_list("person_id", flat=True)
        )
        members += [(pk, home) for pk in rng.sample(pool, min(count, len(pool)))]
    GroupMember.objects.bulk_create(
        GroupMember(group=group, student_id=pk, home_institution=home, starts_on=starts)
        for pk, home in members
    )
    TeachingAssignment.objects.create(
        institution=ddt,
        group=group,
        subject=subject,
        teacher_id=teacher_id,
        hours_per_week=Decimal(len(SLOTS)),
        starts_on=starts,
    )
    Entry.objects.bulk_create(
        Entry(
            institution=ddt,
            group=group,
            subject=subject,
            teacher_id=teacher_id,
            room=ROOM,
            weekday=day,
            number=number,
            valid_from=starts,
        )
        for day, number in SLOTS
    )
    return year, periods, group, [(pk, starts) for pk, _ in members], user_id, teacher_id
