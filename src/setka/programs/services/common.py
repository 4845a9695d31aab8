"""Pieces the services of the programmes share: the conflict error and who a student is
(their home school, grade and age)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from setka.journal.models import GroupMember, StudyGroup
from setka.network.models import GENERAL_KINDS, Membership, Person

GRADE_RE = re.compile(r"^\s*(\d{1,2})")


class Conflict(ValidationError):  # noqa: N818 - a 409 answer, not a failure of the code
    """The request clashes with an object that exists (a 409 in the API, naming it)."""

    def __init__(self, message: str, obj: models.Model, *, field: str | None = None) -> None:
        super().__init__({field: message} if field else message, code="conflict")
        self.obj = obj


@dataclass(frozen=True)
class StudentFacts:
    person_id: int
    home_ids: tuple[int, ...]  # the institutions where they study now, general schools first
    grade: int | None
    age: int | None

    @property
    def home_id(self) -> int | None:
        return self.home_ids[0] if self.home_ids else None


def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def student_facts(person: Person, day: dt.date) -> StudentFacts:
    """Where the student studies on ``day`` and in which grade (their class in the journal,
    else the class written in their membership, «7Б»). Two queries."""
    memberships = list(
        Membership.objects.active(day)
        .filter(person=person, role=Membership.Role.STUDENT)
        .values_list("institution_id", "institution__kind", "position")
    )
    memberships.sort(key=lambda m: (m[1] not in GENERAL_KINDS, m[0]))
    grade = (
        GroupMember.objects.active(day)
        .filter(student=person, group__kind=StudyGroup.Kind.CLASS, group__grade__isnull=False)
        .order_by("-starts_on")
        .values_list("group__grade", flat=True)
        .first()
    )
    if grade is None:
        for _institution, kind, position in memberships:
            found = GRADE_RE.match(position or "")
            if kind in GENERAL_KINDS and found and 1 <= int(found.group(1)) <= 11:
                grade = int(found.group(1))
                break
    return StudentFacts(
        person_id=person.pk,
        home_ids=tuple(m[0] for m in memberships),
        grade=grade,
        age=age_on(person.birth_date, day),
    )


def admin_ids(institution_ids, day: dt.date) -> dict[int, list[int]]:
    """The administrators (person ids) of each institution on ``day``: one query."""
    out: dict[int, list[int]] = {i: [] for i in institution_ids}
    for institution_id, person_id in (
        Membership.objects.active(day)
        .filter(institution_id__in=list(out), role=Membership.Role.INSTITUTION_ADMIN)
        .values_list("institution_id", "person_id")
    ):
        out[institution_id].append(person_id)
    return out
