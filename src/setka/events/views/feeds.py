"""iCalendar feeds: the municipal calendar, an institution's events, a person's own (behind
a secret token that can be reset), and each event as a file. Plus «My events»."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from setka.core.clock import now
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import ics, selectors, services
from ..access import certificate_by_code, event_for_user
from ..models import Certificate, FeedToken, Registration, Series

# The feeds carry the events from this long ago onwards (and every later one).
FEED_PAST = dt.timedelta(days=60)
# How long a client may keep a public feed, and the cache its text (see _feed).
FEED_CACHE_SECONDS = 300
CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _response(cal, filename: str, *, public: bool) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = (
        f"public, max-age={FEED_CACHE_SECONDS}" if public else "private, no-store"
    )
    return response


def _series_of(events) -> dict[int, Series]:
    ids = {e.series_id for e in events if e.series_id}
    return Series.objects.in_bulk(list(ids)) if ids else {}


def _feed(request, qs, name: str, filename: str) -> HttpResponse:
    """A public feed. Calendar applications poll it all day and the municipal one holds the
    whole year (megabytes), so its text is kept in the cache under a stamp of its events — how
    many, the latest change, the highest id, read in one aggregate query — and a client that
    has this version gets a 304 by its ETag. Any change to an event makes a new stamp, so the
    feed is never older than its events; names of venues and institutions may lag by the
    cache's few minutes, as long as Cache-Control lets a client keep the feed anyway."""
    qs = qs.filter(ends_at__gte=now() - FEED_PAST)
    stamp = qs.aggregate(n=Count("id"), changed=Max("updated_at"), last=Max("id"))
    version = hashlib.sha256(
        f"{filename}|{get_language()}|{request.get_host()}|{sorted(stamp.items())}".encode()
    ).hexdigest()[:32]
    etag = f'"{version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        key = f"events:feed:{version}"
        body = cache.get(key)
        if body is None:
            events = list(qs)
            body = ics.calendar(events, name, series=_series_of(events)).to_ical()
            cache.set(key, body, FEED_CACHE_SECONDS)
        response = HttpResponse(body, content_type=CALENDAR_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={FEED_CACHE_SECONDS}"
    return response


@require_GET
def municipal_feed(request):
    return _feed(request, selectors.calendar_events(), _("Municipal calendar"), "setka-events.ics")


@require_GET
def institution_feed(request, slug: str):
    institution = get_object_or_404(Institution, slug=slug)
    qs = selectors.calendar_events().filter(institution=institution)
    return _feed(request, qs, f"{institution.short_name}: {_('events')}", f"setka-{slug}.ics")


@require_GET
def personal_feed(request, token: str):
    """No sign-in: calendar applications cannot sign in; the secret in the address is the
    key. A wrong or reset token is a 404 (nothing tells whether it ever existed)."""
    found = FeedToken.objects.filter(token=token[:64]).select_related("person").first()
    if found is None:
        raise Http404
    events = list(selectors.my_events(found.person_id, since=now() - FEED_PAST))
    cal = ics.calendar(events, _("My events"), group_series=False)
    return _response(cal, "setka-my-events.ics", public=False)


@require_GET
def event_ics(request, pk: int):
    event = event_for_user(request.user, pk)
    return _response(ics.calendar([event], event.title, group_series=False),
                     f"event-{event.pk}.ics", public=not request.user.is_authenticated)  # fmt: skip


def _webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1]


@login_required
@require_GET
def my_events(request):
    roles = user_roles(request.user)
    if roles.person_id is None:
        raise Http404
    token = services.feed_token_of(roles.person_id)
    feed = request.build_absolute_uri(reverse("events:personal_feed", args=[token.token]))
    events = list(selectors.my_events(roles.person_id))
    regs = {
        r.event_id: r
        for r in Registration.objects.filter(person_id=roles.person_id).exclude(
            status=Registration.Status.CANCELLED
        )
    }
    moment = now()
    rows = [{"event": e, "registration": regs.get(e.pk)} for e in events]
    context = {
        "upcoming": [r for r in rows if r["event"].ends_at >= moment],
        "past": [r for r in rows if r["event"].ends_at < moment][::-1],
        "feed_url": feed,
        "webcal_url": _webcal(feed),
        "certificates": list(
            Certificate.objects.filter(person_id=roles.person_id).select_related("event")
        ),
    }
    return render(request, "events/my.html", context)


@login_required
@require_POST
def feed_reset(request):
    services.feed_token_reset(actor=request.user)
    messages.success(request, _("A new address is made; the old one no longer works."))
    return redirect("events:my")


@require_GET
def check(request):
    """The public check of a certificate: type the code."""
    code = (request.GET.get("code") or "").strip()
    if code:
        return redirect("events:check_code", code=code.upper()[:16])
    return render(request, "events/check.html", {})


@require_GET
def check_code(request, code: str):
    try:
        certificate = certificate_by_code(code)
    except Http404:
        return render(request, "events/check.html", {"code": code, "missing": True}, status=404)
    return render(request, "events/check.html", {"certificate": certificate, "code": code})
