"""Pages, fragments and API answers travel gzipped when the client asks (rural links of a few
Mbit/s), personal ones stay ``private, no-store``, and no page echoes the query string next to
a lasting secret (BREACH: docs/deployment.md, "Compression")."""

from __future__ import annotations

import gzip
import json

from django.conf import settings
from django.urls import reverse

from setka.accounts.services import token_create

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_gzip_sits_above_the_middleware_that_touch_the_body():
    middleware = settings.MIDDLEWARE
    gzip_at = middleware.index("django.middleware.gzip.GZipMiddleware")

    # whitenoise answers static files itself (precompressed), before gzip sees them
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip_at
    assert gzip_at < middleware.index("setka.core.middleware.private_no_store")
    assert gzip_at < middleware.index("csp.middleware.CSPMiddleware")


def test_personal_page_is_gzipped_and_stays_private(client_for, world):
    client = client_for("teacher")
    plain = client.get(reverse("accounts:profile"))

    response = client.get(reverse("accounts:profile"), **GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert {"private", "no-store"} <= _directives(response)
    html = gzip.decompress(response.content).decode()
    assert "<h1>Профиль</h1>" in html
    assert len(response.content) < len(plain.content) / 2


def test_public_page_is_gzipped(client, world):
    response = client.get(reverse("network:directory"), **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Учреждения" in gzip.decompress(response.content).decode()


def test_api_list_is_gzipped_and_private(client, world):
    for name in ["journal app", "timetable export", "diary widget"]:
        _token, raw = token_create(actor=world.users["teacher"], name=name, expires_in_days=None)

    response = client.get("/api/v1/tokens", HTTP_AUTHORIZATION=f"Bearer {raw}", **GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert {"private", "no-store"} <= _directives(response)
    body = json.loads(gzip.decompress(response.content))
    items = body["items"] if isinstance(body, dict) else body
    assert {t["name"] for t in items} == {"journal app", "timetable export", "diary widget"}


def test_answer_is_plain_without_accept_encoding(client, world):
    response = client.get(reverse("network:directory"))

    assert not response.has_header("Content-Encoding")


def test_csrf_token_differs_in_every_compressed_page(client_for, world):
    client = client_for("teacher")

    first = gzip.decompress(client.get(reverse("accounts:profile"), **GZIP).content).decode()
    second = gzip.decompress(client.get(reverse("accounts:profile"), **GZIP).content).decode()

    def token(html: str) -> str:
        return html.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]

    assert token(first) != token(second)


def test_feed_token_page_echoes_no_query(client_for, world):
    """«My events» shows the person's lasting feed token: nothing of the request beside it."""
    response = client_for("teacher").get(reverse("events:my") + "?q=ECHOED-TEXT")

    assert response.status_code == 200
    assert b"ECHOED-TEXT" not in response.content
