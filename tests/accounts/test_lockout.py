"""The sign-in lockout counts failures per account, whatever spelling of the login or e-mail
address was typed, and password-reset requests are throttled per address and per client
address without telling whether an account exists (issue 6, §2)."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


def _login(client, username, password="nope", **extra):  # noqa: S107 - a wrong one
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def test_every_spelling_and_the_email_share_one_counter(client, world):
    for spelling in ("TEACHER", "TeAcHeR", "teacher@example.org", "Teacher@Example.ORG"):
        _login(client, spelling)
    _login(client, " teacher ")  # the fifth failure

    response = _login(client, "teacher", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["teacher"]


def test_the_api_shares_the_counter_of_the_page(client, world):
    for spelling in ("TEACHER", "teacher@example.org", "Teacher", "TEACHER@EXAMPLE.ORG"):
        _login(client, spelling)

    api = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "tEaChEr", "password": "nope", "name": "t"}),
        content_type="application/json",
    )
    locked = _login(client, "teacher@example.org", PASSWORD)

    # the API's failure is the fifth of the account: it locks it
    assert (api.status_code, locked.status_code) == (429, 429)


def test_unknown_logins_are_counted_whatever_their_case(client, world):
    for spelling in ("Nobody", "NOBODY", "nobody", "noBody", "NoBoDy"):
        _login(client, spelling)

    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("nobody", 5)
    ]


def test_other_accounts_are_not_locked(client, world):
    for _ in range(5):
        _login(client, "TEACHER")

    response = _login(client, "DIRECTOR@example.org", PASSWORD)

    assert response.status_code == 302


def test_success_with_another_spelling_resets_the_counter(client, world):
    for _ in range(4):
        _login(client, "Teacher")
    _login(client, "TEACHER@example.org", PASSWORD)
    client.logout()

    for _ in range(4):
        _login(client, "teacher")
    response = _login(client, "teacher", PASSWORD)

    assert response.status_code == 302


# --- password reset requests ---------------------------------------------------------------


def _reset(client, email, ip="127.0.0.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=ip, **RU)


def test_reset_requests_past_the_limit_send_nothing(client, world):
    answers = [_reset(client, "teacher@example.org").status_code for _ in range(5)]

    assert answers == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert "Слишком много запросов" in _reset(client, "teacher@example.org").content.decode()


def test_reset_limit_is_per_address_from_any_client(client, world):
    for _ in range(3):
        _reset(client, "Teacher@Example.org", ip="10.0.0.7")

    response = _reset(client, "teacher@example.org")

    assert response.status_code == 429
    assert len(mail.outbox) == 3


def test_reset_limit_tells_nothing_of_the_account(client, world):
    known = [_reset(client, "teacher@example.org") for _ in range(4)]
    unknown = [_reset(client, "nobody@example.org") for _ in range(4)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert known[-1].context["form"].errors == unknown[-1].context["form"].errors
    assert len(mail.outbox) == 3


@override_settings(PASSWORD_RESET_LIMIT_PER_IP=10)
def test_reset_limit_per_client_address(client, world):
    answers = [_reset(client, f"someone{i}@example.org").status_code for i in range(11)]
    other_client = _reset(client, "someone11@example.org", ip="10.0.0.7")

    assert answers == [302] * 10 + [429]
    assert other_client.status_code == 302
