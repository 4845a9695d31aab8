"""The registry pages: the list of all institutions, creating and editing them (contacts only
for an institution's own administrator), and the municipal roles."""

import datetime as dt

import pytest
from django.urls import reverse

from setka.core.models import AuditEntry
from setka.network.models import Institution, InstitutionKind, MunicipalRole, today

from .. import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("network:manage_institutions")
CREATE = reverse("network:institution_create")
ROLES = reverse("network:municipal_roles")
ALL_BUT_MANAGERS = [
    "director",
    "teacher",
    "student",
    "parent",
    "partner",
    "other_teacher",
    "other_parent",
]


def _edit(slug: str) -> str:
    return reverse("network:institution_edit", args=[slug])


def _institution_post(**overrides) -> dict:
    data = {
        "kind": InstitutionKind.GYMNASIUM,
        "full_name": "Муниципальное бюджетное общеобразовательное учреждение «Гимназия № 1»",
        "short_name": "Гимназия № 1",
        "slug": "",
        "address": "г. Шелехов, 4-й микрорайон, 1",
        "phones": "+7 (39550) 4-00-01",
        "email": "gym1@example.org",
        "website": "https://gym1.example.org",
        "head_name": "Петрова Анна Ивановна",
        "head_position": "Директор",
        "working_hours": "Пн–Пт 8:00–17:00",
        "founded_on": "1985-09-01",
        "description": "Гимназия с углублённым изучением языков.",
        "is_active": "on",
        "is_resource_centre": "on",
    }
    data.update(overrides)
    return data


# --- permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, CREATE, ROLES])
def test_registry_pages_redirect_anonymous_to_login(client_for, url):
    response = client_for("anonymous").get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["admin", "metodist"])
@pytest.mark.parametrize("url", [LIST, CREATE])
def test_registry_pages_open_for_registry_managers(client_for, role, url):
    assert client_for(role).get(url).status_code == 200


@pytest.mark.parametrize("role", ALL_BUT_MANAGERS)
@pytest.mark.parametrize("url", [LIST, CREATE])
def test_registry_pages_forbidden_for_others(client_for, role, url):
    assert client_for(role).get(url).status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("metodist", 200),
        ("director", 200),
        ("teacher", 404),
        ("student", 404),
        ("parent", 404),
        ("partner", 404),
        ("other_teacher", 404),
        ("other_parent", 404),
    ],
)
def test_institution_edit_permission_matrix(client_for, role, status):
    assert client_for(role).get(_edit("school-3")).status_code == status


def test_institution_edit_anonymous_redirects(client_for):
    assert client_for("anonymous").get(_edit("school-3")).status_code == 302


def test_institution_edit_of_another_school_is_404_for_director(client_for):
    assert client_for("director").get(_edit("school-5")).status_code == 404


def test_institution_edit_missing_is_404(client_for):
    assert client_for("admin").get(_edit("no-such-school")).status_code == 404


def test_institution_edit_of_another_municipality_is_404_for_registry_managers(client_for):
    elsewhere = f.MunicipalityFactory(slug="angarsk", name="Ангарский округ")
    f.InstitutionFactory(municipality=elsewhere, slug="angarsk-1")

    assert client_for("admin").get(_edit("angarsk-1")).status_code == 404
    assert client_for("metodist").get(_edit("angarsk-1")).status_code == 404


# --- the list -------------------------------------------------------------------------------


def test_registry_list_shows_inactive_institutions_too(client_for, world):
    world.other_school.is_active = False
    world.other_school.save()

    response = client_for("admin").get(LIST)

    names = [i.short_name for i, _counts in response.context["rows"]]
    assert names == ["ДДТ", "ИМЦ", "Школа № 3", "Школа № 5"]


def test_registry_list_filters_by_state_kind_and_search(client_for, world):
    world.other_school.is_active = False
    world.other_school.address = "г. Шелехов, ул. Ленина, д. 1"  # no stray "3" in it
    world.other_school.save()
    client = client_for("metodist")

    inactive = client.get(LIST, {"state": "inactive"}).context["rows"]
    by_kind = client.get(LIST, {"kind": InstitutionKind.ADDITIONAL_EDUCATION}).context["rows"]
    found = client.get(LIST, {"q": "№ 3"}).context["rows"]

    assert [i.short_name for i, _c in inactive] == ["Школа № 5"]
    assert [i.short_name for i, _c in by_kind] == ["ДДТ"]
    assert [i.short_name for i, _c in found] == ["Школа № 3"]


def test_registry_list_counts_teachers_and_students(client_for, world):
    response = client_for("admin").get(LIST)

    counts = {i.slug: c for i, c in response.context["rows"]}
    assert counts["school-3"] == {"admin": 1, "teacher": 1, "student": 1}
    assert counts["ddt"] == {"teacher": 1}


