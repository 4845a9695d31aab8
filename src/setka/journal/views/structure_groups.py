"""Classes and groups of a year: the list, creating one, a group's page with its members
(adding students — for a network group also of other institutions — and removing them with a
date, keeping the history), its teaching assignments and links to its journals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setka.core.clock import today
from setka.core.tabular import norm
from setka.network.models import Institution, Membership, Person

from ..access import group_for_user, member_for_user, part_for_change, year_for_user
from ..forms import (
    AssignmentForm,
    GroupEditForm,
    GroupForm,
    MemberAddForm,
    apply_errors,
    end_on_posted_day,
    save_form,
)
from ..models import GroupMember, StudyGroup, Subject, TeachingAssignment
from ..services import planning, structure
from .structure import form_page, within

MAX_CANDIDATES = 200


@login_required
def groups(request: HttpRequest, pk: int) -> HttpResponse:
    year, can_manage = year_for_user(request.user, pk)
    on = within(year)
    active = Q(members__starts_on__lte=on) & (
        Q(members__ends_on__isnull=True) | Q(members__ends_on__gte=on)
    )
    rows = list(
        StudyGroup.objects.filter(year=year)
        .select_related("class_teacher", "parent")
        .annotate(students=Count("members", filter=active))
        .order_by("grade", "letter", "name")
    )
    context = {
        "year": year,
        "institution": year.institution,
        "can_manage": can_manage,
        "classes": [g for g in rows if g.kind == StudyGroup.Kind.CLASS],
        "others": [g for g in rows if g.kind != StudyGroup.Kind.CLASS],
        "on": on,
    }
    return render(request, "journal/structure/groups.html", context)


@login_required
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    year, _can = year_for_user(request.user, pk, write=True)
    initial: dict[str, Any] = {"kind": request.GET.get("kind", StudyGroup.Kind.CLASS)}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = GroupForm(request.POST or None, year=year, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = structure.group_create(
                actor=request.user,
                year=year,
                name=data["name"],
                kind=data["kind"],
                grade=data["grade"],
                letter=data["letter"] or "",
                parent=data["parent"],
                class_teacher=data["class_teacher"],
                shift=data["shift"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("“%(name)s” is created.") % {"name": group.name})
            return redirect("journal:structure_group", pk=group.pk)
    context = {"year": year, "institution": year.institution, "form": form}
    return form_page(request, "journal/structure/group_form.html", context)


def _group_page(
    request: HttpRequest,
    group: StudyGroup,
    can_manage: bool,
    *,
    errors: list[str] | None = None,
    assignment_form: AssignmentForm | None = None,
) -> HttpResponse:
    on = today()
    members = list(
        GroupMember.objects.filter(group=group)
        .select_related("student", "home_institution")
        .order_by("student__surname", "student__given_name", "starts_on")
    )
    current = [m for m in members if m.ends_on is None or m.ends_on >= on]
    left = sorted(
        (m for m in members if m.ends_on is not None and m.ends_on < on),
        key=lambda m: m.ends_on,
        reverse=True,
    )
    assignments = list(
        TeachingAssignment.objects.filter(group=group)
        .select_related("subject", "teacher")
        .order_by("subject__order", "subject__name", "starts_on")
    )
    subjects: dict[int, Subject] = {}
    for a in assignments:
        if a.ends_on is None or a.ends_on >= on:
            subjects.setdefault(a.subject_id, a.subject)
    journals = [
        {
            "subject": s,
            "url": reverse("journal:grid", args=[group.pk, s.pk]),
            "plan_url": reverse("journal:import_plan", args=[group.pk]) + f"?subject={s.pk}",
        }
        for s in subjects.values()
    ]
    context = {
        "group": group,
        "year": group.year,
        "institution": group.institution,
        "can_manage": can_manage,
        "current": current,
        "left": left,
        "assignments": assignments,
        "subgroups": list(group.subgroups.all()) if group.is_class else [],
        "journals": journals,
        "today": within(group.year, on),
        "errors": errors or [],
        "failed": bool(errors),
        "assignment_form": assignment_form
        or AssignmentForm(group=group, initial={"starts_on": within(group.year, on)}),
        "show_home": group.kind == StudyGroup.Kind.NETWORK,
    }
    return form_page(request, "journal/structure/group.html", context)


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group, can_manage = group_for_user(request.user, pk)
    return _group_page(request, group, can_manage)


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group, _can = group_for_user(request.user, pk, write=True)
    initial = {n: getattr(group, n) for n in ("name", "grade", "letter", "class_teacher", "shift")}
    form = GroupEditForm(request.POST or None, group=group, initial=initial)

    def update(data: dict[str, Any]) -> None:
        planning.group_update(
            actor=request.user, group=group, **{**data, "letter": data["letter"] or ""}
        )

    if request.method == "POST" and save_form(form, update):
        messages.success(request, _("The changes are saved."))
        return redirect("journal:structure_group", pk=group.pk)
    context = {"group": group, "year": group.year, "institution": group.institution, "form": form}
    return form_page(request, "journal/structure/group_edit.html", context)


# --- members ----------------------------------------------------------------------------------


def _home_choices(group: StudyGroup) -> list[Institution]:
    if group.kind != StudyGroup.Kind.NETWORK:
        return [group.institution]
    return list(
        Institution.objects.filter(
            municipality_id=group.institution.municipality_id, is_active=True
        ).order_by("short_name")
    )


def _candidates(group: StudyGroup, home: Institution, q: str, free_only: bool) -> list:
    on = within(group.year)
    people = (
        Person.objects.filter(
            memberships__in=Membership.objects.active(on).filter(
                institution=home, role=Membership.Role.STUDENT
            )
        )
        .exclude(group_memberships__in=GroupMember.objects.active(on).filter(group=group))
        .distinct()
        .only("surname", "given_name", "patronymic", "birth_date")
    )
    if free_only:
        people = people.exclude(
            group_memberships__in=GroupMember.objects.active(on).filter(
                group__year=group.year, group__kind=StudyGroup.Kind.CLASS
            )
        )
    words = norm(q).split()
    out = []
    for p in people:
        name = norm(p.full_name)
        if all(w in name for w in words):
            born = f" ({p.birth_date:%d.%m.%Y})" if p.birth_date else ""
            out.append((p.pk, f"{p.full_name}{born}"))
    return out


@login_required
def members_add(request: HttpRequest, pk: int) -> HttpResponse:
    group, _can = group_for_user(request.user, pk, write=True)
    homes = _home_choices(group)
    source = request.POST if request.method == "POST" else request.GET
    home = next((i for i in homes if str(i.pk) == source.get("home")), group.institution)
    if home not in homes:
        home = homes[0]
    q = source.get("q", "").strip()[:100]
    free_only = group.is_class and source.get("all") != "1"
    candidates = _candidates(group, home, "" if request.method == "POST" else q, free_only)
    form = MemberAddForm(
        request.POST or None,
        candidates=candidates,
        initial={"starts_on": within(group.year)},
    )
    if request.method == "POST" and form.is_valid():
        chosen = Person.objects.filter(pk__in=form.cleaned_data["students"])
        try:
            with transaction.atomic():
                for person in chosen:
                    structure.group_member_add(
                        actor=request.user,
                        group=group,
                        student=person,
                        starts_on=form.cleaned_data["starts_on"],
                        home_institution=home,
                    )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            n = len(form.cleaned_data["students"])
            messages.success(
                request,
                ngettext("%(n)d student is added.", "%(n)d students are added.", n) % {"n": n},
            )
            return redirect("journal:structure_group", pk=group.pk)
    context = {
        "group": group,
        "year": group.year,
        "institution": group.institution,
        "form": form,
        "homes": homes,
        "home": home,
        "q": q,
        "free_only": free_only,
        "shown": candidates[:MAX_CANDIDATES],
        "more": max(0, len(candidates) - MAX_CANDIDATES),
    }
    return form_page(request, "journal/structure/members_add.html", context)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = member_for_user(request.user, pk)
    group = member.group
    ends_on, errors = end_on_posted_day(
        request.POST,
        lambda day: structure.group_member_remove(actor=request.user, member=member, ends_on=day),
        _("Write the last day in the group as a date."),
    )
    if ends_on:
        messages.success(
            request,
            _("%(name)s is removed from %(group)s from %(date)s.")
            % {
                "name": member.student.full_name,
                "group": group.name,
                "date": ends_on.strftime("%d.%m.%Y"),
            },
        )
        return redirect("journal:structure_group", pk=group.pk)
    return _group_page(request, group, True, errors=errors)


# --- teaching assignments -------------------------------------------------------------------


@login_required
@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    group, _can = group_for_user(request.user, pk, write=True)
    form = AssignmentForm(request.POST, group=group)
    if save_form(
        form, lambda data: structure.assignment_create(actor=request.user, group=group, **data)
    ):
        messages.success(request, _("The teaching assignment is added."))
        return redirect("journal:structure_group", pk=group.pk)
    return _group_page(request, group, True, assignment_form=form)


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignments = TeachingAssignment.objects.select_related(
        "group__year", "group__institution", "teacher"
    )
    assignment = part_for_change(
        request.user, assignments, pk, of="group", manage="journal.manage_structure"
    )
    group = assignment.group
    ends_on, errors = end_on_posted_day(
        request.POST,
        lambda day: planning.assignment_end(actor=request.user, assignment=assignment, ends_on=day),
        _("Write the last day of teaching as a date."),
    )
    if ends_on:
        messages.success(request, _("The teaching assignment is ended."))
        return redirect("journal:structure_group", pk=group.pk)
    return _group_page(request, group, True, errors=errors)
