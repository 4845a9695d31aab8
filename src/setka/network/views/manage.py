"""Managing the registry: the list of all institutions, creating and editing them (an
institution's own administrator edits only its contacts), and the municipal roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.core.clock import today

from .. import services
from ..access import institution_for_user, municipal_role_for_user
from ..forms import InstitutionForm, MunicipalRoleForm, apply_errors
from ..models import InstitutionKind, Municipality, MunicipalRole, Person
from ..roles import user_roles
from ..selectors import institution_role_counts, institution_search, valid_kind
from .people import name_search


def _registry_municipalities(user, *, admin_only: bool = False) -> set[int]:
    roles = user_roles(user)
    ids = set(roles.municipal_admin_of)
    if not admin_only:
        ids |= roles.methodologist_of
    if not ids and user.is_superuser:
        ids = set(Municipality.objects.values_list("pk", flat=True))
    return ids


# --- institutions ---------------------------------------------------------------------------


@login_required
def institution_list(request):
    if not request.user.has_perm("network.manage_registry"):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()[:100]
    kind = valid_kind(request.GET.get("kind", ""))
    state = request.GET.get("state", "")
    state = state if state in ("active", "inactive") else ""
    qs = institution_search(q=q, kind=kind, active_only=False).filter(
        municipality_id__in=_registry_municipalities(request.user)
    )
    if state:
        qs = qs.filter(is_active=state == "active")
    institutions = list(
        qs.only("kind", "short_name", "slug", "address", "is_active", "is_resource_centre")
    )
    counts = institution_role_counts([i.pk for i in institutions])
    context = {
        "rows": [(i, counts.get(i.pk, {})) for i in institutions],
        "q": q,
        "kind": kind,
        "state": state,
        "kinds": InstitutionKind.choices,
        "can_add": request.user.has_perm("network.add_institution"),
    }
    return render(request, "network/manage/institutions.html", context)


@login_required
def institution_create(request):
    if not request.user.has_perm("network.add_institution"):
        raise PermissionDenied
    municipalities = list(
        Municipality.objects.filter(pk__in=_registry_municipalities(request.user))
    )
    if not municipalities:
        raise PermissionDenied
    form = InstitutionForm(
        request.POST or None,
        creating=True,
        municipalities=municipalities,
        initial={"is_active": True},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        municipality = data.pop("municipality", None) or municipalities[0]
        if not request.user.has_perm("network.add_institution", municipality):
            raise PermissionDenied
        try:
            institution = services.institution_create(
                actor=request.user, municipality=municipality, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The institution “%(name)s” is added to the registry.")
                % {"name": institution.short_name},
            )
            return redirect(institution.get_absolute_url())
    return render(
        request,
        "network/manage/institution_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@login_required
def institution_edit(request, slug: str):
    institution = institution_for_user(
        request.user, slug=slug, perm="network.change_institution_contacts"
    )
    full = request.user.has_perm("network.change_institution", institution)
    fields = services.INSTITUTION_FIELDS if full else services.INSTITUTION_CONTACT_FIELDS
    initial = {name: getattr(institution, name) for name in fields}
    form = InstitutionForm(request.POST or None, fields=fields, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in fields}
        was_active = institution.is_active
        try:
            services.institution_update(
                actor=request.user, institution=institution, fields=fields, **data
            )
        except ValidationError as exc:
            institution.refresh_from_db()
            apply_errors(form, exc)
        else:
            if was_active and not institution.is_active:
                messages.warning(
                    request,
                    _(
                        "The institution is no longer active: it is hidden from the directory. "
                        "Nothing is deleted; tick “Active” to bring it back."
                    ),
                )
            messages.success(request, _("The changes are saved."))
            return redirect(institution.get_absolute_url())
    context = {"form": form, "institution": institution, "creating": False, "full": full}
    return render(
        request,
        "network/manage/institution_form.html",
        context,
        status=400 if form.errors else 200,
    )


# --- municipal roles ------------------------------------------------------------------------


@login_required
def municipal_roles(request):
    if not request.user.has_perm("network.manage_municipal_roles"):
        raise PermissionDenied
    municipality_ids = _registry_municipalities(request.user, admin_only=True)
    people = Person.objects.filter(municipality_id__in=municipality_ids)
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]
    form = MunicipalRoleForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role = services.municipal_role_assign(
                actor=request.user,
                person=data["person"],
                role=data["role"],
                position=data["position"],
                starts_on=data["starts_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": role.person.full_name, "role": role.get_role_display()},
            )
            return redirect("network:municipal_roles")
    found = (
        list(name_search(people, q).only("surname", "given_name", "patronymic")[:30]) if q else []
    )
    # The select offers only the people found (and the one chosen), never the whole list.
    ids = [p.pk for p in found]
    if str(form.data.get("person", "")).isdigit():
        ids.append(int(form.data["person"]))
    form.fields["person"].queryset = people.filter(pk__in=ids)
    now = today()
    roles = list(
        MunicipalRole.objects.filter(municipality_id__in=municipality_ids)
        .select_related("person__user")
        .order_by("role", "person__surname", "person__given_name", "-starts_on")
    )
    context = {
        "form": form,
        "q": q,
        "found": found,
        "current": [r for r in roles if r.ends_on is None or r.ends_on >= now],
        "past": [r for r in roles if r.ends_on is not None and r.ends_on < now],
    }
    return render(
        request, "network/manage/municipal_roles.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def municipal_role_end(request, pk: int):
    role = municipal_role_for_user(request.user, pk)
    if role.ends_on is not None and role.ends_on <= today():
        messages.info(request, _("This role has already ended."))
    elif role.role == MunicipalRole.Role.MUNICIPAL_ADMIN and role.person.user_id == request.user.pk:
        messages.error(
            request,
            _("You cannot end your own administrator role: ask another municipal administrator."),
        )
    else:
        try:
            services.municipal_role_end(actor=request.user, role=role)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The role of %(name)s has ended.") % {"name": role.person.full_name},
            )
    return redirect("network:municipal_roles")
