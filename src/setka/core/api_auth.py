"""API authentication: personal bearer tokens, or the browser session (with CSRF).

The API authenticates with, in this order:

1. ``Authorization: Bearer stk_…`` — a personal token (:class:`TokenAuth`);
2. the browser session (:class:`SessionAuth`) — unsafe methods (POST, PATCH, DELETE) then
   need the CSRF token in the ``X-CSRFToken`` header, as for any form of the site;
3. on public endpoints only, nothing (:data:`PUBLIC`): an anonymous visitor. A request that
   sends an ``Authorization`` header with a wrong token is refused (401) even there, so a
   script with an expired token notices instead of silently seeing less.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from setka.accounts.services import token_authenticate

from .api_errors import ApiProblem


class TokenAuth(HttpBearer):
    openapi_description = (
        "A personal API token: `Authorization: Bearer stk_…`. Create one on the profile page "
        "or with `POST /api/v1/auth/token`."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The browser session of a signed-in user. POST, PATCH and DELETE also need the "
        "`X-CSRFToken` header (the value of the `csrftoken` cookie)."
    )

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        # Only a signed-in session needs the CSRF check: an anonymous request has nothing to
        # forge, and must get 401 (not 403) when the endpoint needs a sign-in.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise ApiProblem(
                403,
                _("Security check failed"),
                _(
                    "The CSRF token is missing or wrong. Reload the page and try again; "
                    "scripts should use an API token instead of the session."
                ),
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None  # __call__ above does the work


def anonymous(request: HttpRequest) -> Any:
    """The last resort on public endpoints: an anonymous visitor (unless a bad token was sent)."""
    if request.headers.get("Authorization"):
        return None
    request.user = AnonymousUser()
    return request.user


#: ``auth=PUBLIC`` on an operation: anyone, but a signed-in user or a token is recognised.
PUBLIC = [TokenAuth(), SessionAuth(), anonymous]
#: The default of the API: a token or a session.
REQUIRED = [TokenAuth(), SessionAuth()]
#: The OpenAPI ``security`` of a public operation: the schemes are optional.
#: (ninja lists the schemes; the empty requirement added here means "or none").
PUBLIC_SECURITY: dict[str, Any] = {"security": [{}]}
