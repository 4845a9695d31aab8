"""Booking a resource, a booking's page with its decisions (approve, refuse, cancel), and the
list of a person's bookings (ours, and those of our resources)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from setka.core.audit import audit_entries_for
from setka.core.clock import today
from setka.network.roles import user_roles

from .. import calendar, selectors, services
from ..access import booking_for_user, institution_in_municipality, resource_for_user
from ..models import Status
from ..rules import cancels_booking, decides_booking
from .calendar import booking_form, resource_context, tz_of

PER_PAGE = 30
FORM_FIELDS = {"starts_at": "starts", "ends_at": "ends", "purpose": "purpose"}


@login_required
def book(request, pk: int):
    """GET: the booking form on the resource's week; POST: book (422 with the form's errors,
    409 with the booking that holds the time)."""
    resource = resource_for_user(request.user, pk)
    form = booking_form(request, resource, request.POST if request.method == "POST" else None)
    if form is None:
        raise PermissionDenied(_("You may not book this resource."))
    status, conflict = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            institution = institution_in_municipality(
                form.cleaned_data["institution"], resource.institution.municipality_id
            )
            starts_at, ends_at = form.moments(tz_of(resource))
            try:
                booking = services.booking_create(
                    actor=request.user,
                    resource=resource,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    purpose=form.cleaned_data["purpose"],
                    institution=institution,  # type: ignore[arg-type] # a valid choice
                    party_size=form.cleaned_data["party_size"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(
                        FORM_FIELDS.get(field, field if field in form.fields else None), errors
                    )
            except services.BookingClash as exc:
                conflict, status = exc.conflict, 409
                form.add_error(None, exc.message)
            else:
                if booking.status == Status.PENDING:
                    messages.success(
                        request,
                        _("The booking is sent: it waits for the approval of %(owner)s.")
                        % {"owner": resource.institution.short_name},
                    )
                else:
                    messages.success(request, _("The booking is confirmed."))
                return redirect(reverse("resources:booking", args=[booking.pk]))
    day = form["day"].value() if form.is_bound else request.GET.get("day")
    monday = calendar.parse_week(str(day) if day else None, today())
    context = {
        **resource_context(request, resource),
        "form": form,
        "conflict": conflict,
        "calendar_html": calendar.render_week(
            resource,
            calendar.week(resource, user_roles(request.user), monday, today()),
            may_book=True,
        ),
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "prev_week": (monday - dt.timedelta(days=7)).isoformat(),
        "next_week": (monday + dt.timedelta(days=7)).isoformat(),
        "month_param": f"{monday:%Y-%m}",
    }
    return render(request, "resources/resource.html", context, status=status)


@login_required
@require_GET
def booking_detail(request, pk: int):
    booking = booking_for_user(request.user, pk)
    context = {
        "booking": booking,
        "resource": booking.resource,
        "may_decide": decides_booking(request.user, booking) and booking.status == Status.PENDING,
        "may_cancel": cancels_booking(request.user, booking) and booking.is_active,
        "history": list(audit_entries_for(booking).order_by("created_at", "id")),
    }
    return render(request, "resources/booking.html", context)


def _act(request, pk: int, action):
    booking = booking_for_user(request.user, pk)
    reason = request.POST.get("reason", "")
    try:
        action(booking, reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.BookingConflict as exc:
        messages.error(request, exc.message)
    return redirect(reverse("resources:booking", args=[booking.pk]))


@login_required
@require_POST
def booking_approve(request, pk: int):
    def action(booking, _reason):
        services.booking_approve(actor=request.user, booking=booking)
        messages.success(request, _("The booking is confirmed; the booker is told."))

    return _act(request, pk, action)


@login_required
@require_POST
def booking_refuse(request, pk: int):
    def action(booking, reason):
        services.booking_refuse(actor=request.user, booking=booking, reason=reason)
        messages.success(request, _("The booking is refused; the booker is told."))

    return _act(request, pk, action)


@login_required
@require_POST
def booking_cancel(request, pk: int):
    def action(booking, reason):
        services.booking_cancel(actor=request.user, booking=booking, reason=reason)
        messages.success(request, _("The booking is cancelled; the other side is told."))

    return _act(request, pk, action)


TABS = ("coming", "approve", "ours", "theirs", "all")


@login_required
@require_GET
def booking_list(request):
    roles = user_roles(request.user)
    tab = request.GET.get("show", "coming")
    tab = tab if tab in TABS else "coming"
    if tab == "approve":
        qs = selectors.bookings_list(roles, side="owner", status=Status.PENDING, upcoming=True)
    elif tab == "ours":
        qs = selectors.bookings_list(roles, side="booker", upcoming=True)
    elif tab == "theirs":
        qs = selectors.bookings_list(roles, side="owner", upcoming=True)
    elif tab == "all":
        qs = selectors.bookings_list(roles)
    else:
        qs = selectors.bookings_list(roles, upcoming=True)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "bookings": page.object_list,
        "tab": tab,
        "owner": bool(roles.admin_of),
    }
    return render(request, "resources/bookings.html", context)