def test_registry_list_hides_other_municipalities(client_for, world):
    elsewhere = f.MunicipalityFactory(slug="angarsk", name="Ангарский округ")
    f.InstitutionFactory(municipality=elsewhere, short_name="Чужая школа")

    response = client_for("admin").get(LIST)

    assert "Чужая школа" not in [i.short_name for i, _c in response.context["rows"]]


@pytest.mark.parametrize("extra", [0, 30])
def test_registry_list_query_budget(client_for, django_assert_num_queries, world, extra):
    for _ in range(extra):
        inst = f.InstitutionFactory(municipality=world.municipality)
        f.MembershipFactory(institution=inst, person__municipality=world.municipality)
    client = client_for("admin")

    # session, user, roles, the user's person (header), institutions, counts
    with django_assert_num_queries(6):
        response = client.get(LIST)

    assert response.status_code == 200


# --- create ---------------------------------------------------------------------------------


def test_institution_create_makes_slug_and_audits(client_for, world):
    response = client_for("metodist").post(CREATE, _institution_post())

    institution = Institution.objects.get(short_name="Гимназия № 1")
    assert response.status_code == 302
    assert response["Location"] == institution.get_absolute_url()
    assert institution.slug == "gimnaziya-n-1"
    assert institution.municipality == world.municipality
    assert institution.kind == InstitutionKind.GYMNASIUM
    assert institution.founded_on == dt.date(1985, 9, 1)
    assert institution.is_resource_centre is True
    entry = AuditEntry.objects.get(action="network.institution.create")
    assert entry.object_id == institution.pk
    assert entry.actor == world.users["metodist"]


def test_institution_create_with_bad_input_writes_nothing(client_for):
    before = Institution.objects.count()

    response = client_for("admin").post(
        CREATE, _institution_post(full_name="", email="not-an-email", latitude="123")
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"full_name", "email"}
    assert Institution.objects.count() == before
    assert not AuditEntry.objects.filter(action="network.institution.create").exists()


def test_institution_create_with_taken_slug_shows_error(client_for):
    response = client_for("admin").post(CREATE, _institution_post(slug="school-3"))

    assert response.status_code == 400
    assert "slug" in response.context["form"].errors
    assert not Institution.objects.filter(short_name="Гимназия № 1").exists()


def test_institution_create_forbidden_post_writes_nothing(client_for):
    response = client_for("director").post(CREATE, _institution_post())

    assert response.status_code == 403
    assert not Institution.objects.filter(short_name="Гимназия № 1").exists()


# --- edit -----------------------------------------------------------------------------------


def _edit_post(institution: Institution, **overrides) -> dict:
    data = {
        "kind": institution.kind,
        "full_name": institution.full_name,
        "short_name": institution.short_name,
        "slug": institution.slug,
        "address": institution.address,
        "phones": institution.phones,
        "email": institution.email,
        "is_active": "on" if institution.is_active else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_institution_edit_full_changes_kind_and_audits(client_for, world):
    response = client_for("admin").post(
        _edit("school-3"), _edit_post(world.school, kind=InstitutionKind.LYCEUM)
    )

    world.school.refresh_from_db()
    assert response.status_code == 302
    assert world.school.kind == InstitutionKind.LYCEUM
    entry = AuditEntry.objects.get(action="network.institution.update")
    assert entry.changes == {"kind": [InstitutionKind.SCHOOL, InstitutionKind.LYCEUM]}


def test_institution_deactivation_keeps_the_record(client_for, world):
    data = _edit_post(world.other_school)
    del data["is_active"]

    response = client_for("metodist").post(_edit("school-5"), data)

    world.other_school.refresh_from_db()
    assert response.status_code == 302
    assert world.other_school.is_active is False
    assert world.other_school.memberships.count() == 2
    directory = client_for("anonymous").get(reverse("network:directory"))
    assert "Школа № 5" not in directory.content.decode()


def test_institution_edit_by_director_offers_only_contacts(client_for):
    response = client_for("director").get(_edit("school-3"))

    fields = set(response.context["form"].fields)
    assert "kind" not in fields
    assert "is_active" not in fields
    assert {"phones", "email", "address", "head_name", "description"} <= fields


def test_institution_edit_by_director_ignores_sneaked_kind(client_for, world):
    response = client_for("director").post(
        _edit("school-3"),
        {
            "kind": InstitutionKind.UNIVERSITY,
            "short_name": "Университет",
            "is_active": "",
            "address": world.school.address,
            "phones": "+7 (39550) 5-55-55",
            "email": "school3@example.org",
        },
    )

    world.school.refresh_from_db()
    assert response.status_code == 302
    assert world.school.kind == InstitutionKind.SCHOOL
    assert world.school.short_name == "Школа № 3"
    assert world.school.is_active is True
    assert world.school.phones == "+7 (39550) 5-55-55"
    entry = AuditEntry.objects.get(action="network.institution.update")
    assert set(entry.changes) == {"phones", "email"}


def test_institution_edit_invalid_keeps_data_and_writes_nothing(client_for, world):
    response = client_for("director").post(_edit("school-3"), {"email": "nope", "website": "x"})

    world.school.refresh_from_db()
    assert response.status_code == 400
    assert world.school.email != "nope"
    assert not AuditEntry.objects.filter(action="network.institution.update").exists()


def test_institution_edit_taken_slug_shows_error(client_for, world):
    response = client_for("admin").post(
        _edit("school-3"), _edit_post(world.school, slug="school-5")
    )

    assert response.status_code == 400
    assert "slug" in response.context["form"].errors
    world.school.refresh_from_db()
    assert world.school.slug == "school-3"


# --- municipal roles ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("metodist", 403), ("director", 403), ("teacher", 403), ("parent", 403)],
)
def test_municipal_roles_page_permissions(client_for, role, status):
    assert client_for(role).get(ROLES).status_code == status


