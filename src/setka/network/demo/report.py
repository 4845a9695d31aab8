"""What the demo contains and who the demo logins are: printed at the end of a build."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import translation

from setka.network.models import (
    GENERAL_KINDS,
    Guardianship,
    Institution,
    Membership,
    Municipality,
    Person,
)

from .build import DEMO_LOGINS, DEMO_PASSWORD, DemoContext


def demo_counts(municipality: Municipality) -> dict[str, int]:
    """Rows of the demo municipality (a handful of queries)."""
    members = Membership.objects.active().filter(institution__municipality=municipality)
    by_role = dict(
        members.values_list("role").annotate(n=Count("person_id", distinct=True)).order_by()
    )
    people = Person.objects.filter(municipality=municipality)
    guardianships = Guardianship.objects.filter(municipality=municipality)
    return {
        "institutions": Institution.objects.filter(municipality=municipality).count(),
        "general schools": Institution.objects.filter(
            municipality=municipality, kind__in=GENERAL_KINDS
        ).count(),
        "people": people.count(),
        "students": by_role.get(Membership.Role.STUDENT, 0),
        "teachers": by_role.get(Membership.Role.TEACHER, 0),
        "institution admins": by_role.get(Membership.Role.INSTITUTION_ADMIN, 0),
        "staff": by_role.get(Membership.Role.STAFF, 0),
        "parents": guardianships.values("guardian_id").distinct().count(),
        "memberships": Membership.objects.filter(institution__municipality=municipality).count(),
        "guardianships": guardianships.count(),
        "accounts": people.filter(user__isnull=False).count(),
    }


def describe_login(username: str) -> str:
    """ "Кузнецова Светлана Юрьевна — parent of Дарья (7Б, МБОУ ШР «СОШ № 3»), …"."""
    user = get_user_model().objects.filter(username=username).select_related("person").first()
    person = getattr(user, "person", None) if user else None
    if person is None:
        return "(missing)"
    parts = []
    with translation.override("en"):
        for role in person.municipal_roles.active().select_related("municipality"):
            text = str(role.get_role_display())
            parts.append(f"{text} ({role.position})" if role.position else text)
        for m in person.memberships.active().select_related("institution"):
            if m.role == Membership.Role.STUDENT:
                parts.append(f"student of {m.position}, {m.institution.short_name}")
            else:
                parts.append(f"{m.get_role_display()}: {m.position}, {m.institution.short_name}")
        children = (
            Guardianship.objects.active()
            .filter(guardian=person)
            .select_related("student")
            .order_by("student__birth_date")
        )
        for g in children:
            school = (
                g.student.memberships.active()
                .filter(role=Membership.Role.STUDENT, institution__kind__in=GENERAL_KINDS)
                .select_related("institution")
                .first()
            )
            where = f" ({school.position}, {school.institution.short_name})" if school else ""
            parts.append(f"parent of {g.student.given_name}{where}")
    return f"{person.full_name} — " + "; ".join(parts)


def print_summary(ctx: DemoContext) -> None:
    if ctx.stdout is None:
        return
    counts = ctx.counts or demo_counts(ctx.municipality)
    if ctx.created:
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in ctx.timings.items())
        ctx.write(f"Built {len(ctx.created)} institutions in {ctx.seconds:.1f} s ({phases}).")
    else:
        ctx.write(f"The demo municipality is already there ({ctx.seconds:.2f} s, nothing to do).")
    ctx.write(f"{ctx.municipality.name}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    ctx.write("")
    ctx.write(f"Demo logins (password: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        ctx.write(f"  {login:<9} {describe_login(login)}")
