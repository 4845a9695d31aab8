"""The registry of institutions: list, detail, create, change."""

from __future__ import annotations

import pytest

from setka.core.models import AuditEntry
from setka.network.models import Institution, InstitutionKind
from tests import factories as f
from tests.conftest import ROLES

from .conftest import assert_problem, error_fields, table_counts

REGISTRY_MANAGERS = {"admin", "metodist"}


# --- list ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_institution_list_is_public(api, world, role):
    response = api.as_(role).get("/institutions")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [i["short_name"] for i in body["items"]] == ["ДДТ", "ИМЦ", "Школа № 3", "Школа № 5"]
    assert body["items"][0]["kind"] == "ddt"
    assert body["items"][0]["url"] == "/institutions/ddt/"


def test_institution_list_hides_closed(api, world):
    world.other_school.is_active = False
    world.other_school.save()

    body = api.as_("admin").get("/institutions").json()

    assert world.other_school.pk not in [i["id"] for i in body["items"]]


def test_institution_list_filters(api, world):
    world.other_school.address = "ул. Лесная, 7"
    world.other_school.save()
    api.as_("anonymous")

    by_kind = api.get("/institutions?kind=ddt").json()
    by_q = api.get("/institutions?q=Лесная").json()
    centres = api.get("/institutions?resource_centre=true").json()
    not_centres = api.get("/institutions?resource_centre=false").json()

    assert [i["id"] for i in by_kind["items"]] == [world.ddt.pk]
    assert [i["id"] for i in by_q["items"]] == [world.other_school.pk]
    assert [i["id"] for i in centres["items"]] == [world.ddt.pk]
    assert world.ddt.pk not in [i["id"] for i in not_centres["items"]]


def test_institution_list_pages(api, world):
    api.as_("anonymous")

    first = api.get("/institutions?page_size=3").json()
    second = api.get("/institutions?page_size=3&page=2").json()
    beyond = api.get("/institutions?page_size=3&page=9").json()

    assert (first["count"], len(first["items"])) == (4, 3)
    assert [i["short_name"] for i in second["items"]] == ["Школа № 5"]
    assert beyond == {"items": [], "count": 4}


@pytest.mark.parametrize(
    "query",
    [
        "kind=castle",
        "page=0",
        "page=abc",
        "page_size=201",
        "page_size=0",
        "resource_centre=maybe",
        "q=" + "я" * 201,
        "q=a%00b",
        "page=" + "9" * 30,
    ],
)
def test_institution_list_bad_query_is_422(api, world, query):
    assert_problem(api.as_("anonymous").get(f"/institutions?{query}"), 422)


@pytest.mark.parametrize("n", [1, 30])
def test_institution_list_query_budget(api, world, django_assert_num_queries, n):
    f.InstitutionFactory.create_batch(n, municipality=world.municipality)
    api.as_("anonymous")

    with django_assert_num_queries(2):  # count, page
        response = api.get("/institutions?page_size=200")

    assert response.json()["count"] == 4 + n


@pytest.mark.parametrize("n", [1, 30])
def test_institution_list_query_budget_signed_in(api, world, django_assert_num_queries, n):
    f.InstitutionFactory.create_batch(n, municipality=world.municipality)
    api.as_("teacher")

    with django_assert_num_queries(4):  # session, user, count, page
        response = api.get("/institutions?page_size=200")

    assert len(response.json()["items"]) == 4 + n


# --- detail -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_institution_detail_is_public(api, world, role):
    response = api.as_(role).get(f"/institutions/{world.school.pk}")

    assert response.status_code == 200
    assert response.json()["short_name"] == "Школа № 3"
    assert response.json()["kind_display"] == "general school"


@pytest.mark.parametrize("role", ROLES)
def test_institution_detail_closed_only_for_registry_managers(api, world, role):
    world.other_school.is_active = False
    world.other_school.save()

    response = api.as_(role).get(f"/institutions/{world.other_school.pk}")

    if role in REGISTRY_MANAGERS:
        assert response.status_code == 200
        assert response.json()["is_active"] is False
    else:
        assert_problem(response, 404)


def test_institution_detail_missing_is_404(api, world):
    assert_problem(api.as_("anonymous").get("/institutions/999999"), 404)


# --- create -------------------------------------------------------------------------------

