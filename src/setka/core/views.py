from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


def _error(request: HttpRequest, code: int, title: str, text: str) -> HttpResponse:
    context = {"error_code": code, "error_title": title, "error_text": text}
    return render(request, "error.html", context, status=code)


def bad_request(request, exception=None):
    return _error(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. Check the address or the form and try again."),
    )


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("Access denied"),
        _(
            "You do not have the rights to open this page. If you think you should, ask the "
            "administrator of your institution."
        ),
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Page not found"),
        _(
            "There is no such page, or it is not available to you. Check the address, or go to "
            "the home page."
        ),
    )


def server_error(request):
    # No context processors here: whatever broke the request may break them too.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
