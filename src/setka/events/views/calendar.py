"""The municipal calendar: the list (upcoming, with filters and pages), the month and the
week. Public (the open calendar); a constant number of queries whatever the number of
events; light: no script, plain lists that fold on a phone."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from setka.core.clock import localnow, today
from setka.journal.models import Subject
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import rules, selectors
from ..forms import parse_filters
from ..models import Kind

PER_PAGE = 30


def _options(roles) -> dict:
    """The filter choices: two queries."""
    return {
        "kinds": Kind.choices,
        "subjects": list(Subject.objects.values_list("pk", "name").order_by("order", "name")),
        "institutions": list(
            Institution.objects.active().values_list("pk", "short_name").order_by("short_name")
        ),
        "audiences": [
            ("teachers", selectors.Event._meta.get_field("for_teachers").verbose_name),
            ("students", selectors.Event._meta.get_field("for_students").verbose_name),
            ("parents", selectors.Event._meta.get_field("for_parents").verbose_name),
            ("public", selectors.Event._meta.get_field("for_public").verbose_name),
        ],
        "can_create": rules.creates_any(roles),
    }


def _query(request, **extra) -> str:
    params = {k: v for k, v in request.GET.items() if k not in ("page", *extra) and v}
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params)


def _feeds(request) -> dict:
    feed = request.build_absolute_uri(reverse("events:feed"))
    return {"feed_url": feed, "webcal_url": "webcal://" + feed.split("://", 1)[1]}


def _context(request, filters) -> dict:
    roles = user_roles(request.user)
    return {"filters": filters, **_options(roles), **_feeds(request),
            "filter_query": _query(request)}  # fmt: skip


@require_GET
def event_list(request):
    filters = parse_filters(request.GET)
    qs = selectors.apply_filters(selectors.calendar_events(), filters)
    past = request.GET.get("when") == "past"
    moment = localnow()
    qs = qs.filter(ends_at__lt=moment).reverse() if past else qs.filter(ends_at__gte=moment)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = _context(request, filters)
    context.update({"page": page, "events": list(page.object_list), "past": past, "view": "list"})
    return render(request, "events/calendar/list.html", context)


def _month_start(raw: str | None) -> dt.date:
    try:
        year, month = (int(x) for x in (raw or "").split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today().replace(day=1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _by_day(events, start: dt.date, end: dt.date) -> dict[dt.date, list]:
    days: dict[dt.date, list] = {}
    for event in events:
        first = max(timezone.localtime(event.starts_at).date(), start)
        last = min(timezone.localtime(event.ends_at - dt.timedelta(seconds=1)).date(), end)
        day = first
        while day <= last:
            days.setdefault(day, []).append(event)
            day += dt.timedelta(days=1)
    return days


@require_GET
def month(request):
    filters = parse_filters(request.GET)
    first = _month_start(request.GET.get("m"))
    if not 1900 <= first.year <= 2100:
        first = today().replace(day=1)
    grid_start = first - dt.timedelta(days=first.weekday())
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    last = next_month - dt.timedelta(days=1)
    grid_end = last + dt.timedelta(days=6 - last.weekday())
    qs = selectors.in_range(
        selectors.apply_filters(selectors.calendar_events(), filters),
        _aware(grid_start),
        _aware(grid_end + dt.timedelta(days=1)),
    )
    days = _by_day(list(qs), grid_start, grid_end)
    weeks = []
    day = grid_start
    while day <= grid_end:
        weeks.append([(d, days.get(d, []), d.month == first.month)
                      for d in (day + dt.timedelta(days=i) for i in range(7))])  # fmt: skip
        day += dt.timedelta(days=7)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    context = _context(request, filters)
    context.update({
        "view": "month", "first": first, "weeks": weeks, "today": today(),
        "previous_query": _query(request, m=f"{previous:%Y-%m}"),
        "next_query": _query(request, m=f"{next_month:%Y-%m}"),
        "has_events": bool(days),
    })  # fmt: skip
    return render(request, "events/calendar/month.html", context)


@require_GET
def week(request):
    filters = parse_filters(request.GET)
    try:
        day = dt.date.fromisoformat(request.GET.get("d", ""))
    except ValueError:
        day = today()
    if not 1900 <= day.year <= 2100:
        day = today()
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    qs = selectors.in_range(
        selectors.apply_filters(selectors.calendar_events(), filters),
        _aware(monday),
        _aware(sunday + dt.timedelta(days=1)),
    )
    days = _by_day(list(qs), monday, sunday)
    context = _context(request, filters)
    context.update({
        "view": "week", "monday": monday, "sunday": sunday, "today": today(),
        "days": [(monday + dt.timedelta(days=i), days.get(monday + dt.timedelta(days=i), []))
                 for i in range(7)],
        "previous_query": _query(request, d=(monday - dt.timedelta(days=7)).isoformat()),
        "next_query": _query(request, d=(monday + dt.timedelta(days=7)).isoformat()),
    })  # fmt: skip
    return render(request, "events/calendar/week.html", context)
