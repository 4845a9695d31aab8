"""The provider's side: its offers with their places and applications, creating and editing
an offer, publishing it, its journal group, and deciding its applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import access
from ..forms.common import apply_errors
from ..forms.offers import GroupForm, OfferForm, StatusForm, slot_formset
from ..models import Application, Offer
from ..selectors import applications as application_selectors
from ..services import offers as service


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    if not roles.admin_of:
        raise Http404
    institutions = list(Institution.objects.filter(pk__in=roles.admin_of).order_by("short_name"))
    offers = list(
        Offer.objects.filter(institution_id__in=roles.admin_of)
        .annotate(
            waiting=Count(
                "applications",
                filter=Q(applications__status__in=[Application.Status.PENDING]),
            ),
            queued=Count(
                "applications", filter=Q(applications__status=Application.Status.WAITLISTED)
            ),
        )
        .select_related("agreement", "group")
        .order_by("status", "title", "id")
    )
    by_institution = [(i, [o for o in offers if o.institution_id == i.pk]) for i in institutions]
    return render(request, "programs/manage/index.html", {"institutions": by_institution})


def _save(request, form, formset, *, offer=None, institution=None) -> Offer | None:
    if not (form.is_valid() and formset.is_valid()):
        return None
    slots = [s for s in (f.slot() for f in formset.forms) if s is not None]
    try:
        with transaction.atomic():
            if offer is None:
                return service.offer_create(
                    actor=request.user,
                    institution=institution,
                    data=form.data_for_service(),
                    slots=slots,
                    teacher_ids=form.teacher_ids(),
                )
            return service.offer_update(
                actor=request.user,
                offer=offer,
                data=form.data_for_service(),
                slots=slots,
                teacher_ids=form.teacher_ids(),
            )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "slots" in exc.error_dict:
            formset._non_form_errors = formset.error_class(exc.error_dict.pop("slots")[0].messages)
        if not hasattr(exc, "error_dict") or exc.error_dict:
            apply_errors(form, exc)
        return None


@login_required
def offer_create(request: HttpRequest, institution_pk: int) -> HttpResponse:
    institution = access.provider_for_user(request.user, institution_pk)
    form = OfferForm(request.POST or None, institution=institution)
    formset = slot_formset(request.POST or None)
    if request.method == "POST":
        offer = _save(request, form, formset, institution=institution)
        if offer is not None:
            messages.success(request, _("The offer is saved as a draft. Publish it when ready."))
            return redirect("programs:offer", offer.pk)
    context = {"form": form, "formset": formset, "institution": institution, "offer": None}
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/manage/offer_form.html", context, status=status)


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = access.offer_to_manage(request.user, pk)
    form = OfferForm(request.POST or None, instance=offer, institution=offer.institution)
    formset = slot_formset(request.POST or None, offer)
    if request.method == "POST":
        saved = _save(request, form, formset, offer=Offer.objects.get(pk=offer.pk))
        if saved is not None:
            messages.success(request, _("The offer is saved."))
            return redirect("programs:offer", saved.pk)
    context = {"form": form, "formset": formset, "institution": offer.institution, "offer": offer}
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/manage/offer_form.html", context, status=status)


@login_required
@require_POST
def offer_status(request: HttpRequest, pk: int) -> HttpResponse:
    offer = access.offer_to_manage(request.user, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose draft, published or archived."))
        return redirect("programs:offer", offer.pk)
    try:
        service.offer_set_status(
            actor=request.user, offer=offer, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The offer is %(status)s.")
            % {"status": Offer.Status(form.cleaned_data["status"]).label},
        )
    return redirect("programs:offer", offer.pk)


@login_required
@require_POST
def offer_group(request: HttpRequest, pk: int) -> HttpResponse:
    offer = access.offer_to_manage(request.user, pk)
    form = GroupForm(request.POST, offer=offer)
    if not form.is_valid():
        messages.error(request, _("Choose a group of the list."))
        return redirect("programs:offer_applications", offer.pk)
    try:
        group = form.cleaned_data["group"]
        if group is None:
            service.offer_group_create(actor=request.user, offer=offer)
        else:
            service.offer_group_link(actor=request.user, offer=offer, group=group)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The course has its group in the journal; the accepted students are in it.")
        )
    return redirect("programs:offer_applications", offer.pk)


@login_required
def offer_applications(request: HttpRequest, pk: int) -> HttpResponse:
    offer = access.offer_to_manage(request.user, pk)
    applications = application_selectors.offer_applications(offer)
    context = {
        "offer": offer,
        "applications": applications,
        "group_form": GroupForm(offer=offer) if offer.group_id is None else None,
        "live": [a for a in applications if a.is_live],
        "closed": [a for a in applications if not a.is_live],
    }
    return render(request, "programs/manage/applications.html", context)
