"""Sign-in as each role and the home page each sees; public pages pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD
from .conftest import assert_accessible, sign_in

HOME_HEADINGS = {
    "admin": "Муниципальное управление",
    "metodist": "Методический центр",
    "director": "Школа № 3",
    "teacher": "Где я работаю",
    "student": "Где я учусь",
    "parent": "Мои дети",
    "partner": "Где я работаю",
}


@pytest.mark.parametrize("role", list(HOME_HEADINGS))
def test_sign_in_shows_role_home(page, live_server, world, role):
    sign_in(page, live_server, role, PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=HOME_HEADINGS[role]).first).to_be_visible()


def test_sign_in_wrong_password_shows_clear_error(page, live_server, world):
    sign_in(page, live_server, "teacher", "wrong-password")

    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator("#main")).to_contain_text("Неверный логин или пароль")


def test_sign_out_returns_to_landing(page, live_server, world):
    sign_in(page, live_server, "teacher", PASSWORD)

    page.get_by_role("button", name="Выйти").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("сеть образовательных учреждений")
    expect(page.get_by_role("button", name="Войти").first).to_be_visible()


def test_public_pages_are_accessible(page, live_server, world):
    for path in ["/", "/institutions/", "/institutions/ddt/", "/accounts/login/"]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_home_works_on_a_phone_with_the_menu(phone_context, live_server, world):
    page = phone_context.new_page()
    sign_in(page, live_server, "director", PASSWORD)

    page.get_by_text("Меню").click()
    page.get_by_role("link", name="Учреждения").first.click()

    expect(page).to_have_url(f"{live_server.url}/institutions/")
    expect(page.get_by_role("heading", name="Учреждения сети")).to_be_visible()
