"""selectors.competence: one institution's teachers counted in Python give what the
database's filtered aggregates give (the municipality's path), for teachers who are members
twice, ended memberships, other institutions, drafts and every level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Q

from setka.core.clock import now
from setka.network.models import Membership
from setka.readiness import selectors
from setka.readiness.models import SelfAssessment, Skill

from .. import factories as f
from ..clock import TODAY

pytestmark = pytest.mark.django_db


def _reference(campaign, institution_id):
    """The aggregate over the same rows, as the database counts it."""
    day = selectors.reference_day(campaign)
    teachers = Membership.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        institution_id=institution_id, role="teacher", starts_on__lte=day,
    ).values("person_id")  # fmt: skip
    qs = SelfAssessment.objects.filter(
        campaign=campaign, status=SelfAssessment.Status.SUBMITTED, person_id__in=teachers
    )
    counts = {
        f"{s}_{lv}": Count("id", filter=Q(**{s: lv})) for s in Skill.values for lv in range(4)
    }
    row = qs.aggregate(total=Count("id"), **counts)
    return row["total"], {s: {lv: row[f"{s}_{lv}"] for lv in range(4)} for s in Skill.values}


def test_one_institution_counts_as_the_database_does(world, campaign):
    school, other = world.school, world.other_school
    start = TODAY - dt.timedelta(days=400)
    people = []
    for n in range(7):
        person = f.PersonFactory(municipality=world.municipality)
        people.append(person)
        if n != 5:  # the sixth teaches only at the other school
            f.MembershipFactory(person=person, institution=school,
                                role=Membership.Role.TEACHER, starts_on=start)  # fmt: skip
        if n in (1, 5):  # members twice: counted once
            f.MembershipFactory(person=person, institution=other,
                                role=Membership.Role.TEACHER, starts_on=start)  # fmt: skip
        if n == 2:  # a second, ended membership at the same school
            f.MembershipFactory(
                person=person, institution=school, role=Membership.Role.TEACHER,
                starts_on=start, ends_on=TODAY - dt.timedelta(days=200),
            )  # fmt: skip
        if n == 3:  # two open memberships at the same school (from two dates): counted once
            f.MembershipFactory(person=person, institution=school, role=Membership.Role.TEACHER,
                                starts_on=start + dt.timedelta(days=30))  # fmt: skip
        levels = {s: (n + i) % 4 for i, s in enumerate(Skill.values)}
        SelfAssessment.objects.create(
            campaign=campaign, person=person, municipality=world.municipality,
            status="draft" if n == 6 else "submitted", submitted_at=now(), **levels,
        )  # fmt: skip

    got = selectors.competence(campaign, school.pk)
    total, by_skill = _reference(campaign, school.pk)
    assert total == 5  # seven people: one teaches elsewhere, one is a draft
    assert got.total == total
    assert got.by_skill == by_skill
    assert selectors.competence(campaign, other.pk).total == 2
