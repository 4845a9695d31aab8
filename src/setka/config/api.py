"""The one NinjaAPI under /api/v1/, assembled from each domain's router."""

from __future__ import annotations

from ninja import NinjaAPI

from setka.core.api_errors import install_error_handlers
from setka.core.api_auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="Setka API",
    version="1",
    description=(
        "The JSON API of Setka, the network of the educational institutions of a municipality. "
        "Authenticate with a personal token (`Authorization: Bearer stk_…`, created on the "
        "profile page or with `POST /api/v1/auth/token`) or with the browser session. "
        "Errors are RFC 7807 problem documents (`application/problem+json`)."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api-1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

from setka.accounts.api import router as accounts_router  # noqa: E402
from setka.network.api import router as network_router  # noqa: E402

api.add_router("", accounts_router)
api.add_router("", network_router)
