"""The home page: a landing page for visitors, and for each signed-in user the blocks of the
roles they hold (and only of what exists)."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render

from setka.core import today

from ..models import KIND_GROUP, Institution, InstitutionKind, Membership, Person
from ..roles import user_roles
from ..selectors import active_memberships_of, children_of, institution_role_counts


def home(request):
    if not request.user.is_authenticated:
        return _landing(request)
    roles = user_roles(request.user)
    context: dict = {"roles": roles}
    if roles.is_registry_manager:
        municipality_ids = roles.municipal_admin_of | roles.methodologist_of
        context["municipal_stats"] = _municipal_stats(municipality_ids)
    institution_ids = roles.member_of
    if institution_ids:
        institutions = {
            i.pk: i
            for i in Institution.objects.filter(pk__in=institution_ids).order_by("short_name")
        }
        counts = institution_role_counts(roles.admin_of) if roles.admin_of else {}
        context["admin_institutions"] = [
            (institutions[i], counts.get(i, {}))
            for i in sorted(roles.admin_of, key=lambda i: str(institutions[i]))
        ]
        context["teacher_institutions"] = [
            institutions[i] for i in sorted(roles.teacher_of, key=lambda i: str(institutions[i]))
        ]
        context["student_institutions"] = [
            institutions[i] for i in sorted(roles.student_of, key=lambda i: str(institutions[i]))
        ]
        context["staff_institutions"] = [
            institutions[i] for i in sorted(roles.staff_of, key=lambda i: str(institutions[i]))
        ]
    if roles.children and roles.person_id:
        children = list(children_of(roles.person_id))
        memberships = active_memberships_of([c.pk for c in children])
        context["children"] = [(c, memberships.get(c.pk, [])) for c in children]
    context["today_blocks"] = today.blocks_for(request, roles)
    return render(request, "network/home.html", context)


def _municipal_stats(municipality_ids) -> dict:
    institutions = Institution.objects.active().filter(municipality_id__in=municipality_ids)
    by_kind = dict(institutions.values_list("kind").annotate(n=Count("id")))
    roles = dict(
        Membership.objects.active()
        .filter(institution__municipality_id__in=municipality_ids)
        .values_list("role")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {
        "institutions": sum(by_kind.values()),
        "schools": sum(
            n for k, n in by_kind.items() if KIND_GROUP[InstitutionKind(k)] == "general"
        ),
        "resource_centres": institutions.filter(is_resource_centre=True).count(),
        "teachers": roles.get(Membership.Role.TEACHER, 0),
        "students": roles.get(Membership.Role.STUDENT, 0),
        "people": Person.objects.filter(municipality_id__in=municipality_ids).count(),
    }


def _landing(request):
    by_group: dict[str, int] = {}
    for kind, n in Institution.objects.active().values_list("kind").annotate(n=Count("id")):
        group = KIND_GROUP[InstitutionKind(kind)].label
        by_group[group] = by_group.get(group, 0) + n
    return render(request, "network/landing.html", {"by_group": by_group})
