"""Pages served again from the cache while nothing they show has changed.

The busiest read pages of the network — the programmes' catalogue, an offer, the map, the
municipal calendar, an event, a resource's calendar, an institution's readiness — cost a
signed-in request, their permission checks and the site's layout every time, for an answer
that changes only when their data does. ``@cached_page("programs", "network")`` keeps the
page's HTML in the cache under a key made of everything the page depends on:

- the stamps of its domains (``core.changes``: the database appends a row for every write to
  their tables, however it is made), asked *before* the page reads anything;
- who asks: the user's id and their flags (active, staff, superuser) — a person's rights come
  from the network's memberships, a stamped domain; the page is kept with the person's
  unread count (the bell, cached by the notification centre) and served only while the count
  is the same;
- the address with its query, the host and scheme, the language, the active time zone, the
  htmx headers (a fragment is not the page), the browser's CSRF secret (the page's forms carry
  a token of it), and the clock: today, or the minute for a page that shows "now" (an
  event's join button).

Nothing is served from the cache and nothing is stored when the request is not a GET,
when a message waits to be shown, when the browser has no CSRF cookie yet, or when the view's
answer is not a plain 200 (a redirect, an error, a file, a cookie set, the session changed).
Entries expire after ``PAGE_CACHE_SECONDS`` in any case. The rest of the request — the
middleware, ``Cache-Control: private, no-store`` for a signed-in person, compression — runs
as for any page. ``PAGE_CACHE = False`` turns it off."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import get_language

from . import changes, clock

PREFIX = "page:"
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Boosted", "HX-Current-URL", "HX-Trigger")
#: The headers of the view's own answer that are kept; the middleware adds the rest.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Link")


def _who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "-"
    # The account's own fields a page shows or decides by (the header names an account
    # without a person by its full name or login); the rest comes from stamped domains.
    return (
        f"{user.pk}:{int(user.is_active)}{int(user.is_staff)}{int(user.is_superuser)}:"
        f"{user.get_username()}:{user.get_full_name()}"
    )


def _bell(request: HttpRequest) -> tuple[int, int] | None:
    """(person, unread count) of the signed-in person: kept with the page and compared on
    every hit (a new notification changes the bell of every page). Their person is a row
    of the network, a stamped domain of every cached page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from setka.network.roles import user_roles
    from setka.notifications.selectors import unread_count

    person_id = user_roles(user).person_id
    return None if person_id is None else (person_id, unread_count(person_id))


def _bell_changed(bell: tuple[int, int] | None) -> bool:
    if bell is None:
        return False
    from setka.notifications.selectors import unread_count

    return unread_count(bell[0]) != bell[1]


def key(request: HttpRequest, domains: tuple[str, ...], minute: bool) -> str | None:
    """The page's key, or None when this request must not use the cache."""
    if not settings.PAGE_CACHE or request.method != "GET":  # a HEAD runs the view (405 or not)
        return None
    secret = request.META.get("CSRF_COOKIE")
    if not secret or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None  # a new CSRF cookie goes out with this answer: its token must be fresh
    if getattr(request, "_messages", None) is not None and len(get_messages(request)):
        return None
    stamps = changes.stamps(domains)
    moment = clock.localnow()
    parts = [
        ",".join(f"{d}={s[0]}.{s[1]}" for d, s in zip(domains, stamps, strict=True)),
        _who(request),
        request.get_full_path(),
        request.scheme,
        request.get_host(),
        get_language() or "",
        timezone.get_current_timezone_name(),
        "|".join(request.headers.get(h, "") for h in HTMX_HEADERS),
        secret,
        moment.strftime("%Y-%m-%d %H:%M" if minute else "%Y-%m-%d"),
    ]
    return PREFIX + hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()


def _storable(request: HttpRequest, response: HttpResponseBase, secret: str) -> bool:
    session = getattr(request, "session", None)
    return (
        type(response) is HttpResponse
        and response.status_code == 200
        and not response.cookies
        and not (session is not None and session.modified)
        and request.META.get("CSRF_COOKIE") == secret  # the page's tokens are of this secret
    )


def _payload(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
    headers = [(h, response.headers[h]) for h in KEPT_HEADERS if h in response.headers]
    return response.content, headers


def cached_page(*domains: str, minute: bool = False) -> Callable:
    """Serve the view's page from the cache while the stamps of ``domains`` (and everything
    else in :func:`key`) are unchanged. ``minute``: the page shows the time of day."""
    unknown = set(domains) - set(changes.DOMAINS)
    if unknown:
        raise ValueError(f"not stamped domains: {sorted(unknown)}")
    ordered = tuple(sorted(set(domains)))

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            page_key = key(request, ordered, minute)
            if page_key is None:
                return view(request, *args, **kwargs)
            secret = request.META["CSRF_COOKIE"]
            hit = cache.get(page_key)
            if hit is not None:
                content, headers, bell = hit
                if not _bell_changed(bell):
                    # As the page's own {% csrf_token %} would: the cookie's expiry is renewed.
                    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
                    return HttpResponse(content, headers=dict(headers))
            bell = _bell(request)  # before the page: a later notification is a later count
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponse) and _storable(request, response, secret):
                entry = (*_payload(response), bell)
                cache.set(page_key, entry, settings.PAGE_CACHE_SECONDS)
            return response

        return wrapper

    return decorator
