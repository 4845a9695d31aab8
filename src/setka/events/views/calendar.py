"""The municipal calendar: the list (upcoming, with filters and pages), the month and the
week. Public (the open calendar); a constant number of queries whatever the number of
events; light: no script, plain lists that fold on a phone.

The bodies of the pages (the filters, the list, the month's table, the week's days) render
with Jinja2 from rows of display strings made here once per event; the Django templates only
put them into the site's layout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_ALT, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from setka.core.clock import localnow, today
from setka.core.links import link_pattern
from setka.core.pagecache import cached_page
from setka.journal.models import Subject
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import rules, selectors
from ..forms import parse_filters
from ..models import Event, Kind, Status

PER_PAGE = 30

#: The columns each view shows of an event: the month the fewest, the list the most.
MONTH_FIELDS = ("id", "title", "status", "starts_at", "ends_at")
WEEK_FIELDS = (*MONTH_FIELDS, "kind", "provider", "capacity_remote", "institution__short_name")
LIST_FIELDS = (*WEEK_FIELDS, "institution_id", "venue_id", "venue__short_name", "subject__name")


def _options(roles) -> dict:
    """The filter choices: two queries."""
    return {
        "kinds": [(value, capfirst(str(label))) for value, label in Kind.choices],
        "subjects": list(Subject.objects.values_list("pk", "name").order_by("order", "name")),
        "institutions": list(
            Institution.objects.active().values_list("pk", "short_name").order_by("short_name")
        ),
        "audiences": [
            (key, capfirst(str(getattr(Event, name).field.verbose_name)))
            for key, name in selectors.AUDIENCE_FIELDS.items()
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
            "filter_query": _query(request), "signed_in": request.user.is_authenticated,
            "hidden": []}  # fmt: skip


def _body(template: str, context: dict) -> SafeString:
    return SafeString(render_to_string(f"events/calendar/{template}", context, using="jinja2"))


class _Dates:
    """The names of days and months, translated once per page: what the ``date`` filter's D,
    l, E and F would give for each day or event."""

    def __init__(self) -> None:
        self.weekdays = [str(WEEKDAYS[d]) for d in range(7)]
        self.weekdays_abbr = [str(WEEKDAYS_ABBR[d]) for d in range(7)]
        self.months_alt = {m: str(MONTHS_ALT[m]) for m in MONTHS_ALT}

    def day_month(self, day: dt.date) -> str:  # "j E"
        return f"{day.day} {self.months_alt[day.month]}"


def _lines(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each event's row with its address, its local start and end, and the times as shown."""
    url = link_pattern("events:detail").format
    kinds = {value: str(label) for value, label in Kind.choices}
    zone = timezone.get_current_timezone()  # looked up once, not once per event
    out = []
    for row in rows:
        starts = row["starts_at"].astimezone(zone)
        ends = row["ends_at"].astimezone(zone)
        row.update({
            "url": url(row["id"]),
            "cancelled": row["status"] == Status.CANCELLED,
            "starts": starts,
            "last_moment": (row["ends_at"] - dt.timedelta(seconds=1)).astimezone(zone),
            "start_iso": starts.isoformat(),
            "start_time": f"{starts:%H:%M}",
            "end_time": f"{ends:%H:%M}",
            "kind_label": kinds.get(row.get("kind", ""), row.get("kind", "")),
            "online": bool(row.get("provider") and row.get("capacity_remote")),
        })  # fmt: skip
        out.append(row)
    return out


@cached_page("events", "network", "journal", "resources", minute=True)
@require_GET
def event_list(request):
    filters = parse_filters(request.GET)
    qs = selectors.apply_filters(selectors.calendar_events(), filters)
    past = request.GET.get("when") == "past"
    moment = localnow()
    qs = qs.filter(ends_at__lt=moment).reverse() if past else qs.filter(ends_at__gte=moment)
    page = Paginator(qs.values(*LIST_FIELDS), PER_PAGE).get_page(request.GET.get("page"))
    events = _lines(page.object_list)
    names = _Dates()
    for e in events:
        s = e["starts"]
        e["when"] = f"{names.weekdays_abbr[s.weekday()]}, {names.day_month(s)}, {e['start_time']}"
    context = _context(request, filters)
    context.update({
        "view": "list", "past": past, "events": events,
        "pager": {
            "previous": page.previous_page_number() if page.has_previous() else None,
            "next": page.next_page_number() if page.has_next() else None,
            "text": _("Page %(n)s of %(total)s")
            % {"n": page.number, "total": page.paginator.num_pages},
        } if page.has_other_pages() else None,
    })  # fmt: skip
    return render(request, "events/calendar/list.html", {"body": _body("list_items.html", context)})


def _month_start(raw: str | None) -> dt.date:
    try:
        year, month = (int(x) for x in (raw or "").split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return today().replace(day=1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _by_day(events: list[dict[str, Any]], start: dt.date, end: dt.date) -> dict[dt.date, list]:
    days: dict[dt.date, list] = {}
    for event in events:
        first = max(event["starts"].date(), start)
        last = min(event["last_moment"].date(), end)
        day = first
        while day <= last:
            days.setdefault(day, []).append(event)
            day += dt.timedelta(days=1)
    return days


@cached_page("events", "network", "journal", "resources", minute=True)
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
    days = _by_day(_lines(qs.values(*MONTH_FIELDS)), grid_start, grid_end)
    names = _Dates()
    now_day = today()
    weeks = []
    day = grid_start
    while day <= grid_end:
        week = []
        for d in (day + dt.timedelta(days=i) for i in range(7)):
            events = days.get(d, [])
            css = "".join([
                "" if d.month == first.month else "outside",
                " today" if d == now_day else "",
                "" if events else " empty",
            ])  # fmt: skip
            week.append({"number": d.day, "name": names.weekdays_abbr[d.weekday()],
                         "css": css, "events": events})  # fmt: skip
        weeks.append(week)
        day += dt.timedelta(days=7)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    context = _context(request, filters)
    context.update({
        "view": "month", "hidden": [("m", f"{first:%Y-%m}")], "weeks": weeks,
        "title": f"{MONTHS[first.month]} {first.year}",
        "previous_query": _query(request, m=f"{previous:%Y-%m}"),
        "next_query": _query(request, m=f"{next_month:%Y-%m}"),
        "has_events": bool(days),
    })  # fmt: skip
    return render(request, "events/calendar/month.html", {
        "first": first, "body": _body("month_table.html", context)})  # fmt: skip


@cached_page("events", "network", "journal", "resources", minute=True)
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
    days = _by_day(_lines(qs.values(*WEEK_FIELDS)), monday, sunday)
    names = _Dates()
    now_day = today()
    context = _context(request, filters)
    context.update({
        "view": "week", "hidden": [("d", monday.isoformat())],
        "title": f"{names.day_month(monday)} – {names.day_month(sunday)} {sunday.year}",
        "days": [{
            "id": f"day-{d:%Y%m%d}",
            "heading": f"{names.weekdays[d.weekday()]}, {names.day_month(d)}",
            "today": d == now_day,
            "events": days.get(d, []),
        } for d in (monday + dt.timedelta(days=i) for i in range(7))],
        "previous_query": _query(request, d=(monday - dt.timedelta(days=7)).isoformat()),
        "next_query": _query(request, d=(monday + dt.timedelta(days=7)).isoformat()),
    })  # fmt: skip
    return render(request, "events/calendar/week.html", {
        "monday": monday, "sunday": sunday, "body": _body("week_days.html", context)})  # fmt: skip
