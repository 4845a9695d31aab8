import pytest
from django.urls import reverse

from setka.network.models import InstitutionKind

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_directory_lists_institutions_grouped_by_kind(client, world):
    response = client.get(reverse("network:directory"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Школа № 3" in html
    assert "ДДТ" in html
    assert html.index("Общеобразовательные") < html.index("Дополнительное")


def test_directory_search_filters_by_name(client, world):
    response = client.get(reverse("network:directory"), {"q": "ДДТ"})

    names = [i.short_name for _, items in response.context["groups"] for i in items]
    assert names == ["ДДТ"]


def test_directory_filters_by_kind_and_resource_centre(client, world):
    by_kind = client.get(
        reverse("network:directory"), {"kind": InstitutionKind.METHODOLOGICAL_CENTRE}
    )
    resource = client.get(reverse("network:directory"), {"resource": "1"})

    assert [i.short_name for _, items in by_kind.context["groups"] for i in items] == ["ИМЦ"]
    assert [i.short_name for _, items in resource.context["groups"] for i in items] == ["ДДТ"]


def test_directory_ignores_unknown_kind(client, world):
    response = client.get(reverse("network:directory"), {"kind": "<script>"})

    assert response.status_code == 200
    assert response.context["total"] == 4


def test_directory_hides_inactive_institutions(client, world):
    world.other_school.is_active = False
    world.other_school.save()

    response = client.get(reverse("network:directory"))

    assert "Школа № 5" not in response.content.decode()


@pytest.mark.parametrize("extra", [0, 30])
def test_directory_query_budget(client, django_assert_num_queries, world, extra):
    for _ in range(extra):
        f.InstitutionFactory(municipality=world.municipality)

    with django_assert_num_queries(1):  # anonymous: no session or roles, one list query
        client.get(reverse("network:directory"))


def test_institution_page_shows_contacts_and_badge(client, world):
    response = client.get(reverse("network:institution", args=["ddt"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ресурсный центр" in html
    assert world.ddt.email in html


def test_institution_page_unknown_slug_is_404(client, world):
    response = client.get(reverse("network:institution", args=["nope"]))

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_directory_search_ignores_case_in_cyrillic(client, world):
    response = client.get(reverse("network:directory"), {"q": "школа № 3"})

    names = [i.short_name for _, items in response.context["groups"] for i in items]
    assert names == ["Школа № 3"]


@pytest.mark.parametrize("q", ["школа № 3", "Школа №3", "3"])
def test_directory_search_by_number_matches_the_whole_number_in_names(client, world, q):
    world.other_school.address = "г. Шелехов, ул. Ленина, д. 3"
    world.other_school.save()
    f.InstitutionFactory(
        municipality=world.municipality, short_name="Школа № 13", full_name="МБОУ «СОШ № 13»"
    )

    response = client.get(reverse("network:directory"), {"q": q})

    names = [i.short_name for _, items in response.context["groups"] for i in items]
    assert names == ["Школа № 3"]