def test_municipal_roles_search_offers_found_people(client_for, world):
    response = client_for("admin").get(ROLES, {"q": "учителева"})

    assert response.context["found"] == [world.people["teacher"]]
    assert list(response.context["form"].fields["person"].queryset) == [world.people["teacher"]]


def test_municipal_role_assign_writes_role_and_audit(client_for, world):
    teacher = world.people["teacher"]

    response = client_for("admin").post(
        ROLES, {"q": "Учителева", "person": teacher.pk, "role": "methodologist", "position": "ИМЦ"}
    )

    assert response.status_code == 302
    role = MunicipalRole.objects.get(person=teacher)
    assert role.role == MunicipalRole.Role.METHODOLOGIST
    assert role.starts_on == today()
    assert AuditEntry.objects.filter(
        action="network.municipal_role.assign", object_id=role.pk
    ).exists()


def test_municipal_role_assign_twice_is_an_error(client_for, world):
    response = client_for("admin").post(
        ROLES, {"q": "Методистова", "person": world.people["metodist"].pk, "role": "methodologist"}
    )

    assert response.status_code == 400
    assert MunicipalRole.objects.filter(person=world.people["metodist"]).count() == 1


def test_municipal_role_assign_person_of_another_municipality_is_refused(client_for, world):
    stranger = f.PersonFactory(municipality=f.MunicipalityFactory(slug="angarsk"))

    response = client_for("admin").post(ROLES, {"person": stranger.pk, "role": "admin"})

    assert response.status_code == 400
    assert not MunicipalRole.objects.filter(person=stranger).exists()


def test_municipal_role_end_by_admin(client_for, world):
    role = MunicipalRole.objects.get(person=world.people["metodist"])

    response = client_for("admin").post(reverse("network:municipal_role_end", args=[role.pk]))

    role.refresh_from_db()
    assert response.status_code == 302
    assert role.ends_on == today()
    assert AuditEntry.objects.filter(action="network.municipal_role.end").count() == 1


def test_municipal_role_end_own_admin_role_is_refused(client_for, world):
    role = MunicipalRole.objects.get(person=world.people["admin"])

    client_for("admin").post(reverse("network:municipal_role_end", args=[role.pk]))

    role.refresh_from_db()
    assert role.ends_on is None


@pytest.mark.parametrize("role_name", ["metodist", "director", "teacher"])
def test_municipal_role_end_by_others_is_404(client_for, world, role_name):
    role = MunicipalRole.objects.get(person=world.people["admin"])

    response = client_for(role_name).post(reverse("network:municipal_role_end", args=[role.pk]))

    role.refresh_from_db()
    assert response.status_code == 404
    assert role.ends_on is None


def test_municipal_role_end_needs_post(client_for, world):
    role = MunicipalRole.objects.get(person=world.people["metodist"])

    response = client_for("admin").get(reverse("network:municipal_role_end", args=[role.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize("extra", [0, 30])
def test_municipal_roles_query_budget(client_for, django_assert_num_queries, world, extra):
    for _ in range(extra):
        f.MunicipalRoleFactory(
            person=f.PersonFactory(municipality=world.municipality, with_user=True),
            ends_on=dt.date(2021, 1, 1),
        )
    client = client_for("admin")

    # session, user, roles, the user's person (header), municipal roles
    with django_assert_num_queries(5):
        response = client.get(ROLES)

    assert response.status_code == 200


def test_institution_create_asks_the_municipality_of_a_two_municipality_admin(client_for, world):
    other = f.MunicipalityFactory(slug="angarsk", name="Ангарский округ")
    f.MunicipalRoleFactory(
        person=world.people["admin"], municipality=other, role=MunicipalRole.Role.MUNICIPAL_ADMIN
    )
    client = client_for("admin")

    form = client.get(CREATE).context["form"]
    response = client.post(CREATE, _institution_post(municipality=str(other.pk)))

    assert "municipality" in form.fields
    assert response.status_code == 302
    assert Institution.objects.get(short_name="Гимназия № 1").municipality == other
