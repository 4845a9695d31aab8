"""A resource centre's own pages: its resources, publishing one, changing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from setka.core.clock import now

from .. import services
from ..access import centre_for_admin, resource_for_user
from ..forms import ResourceForm
from ..models import ACTIVE, Resource, Status
from ..rules import manages_resource


@login_required
@require_GET
def centre(request, slug: str):
    institution = centre_for_admin(request.user, slug)
    coming = Q(bookings__ends_at__gt=now())
    resources = list(
        Resource.objects.filter(institution=institution)
        .annotate(
            coming=Count("bookings", filter=Q(bookings__status__in=ACTIVE) & coming),
            waiting=Count("bookings", filter=Q(bookings__status=Status.PENDING) & coming),
        )
        .order_by("-is_active", "name", "id")
    )
    return render(
        request, "resources/centre.html", {"institution": institution, "resources": resources}
    )


def _save(request, form: ResourceForm, save) -> bool:
    if not form.is_valid():
        return False
    try:
        resource = save(form.service_data(), form.cleaned_data["windows"])
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    request.saved = resource
    return True


@login_required
def resource_create(request, slug: str):
    institution = centre_for_admin(request.user, slug)
    if not institution.is_resource_centre:
        raise PermissionDenied(
            _("Only resource centres publish resources; ask the municipality to mark yours.")
        )
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        initial=ResourceForm.initial_for(None),
    )
    if request.method == "POST":

        def save(data, windows):
            return services.resource_create(
                actor=request.user, institution=institution, data=data, windows=windows
            )

        if _save(request, form, save):
            messages.success(request, _("The resource is published."))
            return redirect(reverse("resources:resource", args=[request.saved.pk]))
    status = 422 if form.is_bound else 200
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "institution": institution, "resource": None},
        status=status,
    )


@login_required
def resource_edit(request, pk: int):
    resource = resource_for_user(request.user, pk)
    if not manages_resource(request.user, resource):
        raise PermissionDenied(_("Only the administrators of the resource centre do this."))
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        initial=ResourceForm.initial_for(resource),
    )
    if request.method == "POST":

        def save(data, windows):
            return services.resource_update(
                actor=request.user, resource=resource, data=data, windows=windows
            )

        if _save(request, form, save):
            messages.success(request, _("The resource is saved."))
            return redirect(reverse("resources:resource", args=[resource.pk]))
    status = 422 if form.is_bound else 200
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "institution": resource.institution, "resource": resource},
        status=status,
    )
