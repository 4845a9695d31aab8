"""The top menu: each role reaches its own tools from every page, and every entry opens."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from setka.journal.models import AcademicYear
from setka.network.models import Membership

from .. import factories as f
from ..clock import d

ROLES = ["anonymous", "admin", "metodist", "director", "teacher", "student", "parent", "partner"]

# What each role must find in its menu (the Russian labels it reads).
MUST_HAVE = {
    "director": {"Журнал", "Отчёты", "Люди", "Расписание", "Структура", "Готовность", "Ресурсы"},
    "metodist": {"Отчёты", "Реестр", "Расписания", "Готовность"},
    "admin": {"Отчёты", "Реестр", "Структура", "Муниципальные роли"},
    "teacher": {"Журнал", "Готовность", "Ресурсы"},
    "student": {"Дневник", "Заявки"},
    "parent": {"Дневник", "Заявки"},
    "partner": {"Журнал"},
    "anonymous": {"Мероприятия", "Курсы", "Учреждения"},
}
NEVER = {
    "student": {"Журнал", "Отчёты", "Люди", "Структура", "Реестр"},
    "parent": {"Журнал", "Отчёты", "Люди", "Структура", "Реестр"},
    "teacher": {"Отчёты", "Люди", "Структура", "Реестр"},
    "metodist": {"Структура", "Муниципальные роли", "Журнал"},
}

MENU = re.compile(r'<ul class="align-end">(.*?)</ul>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')


def _menu(html: str) -> list[tuple[str, str]]:
    """The phone's «Menu» holds every entry of the page's menu."""
    blocks = MENU.findall(html)
    return LINK.findall(blocks[-1])


@pytest.mark.parametrize("role", ROLES)
def test_menu_entries_open_for_their_role(client_for, role):
    client = client_for(role)
    entries = _menu(client.get(reverse("network:directory")).content.decode())
    labels = {label for _url, label in entries}

    assert MUST_HAVE[role] <= labels
    assert not (NEVER.get(role, set()) & labels)
    for url, label in entries:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (role, label, url)


def test_menu_marks_the_current_page(client_for):
    html = client_for("director").get(reverse("journal:report_index")).content.decode()

    assert '<a href="/journal/reports/" aria-current="page">Отчёты</a>' in html


def test_menu_people_and_timetable_go_to_the_directors_institution(client_for, world):
    client = client_for("director")

    people = client.get(reverse("go", args=["people"]))
    timetable = client.get(reverse("go", args=["timetable"]))

    assert people.url == reverse("network:people", args=[world.school.slug])
    assert timetable.url == reverse("journal:structure_years", args=[world.school.slug])


def test_menu_timetable_opens_the_day_of_the_current_year(client_for, world):
    year = AcademicYear.objects.create(
        institution=world.school, name="2026/2027", starts_on=d(2026, 9, 1), ends_on=d(2027, 5, 31)
    )

    response = client_for("director").get(reverse("go", args=["timetable"]))

    assert response.url == reverse("journal:structure_day", args=[year.pk])


def test_menu_lists_the_institutions_of_an_admin_of_several(client_for, world):
    director = world.people["director"]
    f.MembershipFactory(
        person=director, institution=world.ddt, role=Membership.Role.INSTITUTION_ADMIN
    )

    response = client_for("director").get(reverse("go", args=["people"]))

    assert response.status_code == 200
    assert [i.short_name for i, _url in response.context["links"]] == ["ДДТ", "Школа № 3"]


@pytest.mark.parametrize("role", ["teacher", "student", "metodist"])
def test_menu_institution_tools_are_404_without_an_institution(client_for, role):
    assert client_for(role).get(reverse("go", args=["people"])).status_code == 404


def test_menu_unknown_tool_is_404(client_for):
    assert client_for("director").get("/go/nothing/").status_code == 404


ASSIGN = "назначит вам"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", "Журналы ведут учителя школ"),
        ("metodist", "Журналы ведут учителя школ"),
        ("student", "Открыть дневник"),
        ("parent", "Открыть дневник"),
        ("teacher", ASSIGN),
        ("partner", ASSIGN),
    ],
)
def test_journal_landing_speaks_to_the_role(client_for, role, expected):
    html = client_for(role).get(reverse("journal:index")).content.decode()

    assert expected in html
    if expected != ASSIGN:
        assert ASSIGN not in html


def test_journal_landing_of_a_director_without_classes_leads_to_the_structure(client_for, world):
    html = client_for("director").get(reverse("journal:index")).content.decode()

    assert ASSIGN not in html
    assert reverse("journal:structure_years", args=[world.school.slug]) in html


@pytest.mark.parametrize("role", ["student", "parent"])
def test_profile_folds_api_tokens_for_whoever_has_none(client_for, role):
    html = client_for(role).get(reverse("accounts:profile")).content.decode()

    assert '<details class="tokens" id="tokens">' in html
    assert "Токены API" in html


def test_profile_opens_api_tokens_of_whoever_has_some(client_for, world):
    from setka.accounts import services

    services.token_create(actor=world.users["teacher"], name="script", expires_in_days=None)

    html = client_for("teacher").get(reverse("accounts:profile")).content.decode()

    assert '<details class="tokens" id="tokens" open>' in html


@pytest.mark.parametrize("role", ["student", "parent"])
def test_home_does_not_offer_api_tokens(client_for, role):
    html = client_for(role).get(reverse("home")).content.decode()

    assert "Мой профиль и пароль" in html
    assert "API" not in html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
