"""RFC 7807 problem documents for every API error: never an HTML page, never a bare 500."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("setka.api")

PROBLEM = "application/problem+json"


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    title: str,
    detail: str = "",
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    body["instance"] = request.path
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


def _ninja_errors(exc: NinjaValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        out.append({"field": ".".join(loc) or None, "message": err.get("msg", ""), "code": err.get("type", "invalid")})
    return out


def django_validation_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                out.append({"field": None if field == "__all__" else field, "message": message, "code": "invalid"})
    else:
        out.extend({"field": None, "message": m, "code": "invalid"} for m in exc.messages)
    return out


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc):
        return problem(api, request, 422, _("Invalid input"), _("Some fields are invalid."), _ninja_errors(exc))

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc):
        return problem(
            api, request, 422, _("Invalid input"), _("Some fields are invalid."), django_validation_errors(exc)
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        response = problem(api, request, 401, _("Authentication required"), _("Sign in or pass a valid API token."))
        response["WWW-Authenticate"] = 'Bearer realm="setka"'
        return response

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return problem(api, request, 404, _("Not found"), _("There is no such object, or it is not available to you."))

    @api.exception_handler(PermissionDenied)
    def on_403(request, exc):
        return problem(api, request, 403, _("Forbidden"), _("You do not have the rights for this action."))

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        return problem(api, request, exc.status_code, str(exc.message) if exc.message else "", "")

    @api.exception_handler(Exception)
    def on_error(request, exc):  # pragma: no cover - reached only by a bug
        logger.exception("Unhandled API error on %s", request.path)
        return problem(api, request, 500, _("Server error"), _("Something went wrong on the server."))
