import os
import subprocess
import sys

import pytest
from django.conf import settings

from setka.config import settings as project_settings

pytestmark = pytest.mark.django_db


def test_argon2_is_the_password_hasher_of_the_project():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SETKA_TESTING", "DEBUG"}}
    env["SETKA_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "import setka.config.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_pages_send_csp_and_security_headers(client, world):
    response = client.get("/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_sessions_are_http_only():
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [("", "backends.db"), ("redis://127.0.0.1:6379/0", "backends.cached_db")],
)
def test_sessions_are_read_through_redis_when_there_is_one(tmp_path, redis_url, engine):
    env = {**os.environ, "SETKA_VAR_DIR": str(tmp_path), "REDIS_URL": redis_url}
    result = subprocess.run(
        [sys.executable, "-c", "from setka.config import settings; print(settings.SESSION_ENGINE)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == f"django.contrib.sessions.{engine}"


def test_healthz_answers_ok(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_unknown_page_is_a_designed_404(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_language_switch_to_english(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/institutions/"}, follow=True
    )

    assert response.status_code == 200
    assert "Institutions of the network" in response.content.decode()


def test_pages_have_landmarks_and_skip_link(client, world):
    html = client.get("/institutions/").content.decode()

    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<nav" in html
    assert '<html lang="ru">' in html
