"""The network's blocks of «Сегодня»: for an institution's administrators, the people who
were invited and have not signed in yet (and those without an account) with the way to
import people; for the municipal administrators and methodologists, the municipality's
figures and who has been active in it lately. The journal's figures of the same roles are the
journal's blocks (``journal.today``). A constant number of queries; none for other people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from setka.core import today
from setka.core.clock import now

from .models import KIND_GROUP, Institution, InstitutionKind, Membership, Person

ACTIVE_DAYS = 7


@dataclass
class InstitutionPeople:
    id: int
    name: str
    slug: str
    invited: int = 0  # an account was made and its person has never signed in
    without_account: int = 0  # teachers and staff with no account at all
    signed_in: int = 0  # people who signed in during the last week

    @property
    def pending(self) -> int:
        return self.invited + self.without_account


def institutions_people(institution_ids) -> list[InstitutionPeople]:
    """Per institution, by name: two queries whatever their number."""
    ids = sorted(institution_ids)
    out = {
        pk: InstitutionPeople(pk, name, slug)
        for pk, name, slug in Institution.objects.filter(pk__in=ids)
        .order_by("short_name")
        .values_list("pk", "short_name", "slug")
    }
    week_ago = now() - dt.timedelta(days=ACTIVE_DAYS)
    employees = [Membership.Role.TEACHER, Membership.Role.STAFF, Membership.Role.INSTITUTION_ADMIN]
    for row in (
        Membership.objects.active()
        .filter(institution_id__in=ids)
        .values("institution_id")
        .annotate(
            invited=Count(
                "person",
                distinct=True,
                filter=Q(person__user__isnull=False, person__user__last_login__isnull=True),
            ),
            without_account=Count(
                "person", distinct=True, filter=Q(person__user__isnull=True, role__in=employees)
            ),
            signed_in=Count(
                "person", distinct=True, filter=Q(person__user__last_login__gt=week_ago)
            ),
        )
        .order_by()
    ):
        found = out[row["institution_id"]]
        found.invited = row["invited"]
        found.without_account = row["without_account"]
        found.signed_in = row["signed_in"]
    return list(out.values())


@dataclass
class MunicipalFigures:
    institutions: int
    schools: int
    resource_centres: int
    teachers: int
    students: int
    people: int
    signed_in: int  # people of the municipality who signed in during the last week


def municipal_figures(municipality_ids) -> MunicipalFigures:
    """Five queries whatever the size of the municipality."""
    ids = list(municipality_ids)
    institutions = Institution.objects.active().filter(municipality_id__in=ids)
    by_kind = dict(institutions.values_list("kind").annotate(n=Count("id")).order_by())
    roles = dict(
        Membership.objects.active()
        .filter(institution__municipality_id__in=ids)
        .values_list("role")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    people = Person.objects.filter(municipality_id__in=ids).aggregate(
        n=Count("pk"),
        active=Count("pk", filter=Q(user__last_login__gt=now() - dt.timedelta(days=ACTIVE_DAYS))),
    )
    return MunicipalFigures(
        institutions=sum(by_kind.values()),
        schools=sum(n for k, n in by_kind.items() if KIND_GROUP[InstitutionKind(k)] == "general"),
        resource_centres=institutions.filter(is_resource_centre=True).count(),
        teachers=roles.get(Membership.Role.TEACHER, 0),
        students=roles.get(Membership.Role.STUDENT, 0),
        people=people["n"],
        signed_in=people["active"],
    )


@today.block(order=32)
def people(request, roles) -> today.Block | None:
    if not roles.admin_of:
        return None
    return today.Block(
        "today-people",
        "network/today/people.html",
        {"institutions": institutions_people(roles.admin_of)},
    )


@today.block(order=38)
def municipality(request, roles) -> today.Block | None:
    if not roles.is_registry_manager:
        return None
    figures = municipal_figures(roles.municipal_admin_of | roles.methodologist_of)
    return today.Block(
        "today-municipal-figures",
        "network/today/municipality.html",
        {"figures": figures, "is_municipal_admin": roles.is_municipal_admin},
    )
