"""The one NinjaAPI under /api/v1/, assembled from each domain's router."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from setka.core.api_auth import REQUIRED
from setka.core.api_errors import PROBLEM, install_error_handlers, problem, request_guard

DESCRIPTION = """\
The JSON API of Setka, the network of the educational institutions of a municipality.

**Authentication.** Send a personal token, `Authorization: Bearer stk_…` (create one on
your profile page or with `POST /api/v1/auth/token`), or use the signed-in browser session;
with the session, `POST`, `PATCH` and `DELETE` also need the `X-CSRFToken` header. Public
endpoints (the registry of institutions) need neither.

**Errors** are RFC 7807 problem documents (`application/problem+json`) with `title`,
`status`, `detail` and, for invalid input (422), `errors: [{field, message, code}]`.
Messages follow the `Accept-Language` header (Russian by default, or English).
An object that does not exist and one you may not see both answer 404; an action you may
not take on an object you can see answers 403. Failed sign-ins are throttled: after five
failures in a row the login is locked for a while (429).

**Lists** are paginated: `?page=1&page_size=50` (at most 200), answering
`{"items": […], "count": N}`.
"""


class SetkaAPI(NinjaAPI):
    """NinjaAPI whose every answer, even for an unknown address or method, is problem JSON."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _problem_for_405(self, pattern.callback)
        patterns.append(re_path(r"^.*$", _unknown_address_view(self)))
        return patterns

    def get_openapi_operation_id(self, operation: Any) -> str:
        """``network_member_list``: the domain, then the function."""
        module = operation.view_func.__module__.split(".")
        domain = module[1] if len(module) > 2 and module[0] == "setka" else module[0]
        return f"{domain}_{operation.view_func.__name__}"

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
                    if ref.endswith("/ProblemOut"):
                        content[PROBLEM] = content.pop("application/json")
        return schema


def _problem_for_405(api: NinjaAPI, view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a view of the API so that a body it cannot take is refused first (413 or 422,
    ``request_guard``), and a wrong method (405) or the bare root (ninja raises Http404 there)
    also answer with problem JSON. Every view of the API is CSRF-exempt at Django's level: the
    session authentication checks CSRF itself."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = request_guard(api, request)  # a body too large or unreadable: 413 / 422
        if refused is not None:
            return refused
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _unknown_address(api, request)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM:
            allow = response.get("Allow", "")
            response = problem(
                api,
                request,
                405,
                _("Method not allowed"),
                _("This address does not accept %(method)s; it accepts: %(allowed)s.")
                % {"method": request.method, "allowed": allow},
            )
            response["Allow"] = allow
        return response

    return wrapper


def _unknown_address(api: NinjaAPI, request: HttpRequest) -> HttpResponse:
    return problem(
        api,
        request,
        404,
        _("Not found"),
        _("There is no such address in the API. See /api/v1/docs for the endpoints."),
    )


def _unknown_address_view(api: NinjaAPI) -> Callable[[HttpRequest], HttpResponse]:
    @csrf_exempt
    def unknown_address(request: HttpRequest) -> HttpResponse:
        return _unknown_address(api, request)

    return unknown_address


# /api/v1/docs is ninja's own vendored Swagger UI (no CDN): its settings are a JSON data
# block and its scripts are files, so it works under the strict CSP of the site unchanged
# (tests/api/test_docs.py checks that the page logs no CSP violation).
api = SetkaAPI(
    title="Setka API",
    version="1",
    description=DESCRIPTION,
    auth=REQUIRED,
    urls_namespace="api-1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

from setka.accounts.api import router as accounts_router  # noqa: E402
from setka.events.api.events import router as events_router  # noqa: E402
from setka.events.api.participation import router as events_participation_router  # noqa: E402
from setka.events.api.registrations import router as events_registrations_router  # noqa: E402
from setka.journal.api import routers as journal_routers  # noqa: E402
from setka.network.api import routers as network_routers  # noqa: E402
from setka.notifications.api import router as notifications_router  # noqa: E402
from setka.programs.api.agreements import router as programs_agreements_router  # noqa: E402
from setka.programs.api.applications import router as programs_applications_router  # noqa: E402
from setka.programs.api.network import router as programs_network_router  # noqa: E402
from setka.programs.api.offers import router as programs_offers_router  # noqa: E402
from setka.resources.api.bookings import router as resources_bookings_router  # noqa: E402
from setka.resources.api.resources import router as resources_router  # noqa: E402

api.add_router("", accounts_router)
for network_router in network_routers:
    api.add_router("", network_router)
for journal_router in journal_routers:
    api.add_router("", journal_router)
api.add_router("", notifications_router)
api.add_router("", events_router)
api.add_router("", events_registrations_router)
api.add_router("", events_participation_router)
api.add_router("", programs_offers_router)
api.add_router("", programs_applications_router)
api.add_router("", programs_agreements_router)
api.add_router("", programs_network_router)
api.add_router("", resources_router)
api.add_router("", resources_bookings_router)

from setka.readiness.api import routers as readiness_routers  # noqa: E402

for readiness_router in readiness_routers:
    api.add_router("", readiness_router)

from setka.schedule.api import routers as schedule_routers  # noqa: E402

for schedule_router in schedule_routers:
    api.add_router("", schedule_router)

from setka.core.api_today import router as today_router  # noqa: E402
from setka.journal.api_day import router as journal_day_router  # noqa: E402

api.add_router("", journal_day_router)
api.add_router("", today_router)
