import pytest
from django.urls import reverse

from setka.accounts.models import ApiToken
from setka.accounts.services import token_authenticate, token_create
from setka.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_profile_requires_sign_in(client, world):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_profile_shows_roles_and_children(client_for, world):
    response = client_for("parent").get(reverse("accounts:profile"))

    assert response.status_code == 200
    assert [g.student for g in response.context["children"]] == [world.people["student"]]


def test_token_create_shows_token_once_and_stores_only_hash(client_for, world):
    client = client_for("teacher")

    response = client.post(
        reverse("accounts:token_create"), {"name": "export", "expires_in_days": 30}
    )

    raw = response.context["new_token"]
    token = ApiToken.objects.get(user=world.users["teacher"])
    assert raw.startswith("stk_")
    assert raw not in token.key_hash
    assert response["Cache-Control"] == "private, no-store"
    assert token_authenticate(raw) == world.users["teacher"]
    assert raw not in client.get(reverse("accounts:profile")).content.decode()
    assert AuditEntry.objects.filter(action="accounts.token.create", object_id=token.pk).exists()


def test_token_create_without_name_is_400_and_writes_nothing(client_for, world):
    response = client_for("teacher").post(
        reverse("accounts:token_create"), {"name": "", "expires_in_days": 30}
    )

    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_token_revoke_stops_the_token(client_for, world):
    token, raw = token_create(actor=world.users["teacher"], name="script")

    response = client_for("teacher").post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert token_authenticate(raw) is None


def test_token_of_another_user_cannot_be_revoked(client_for, world):
    token, raw = token_create(actor=world.users["teacher"], name="script")

    response = client_for("other_teacher").post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert token_authenticate(raw) == world.users["teacher"]


def test_expired_token_does_not_authenticate(world):
    token, raw = token_create(actor=world.users["teacher"], name="old", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at="2000-01-01T00:00:00Z")

    assert token_authenticate(raw) is None


@pytest.mark.parametrize("raw", ["", "stk_", "nope", "stk_" + "x" * 200])
def test_garbage_token_does_not_authenticate(world, raw):
    assert token_authenticate(raw) is None
