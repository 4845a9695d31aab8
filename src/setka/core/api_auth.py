"""API authentication: personal bearer tokens, or the browser session (with CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from setka.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token: `Authorization: Bearer stk_…`."

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    param_name = "sessionid"
    openapi_description = "The browser session of a signed-in user (CSRF-protected)."

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
