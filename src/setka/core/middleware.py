"""Middleware of the whole site."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


def private_no_store(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Every answer to a signed-in user (a session, or an API call with an ``Authorization``
    header) says ``Cache-Control: private, no-store``: pages, API answers and files (XLSX,
    PDF, attachments) alike. Whatever a signed-in person sees may be personal (a diary, marks,
    a profile, even the site's header with their name), so no shared cache may keep it and no
    browser may store it on disk. Anonymous visitors see only public pages, which stay
    cacheable. Static files are served before this (whitenoise) and keep their own headers."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        if "Authorization" in request.headers or _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