NEW = {
    "kind": "museum",
    "full_name": "Муниципальное учреждение культуры «Краеведческий музей»",
    "short_name": "Краеведческий музей",
    "address": "ул. Ленина, 1",
    "latitude": 52.2134,
    "longitude": 104.1,
    "email": "museum@example.org",
    "founded_on": "1965-05-09",
    "is_resource_centre": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_institution_create_permissions(api, world, role):
    before = Institution.objects.count()

    response = api.as_(role).post("/institutions", NEW)

    if role == "anonymous":
        assert_problem(response, 401)
    elif role in REGISTRY_MANAGERS:
        assert response.status_code == 201, response.content
    else:
        assert_problem(response, 403)
    assert Institution.objects.count() == before + (role in REGISTRY_MANAGERS)


def test_institution_create_saves_and_audits(api, world):
    response = api.as_("metodist").post("/institutions", NEW)

    body = response.json()
    institution = Institution.objects.get(pk=body["id"])
    assert institution.municipality == world.municipality
    assert institution.kind == InstitutionKind.MUSEUM
    assert institution.slug == body["slug"] == "kraevedcheskij-muzej"
    assert str(institution.latitude) == "52.213400"
    assert body["latitude"] == 52.2134
    assert institution.is_resource_centre
    entry = AuditEntry.objects.get(action="network.institution.create", object_id=institution.pk)
    assert entry.actor == world.users["metodist"]


def test_institution_create_duplicate_slug_is_422(api, world):
    response = api.as_("admin").post("/institutions", {**NEW, "slug": "school-3"})

    assert_problem(response, 422)
    assert error_fields(response) == {"slug"}


def test_institution_create_bad_email_is_422_with_message(api, world):
    before = table_counts()

    response = api.as_("admin").post("/institutions", {**NEW, "email": "not an address"})

    body = assert_problem(response, 422)
    assert body["errors"] == [
        {"field": "email", "message": "Enter a valid email address.", "code": "invalid"}
    ]
    assert table_counts() == before


# --- change -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_institution_update_contacts_permissions(api, world, role):
    response = api.as_(role).patch(f"/institutions/{world.school.pk}", {"phones": "+7 111"})

    world.school.refresh_from_db()
    if role == "anonymous":
        assert_problem(response, 401)
    elif role in REGISTRY_MANAGERS | {"director"}:
        assert response.status_code == 200
        assert world.school.phones == "+7 111"
    else:
        assert_problem(response, 403)
        assert world.school.phones != "+7 111"


@pytest.mark.parametrize("role", ROLES)
def test_institution_update_name_permissions(api, world, role):
    response = api.as_(role).patch(f"/institutions/{world.school.pk}", {"short_name": "Лицей"})

    world.school.refresh_from_db()
    if role == "anonymous":
        assert_problem(response, 401)
    elif role in REGISTRY_MANAGERS:
        assert response.status_code == 200
        assert world.school.short_name == "Лицей"
    else:
        assert_problem(response, 403)
        assert world.school.short_name == "Школа № 3"


def test_institution_update_director_other_fields_names_them(api, world):
    before = table_counts()

    response = api.as_("director").patch(
        f"/institutions/{world.school.pk}",
        {"phones": "+7 222", "kind": "lyceum", "is_resource_centre": True},
    )

    body = assert_problem(response, 403)
    assert error_fields(response) == {"kind", "is_resource_centre"}
    assert {e["code"] for e in body["errors"]} == {"forbidden"}
    world.school.refresh_from_db()
    assert world.school.phones != "+7 222"  # nothing of the request is applied
    assert table_counts() == before


def test_institution_update_director_of_other_school_is_403(api, world):
    response = api.as_("director").patch(f"/institutions/{world.other_school.pk}", {"phones": "1"})

    assert_problem(response, 403)


def test_institution_update_audits_changes_only(api, world):
    api.as_("admin").patch(
        f"/institutions/{world.school.pk}",
        {"website": "https://school3.example.org", "short_name": "Школа № 3"},
    )

    entry = AuditEntry.objects.get(action="network.institution.update", object_id=world.school.pk)
    assert entry.changes == {"website": ["", "https://school3.example.org"]}


def test_institution_update_null_clears_optional_text(api, world):
    response = api.as_("admin").patch(
        f"/institutions/{world.school.pk}", {"address": None, "latitude": None}
    )

    assert response.status_code == 200
    world.school.refresh_from_db()
    assert world.school.address == ""


def test_institution_update_null_required_is_422(api, world):
    response = api.as_("admin").patch(f"/institutions/{world.school.pk}", {"short_name": None})

    assert_problem(response, 422)
    assert error_fields(response) == {"short_name"}


def test_institution_update_closed_for_director_is_404(api, world):
    world.school.is_active = False
    world.school.save()

    response = api.as_("director").patch(f"/institutions/{world.school.pk}", {"phones": "1"})

    assert_problem(response, 404)
