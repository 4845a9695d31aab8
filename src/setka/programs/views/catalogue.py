"""The public catalogue, an offer's page and applying from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.network.models import Person
from setka.network.roles import user_roles

from .. import access, rules
from ..forms.common import apply_errors
from ..forms.offers import ApplyForm, CatalogueForm
from ..models import Application, Offer, OfferSlot
from ..selectors import catalogue as cat
from ..selectors.applications import family_students
from ..services import applications as service

PAGE_SIZE = 24


def with_slots(offers: list[Offer]) -> list[Offer]:
    """The offers with their times read in one query (``offer.slot_list``)."""
    slots: dict[int, list[OfferSlot]] = {o.pk: [] for o in offers}
    if offers:
        for slot in OfferSlot.objects.filter(offer_id__in=list(slots)).order_by(
            "date", "weekday", "starts_at"
        ):
            slots[slot.offer_id].append(slot)
    for offer in offers:
        offer.slot_list = slots[offer.pk]  # type: ignore[attr-defined]
    return offers


def catalogue(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    students = family_students(roles)
    form = CatalogueForm(request.GET or None, providers=cat.providers(), students=students)
    filters = form.filters(students) if request.GET else cat.Filters()
    page = Paginator(cat.catalogue(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "offers": with_slots(list(page.object_list)),
        "query": query.urlencode(),
        "filtered": bool(request.GET),
        "fits": filters.fits,
        "can_manage": bool(roles.admin_of),
        "can_see_agreements": bool(roles.employee_of or roles.is_registry_manager),
    }
    return render(request, "programs/catalogue.html", context)


def offer_page(request: HttpRequest, pk: int) -> HttpResponse:
    offer = access.offer_for_user(request.user, pk)
    roles = user_roles(request.user)
    students = family_students(roles)
    mine = []
    if students:
        mine = list(
            Application.objects.filter(offer=offer, student_id__in=[s for s, _n in students])
            .select_related("student")
            .order_by("-created_at")
        )
    live = {a.student_id for a in mine if a.is_live}
    can_apply = [s for s in students if s[0] not in live]
    counts = {}
    manages = rules.manages_offer(request.user, offer)
    if manages:
        counts = dict(offer.applications.values_list("status").annotate(n=Count("id")).order_by())
    context = {
        "offer": with_slots([offer])[0],
        "teachers": list(offer.teachers.order_by("surname", "given_name")),
        "applications": mine,
        "form": ApplyForm(students=can_apply) if can_apply else None,
        "manages": manages,
        "counts": counts,
    }
    return render(request, "programs/offer.html", context)


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    offer = access.offer_for_user(request.user, pk)
    roles = user_roles(request.user)
    students = family_students(roles)
    form = ApplyForm(request.POST, students=students)
    if form.is_valid():
        student = Person.objects.get(pk=form.cleaned_data["student"])
        try:
            application = service.application_create(
                actor=request.user,
                offer=offer,
                student=student,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _status_message(application))
            return redirect("programs:application", application.pk)
    context = {
        "offer": with_slots([offer])[0],
        "teachers": list(offer.teachers.order_by("surname", "given_name")),
        "applications": [],
        "form": form,
        "manages": False,
        "counts": {},
    }
    return render(request, "programs/offer.html", context, status=400)


def _status_message(application: Application) -> str:
    return {
        Application.Status.HOME_REVIEW: _(
            "The application is sent. The home school confirms it first, then the provider decides."
        ),
        Application.Status.PENDING: _("The application is sent. The provider will decide."),
        Application.Status.ACCEPTED: _("Accepted: a place is yours."),
        Application.Status.WAITLISTED: _(
            "All places are taken: the application is on the waiting list. It moves up "
            "automatically when a place frees."
        ),
    }.get(Application.Status(application.status), application.get_status_display())
