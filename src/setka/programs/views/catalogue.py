"""The public catalogue, an offer's page and applying from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setka.core.clock import today
from setka.core.fields import widget_html
from setka.core.links import link_pattern
from setka.core.pagecache import cached_page
from setka.network.models import Person
from setka.network.roles import user_roles

from .. import access, rules
from ..forms.common import apply_errors
from ..forms.offers import ApplyForm, CatalogueForm
from ..models import Application, Area, Offer, OfferKind, OfferSlot, StudyForm, Venue
from ..selectors import catalogue as cat
from ..selectors.applications import family_students
from ..services import applications as service
from ..templatetags.programs import slot_text

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


def _cards(offers: list[Offer]) -> list[dict]:
    """What each card of the catalogue shows, in words (the body is a Jinja2 template)."""
    kinds, areas, forms = dict(OfferKind.choices), dict(Area.choices), dict(StudyForm.choices)
    offer_url = link_pattern("programs:offer")
    provider_url = link_pattern("network:institution", "slug")
    day = today()
    cards = []
    for offer in with_slots(offers):
        if offer.venue == Venue.ONLINE:
            where = _("online")
        elif offer.venue_institution_id:
            where = _("at %(place)s") % {"place": offer.venue_institution.short_name}
        else:
            where = ""
        free = offer.free_places
        cards.append({
            "url": offer_url.format(offer.pk), "title": offer.title,
            "provider": offer.institution.short_name,
            "provider_url": provider_url.format(offer.institution.slug),
            "kind": kinds.get(offer.kind, offer.kind), "area": capfirst(areas.get(offer.area, "")),
            "grades": offer.grades_label, "form": forms.get(offer.form, offer.form),
            "where": where, "times": [slot_text(s) for s in offer.slot_list],
            "free": free,
            "places": ngettext(
                "%(counter)s free place of %(total)s", "%(counter)s free places of %(total)s", free
            ) % {"counter": free, "total": offer.capacity},
            "open": offer.applications_open_on <= day <= offer.applications_close_on,
            "window": _("applications %(start)s–%(end)s") % {
                "start": date_format(offer.applications_open_on, "j E"),
                "end": date_format(offer.applications_close_on, "j E"),
            },
            "network": bool(offer.agreement_id),
        })  # fmt: skip
    return cards


@cached_page("programs", "network", "journal")
def catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue with its filters. The body is written with Jinja2 and the filters'
    widgets without Django's widget templates: the page is one of the busiest (issue 9,
    "Speed"; docs/benchmarks.md)."""
    roles = user_roles(request.user)
    students = family_students(roles)
    form = CatalogueForm(request.GET or None, providers=cat.providers(), students=students)
    filters = form.filters(students) if request.GET else cat.Filters()
    page = Paginator(cat.catalogue(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    count = page.paginator.count
    context = {
        "form": form,
        "fields": [
            (field, widget_html(field), field.widget_type == "checkbox")
            for field in form
            if field.name != "q"
        ],
        "page": page,
        "cards": _cards(list(page.object_list)),
        "found": ngettext("%(counter)s course found", "%(counter)s courses found", count)
        % {"counter": count},
        "page_of": _("Page %(n)s of %(total)s")
        % {"n": page.number, "total": page.paginator.num_pages},
        "query": query.urlencode(),
        "filtered": bool(request.GET),
        "fits": filters.fits,
        "signed_in": request.user.is_authenticated,
        "can_manage": bool(roles.admin_of),
        "can_see_agreements": bool(roles.employee_of or roles.is_registry_manager),
    }
    body = mark_safe(
        render_to_string("programs/catalogue_body.html", context, request, using="jinja2")
    )
    return render(request, "programs/catalogue.html", {**context, "body": body})


@cached_page("programs", "network", "journal")
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
