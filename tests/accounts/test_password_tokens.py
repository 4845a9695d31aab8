"""A password change or reset revokes the account's API tokens unless the user asks to keep
them (issue 6, §2)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from setka.accounts.models import ApiToken
from setka.accounts.services import token_create
from setka.core.models import AuditEntry

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Ne-prosto-2024"


@pytest.fixture
def tokens(world):
    user = world.users["teacher"]
    raws = [token_create(actor=user, name=name)[1] for name in ("script", "tablet")]
    token_create(actor=world.users["director"], name="other")  # someone else's: untouched
    return raws


def _works(client, raw: str) -> bool:
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def _change(client, **extra):
    data = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW, **extra}
    return client.post(reverse("accounts:password_change"), data)


def _reset_form_url(client) -> str:
    client.post(reverse("accounts:password_reset"), {"email": "teacher@example.org"})
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
    page = client.get("/" + link.split("/", 3)[3], follow=True)
    return page.redirect_chain[-1][0]


def test_password_change_revokes_the_tokens_by_default(client_for, world, tokens):
    client = client_for("teacher")

    response = _change(client)

    assert response.status_code == 302
    client.logout()
    assert [_works(client, raw) for raw in tokens] == [False, False]
    assert ApiToken.objects.active().filter(user=world.users["director"]).count() == 1
    assert AuditEntry.objects.filter(action="accounts.token.revoke").count() == 2


def test_password_change_form_offers_to_keep_the_tokens(client_for, tokens):
    page = client_for("teacher").get(reverse("accounts:password_change"))

    field = page.context["form"].fields["keep_tokens"]
    assert field.initial in (None, False)  # revoking is the default
    assert 'name="keep_tokens"' in page.content.decode()


def test_password_change_keeps_the_tokens_when_asked(client_for, tokens):
    client = client_for("teacher")

    _change(client, keep_tokens="on")

    client.logout()
    assert [_works(client, raw) for raw in tokens] == [True, True]


def test_password_change_without_tokens_does_not_offer_it(client_for):
    page = client_for("teacher").get(reverse("accounts:password_change"))

    assert "keep_tokens" not in page.context["form"].fields


def test_password_reset_revokes_the_tokens_by_default(client, world, tokens):
    url = _reset_form_url(client)

    response = client.post(url, {"new_password1": NEW, "new_password2": NEW})

    assert response.status_code == 302
    assert [_works(client, raw) for raw in tokens] == [False, False]
    world.users["teacher"].refresh_from_db()
    assert world.users["teacher"].check_password(NEW)


def test_password_reset_keeps_the_tokens_when_asked(client, tokens):
    url = _reset_form_url(client)
    page = client.get(url)

    client.post(url, {"new_password1": NEW, "new_password2": NEW, "keep_tokens": "on"})

    assert "keep_tokens" in page.context["form"].fields
    assert [_works(client, raw) for raw in tokens] == [True, True]


def test_failed_password_change_revokes_nothing(client_for, tokens):
    client = client_for("teacher")

    response = _change(client, old_password="wrong")

    assert response.status_code == 200
    client.logout()
    assert [_works(client, raw) for raw in tokens] == [True, True]
