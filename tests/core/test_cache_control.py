"""Pages and files with personal data say ``Cache-Control: private, no-store`` (no shared cache
keeps them, no browser stores them on disk); public pages for anonymous visitors may be cached."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.accounts.services import token_create

from ..clock import iso
from ..journal.conftest import jw  # noqa: F401 - the journal's school year

PRIVATE = {"private", "no-store"}


def directives(response) -> set[str]:
    return {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",") if d}


def _assert_private(response) -> None:
    assert response.status_code == 200, response.content[:300]
    assert directives(response) >= PRIVATE
    assert "public" not in directives(response)


def test_diary_page_is_private(client_for, jw):
    response = client_for("parent").get(reverse("journal:diary") + f"?week={iso(2026, 11, 23)}")

    _assert_private(response)


def test_profile_page_is_private(client_for, world):
    response = client_for("teacher").get(reverse("accounts:profile"))

    _assert_private(response)


def test_new_token_page_is_private(client_for, world):
    response = client_for("teacher").post(
        reverse("accounts:token_create"), {"name": "export", "expires_in_days": 30}
    )

    _assert_private(response)


def test_diary_api_with_a_token_is_private(client, world, jw):
    _token, raw = token_create(actor=world.users["parent"], name="phone")

    response = client.get(
        f"/api/v1/journal/students/{world.people['student'].pk}/diary",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )

    _assert_private(response)


def test_diary_api_with_the_session_is_private(client_for, world, jw):
    response = client_for("student").get(
        f"/api/v1/journal/students/{world.people['student'].pk}/diary"
    )

    _assert_private(response)


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_journal_export_files_are_private(client_for, jw, fmt):
    url = reverse(
        f"journal:export_journal_{fmt}",
        kwargs={"group_id": jw.klass.pk, "period_id": jw.q2.pk},
    )

    response = client_for("teacher").get(url)

    _assert_private(response)
    assert response["Content-Disposition"].startswith("attachment")


def test_public_page_for_a_signed_in_user_is_private(client_for, world):
    """The page carries the user's name and menu."""
    response = client_for("teacher").get(reverse("network:directory"))

    _assert_private(response)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/institutions/", id="directory"),
        pytest.param("/institutions/school-3/", id="institution"),
        pytest.param("/api/v1/institutions", id="api-registry"),
    ],
)
def test_public_pages_for_anonymous_visitors_stay_cacheable(client, world, url):
    response = client.get(url)

    assert response.status_code == 200
    assert not directives(response) & PRIVATE
