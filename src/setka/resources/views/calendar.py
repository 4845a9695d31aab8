"""The catalogue of shared resources, a resource's week and month calendars (with the booking
form), and its iCalendar feed."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from setka.core.clock import now, today
from setka.core.pagecache import cached_page
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import calendar, ics, selectors
from ..access import resource_for_user
from ..forms import BookingForm
from ..models import Kind
from ..rules import manages_resource, may_book
from ..timing import zone

PER_PAGE = 30


@require_GET
def catalogue(request):
    roles = user_roles(request.user)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    try:
        centre = int(request.GET.get("centre") or 0)
    except ValueError:
        centre = 0
    text = (request.GET.get("q") or "").strip()[:100]
    qs = selectors.catalogue(roles, kind=kind, institution_id=centre or None, text=text)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "resources": page.object_list,
        "kinds": Kind.choices,
        "kind": kind,
        "centre": centre,
        "centres": selectors.centres(roles),
        "q": text,
        "managed": (
            list(Institution.objects.filter(pk__in=roles.admin_of, is_resource_centre=True))
            if roles.admin_of
            else []
        ),
    }
    return render(request, "resources/catalogue.html", context)


def _hours(resource) -> list[tuple[str, str]]:
    from django.utils.dates import WEEKDAYS

    from ..timing import windows_text

    spans: dict[int, list] = {}
    for w in resource.windows.all():
        spans.setdefault(w.weekday, []).append((w.starts_at, w.ends_at))
    return [(str(WEEKDAYS[d]), windows_text(spans[d])) for d in range(7) if d in spans]


def resource_context(request, resource) -> dict:
    roles = user_roles(request.user)
    feed = request.build_absolute_uri(reverse("resources:feed", args=[resource.pk]))
    return {
        "resource": resource,
        "hours": _hours(resource),
        "may_manage": manages_resource(request.user, resource),
        "may_book": may_book(request.user, resource),
        "feed_url": feed,
        "webcal_url": "webcal://" + feed.split("://", 1)[1],
        "roles": roles,
    }


def booking_form(request, resource, data=None) -> BookingForm | None:
    if not may_book(request.user, resource):
        return None
    choices = selectors.booking_institutions(user_roles(request.user), resource)
    if not choices:
        return None
    initial = {}
    day = request.GET.get("day")
    if day:
        initial["day"] = day
    return BookingForm(data, institutions=choices, initial=initial)


@cached_page("resources", "network", "events", minute=True)
@require_GET
def resource_week(request, pk: int):
    resource = resource_for_user(request.user, pk)
    day = today()
    monday = calendar.parse_week(request.GET.get("week"), day)
    days = calendar.week(resource, user_roles(request.user), monday, day)
    form = booking_form(request, resource)
    context = {
        **resource_context(request, resource),
        "days": days,
        "calendar_html": calendar.render_week(resource, days, may_book=form is not None),
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "prev_week": (monday - dt.timedelta(days=7)).isoformat(),
        "next_week": (monday + dt.timedelta(days=7)).isoformat(),
        "this_week": calendar.monday_of(day) == monday,
        "month_param": f"{monday:%Y-%m}",
        "form": form,
    }
    return render(request, "resources/resource.html", context)


@cached_page("resources", "network", "events", minute=True)
@require_GET
def resource_month(request, pk: int):
    resource = resource_for_user(request.user, pk)
    day = today()
    year, number = calendar.parse_month(request.GET.get("month"), day)
    weeks = calendar.month(resource, user_roles(request.user), year, number, day)
    context = {
        **resource_context(request, resource),
        "weeks": weeks,
        "calendar_html": calendar.render_month(resource, weeks),
        "month_start": dt.date(year, number, 1),
        "prev_month": calendar.shift_month(year, number, -1),
        "next_month": calendar.shift_month(year, number, 1),
        "this_month": (year, number) == (day.year, day.month),
    }
    return render(request, "resources/month.html", context)


@require_GET
def resource_feed(request, pk: int):
    """The public iCalendar feed: busy time of a public resource, for anyone (calendar
    applications subscribe without signing in); a resource without a public calendar has no
    feed (404)."""
    resource = resource_for_user(request.user, pk)
    if not resource.is_public or not resource.is_active:
        raise Http404
    moment = now()
    rows = selectors.feed_bookings(resource, moment - ics.PAST, moment + ics.AHEAD)
    body = ics.feed(resource, rows, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="resource-{resource.pk}.ics"'
    response["Cache-Control"] = "public, max-age=300"
    response["Last-Modified"] = http_date(moment.timestamp())
    return response


def tz_of(resource) -> dt.tzinfo:
    return zone(resource.institution.municipality.time_zone)
