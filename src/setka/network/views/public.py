"""The public directory of the network: no sign-in needed."""

from __future__ import annotations

from itertools import groupby

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, render

from ..models import KIND_GROUP, Institution, InstitutionKind, KindGroup, Membership
from ..selectors import institution_role_counts, institution_search, valid_kind

GROUP_ORDER = list(KindGroup.values)


def directory(request):
    q = request.GET.get("q", "").strip()[:100]
    kind = valid_kind(request.GET.get("kind", ""))
    resource = request.GET.get("resource") == "1"
    institutions = institution_search(q=q, kind=kind, resource_centre=True if resource else None)
    order = Case(
        *[
            When(kind=k, then=Value(GROUP_ORDER.index(g) * 100 + list(KIND_GROUP).index(k)))
            for k, g in KIND_GROUP.items()
        ],
        output_field=IntegerField(),
    )
    institutions = list(
        institutions.annotate(kind_order=order)
        .order_by("kind_order", "short_name")
        .only(
            "kind",
            "short_name",
            "full_name",
            "slug",
            "address",
            "phones",
            "is_resource_centre",
        )
    )
    groups = [
        (KindGroup(g).label, list(items))
        for g, items in groupby(institutions, key=lambda i: KIND_GROUP[InstitutionKind(i.kind)])
    ]
    context = {
        "groups": groups,
        "q": q,
        "kind": kind,
        "resource": resource,
        "kinds": InstitutionKind.choices,
        "total": len(institutions),
    }
    return render(request, "network/directory.html", context)


def institution_detail(request, slug: str):
    institution = get_object_or_404(Institution.objects.select_related("municipality"), slug=slug)
    counts = institution_role_counts([institution.pk]).get(institution.pk, {})
    can_edit = request.user.has_perm("network.change_institution_contacts", institution)
    can_manage_people = request.user.has_perm("network.manage_people", institution)
    context = {
        "institution": institution,
        "teachers": counts.get(Membership.Role.TEACHER, 0),
        "students": counts.get(Membership.Role.STUDENT, 0),
        "can_edit": can_edit,
        "can_manage_people": can_manage_people,
    }
    return render(request, "network/institution_detail.html", context)
