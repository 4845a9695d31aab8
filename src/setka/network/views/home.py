"""The home page: a landing page for visitors, and for each signed-in user «Сегодня», the blocks
of the roles they hold (``core.today``: the municipality's figures, the children, each role's
day), with the institutions they work or study in."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render

from setka.core import today

from ..models import KIND_GROUP, Institution, InstitutionKind
from ..roles import user_roles
from ..selectors import institution_role_counts


def home(request):
    if not request.user.is_authenticated:
        return _landing(request)
    roles = user_roles(request.user)
    context: dict = {"roles": roles}
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
    context["today_blocks"] = today.blocks_for(request, roles)
    return render(request, "network/home.html", context)


def _landing(request):
    by_group: dict[str, int] = {}
    for kind, n in Institution.objects.active().values_list("kind").annotate(n=Count("id")):
        group = KIND_GROUP[InstitutionKind(kind)].label
        by_group[group] = by_group.get(group, 0) + n
    return render(request, "network/landing.html", {"by_group": by_group})
