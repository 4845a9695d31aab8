import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from setka.network import services

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_username_redirects_home(client, world):
    response = _login(client, "teacher", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_with_email_any_case(client, world):
    response = _login(client, "Teacher@Example.org", PASSWORD)

    assert response.status_code == 302


def test_login_wrong_password_shows_russian_message(client, world):
    response = _login(client, "teacher", "nope")

    assert response.status_code == 200
    assert "Неверный логин или пароль" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_wrong_password_in_english(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"username": "teacher", "password": "nope"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Wrong login or password" in response.content.decode()


def test_login_is_throttled_after_five_failures(client, world):
    for _ in range(5):
        _login(client, "teacher", "nope")

    response = _login(client, "teacher", PASSWORD)

    assert response.status_code == 429
    assert "Слишком много попыток" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # five failures lock the login; the sixth attempt (right password) is refused and counted
    assert AccessAttempt.objects.get(username="teacher").failures_since_start == 6


def test_logout_needs_post(client_for):
    client = client_for("teacher")

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_requires_old_password(client_for, world):
    client = client_for("teacher")

    bad = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "Ne-prosto-2024",
            "new_password2": "Ne-prosto-2024",
        },
    )
    good = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Ne-prosto-2024",
            "new_password2": "Ne-prosto-2024",
        },
    )

    assert bad.status_code == 200
    assert good.status_code == 302
    world.users["teacher"].refresh_from_db()
    assert world.users["teacher"].check_password("Ne-prosto-2024")


def test_password_reset_sends_link_that_sets_password(client, world):
    client.post(reverse("accounts:password_reset"), {"email": "teacher@example.org"})

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "Novyj-parol-77", "new_password2": "Novyj-parol-77"}
    )

    assert response.status_code == 302
    world.users["teacher"].refresh_from_db()
    assert world.users["teacher"].check_password("Novyj-parol-77")


def test_password_reset_unknown_email_reveals_nothing(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_invited_person_sets_password_through_the_link(
    client, world, django_capture_on_commit_callbacks
):
    person = world.people["other_student"]
    person.email = "oleg@example.org"
    person.save()

    with django_capture_on_commit_callbacks(execute=True):
        user = services.person_account_create(actor=world.users["admin"], person=person)

    assert not user.has_usable_password()
    assert user.username == "drugov.os"
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    set_page = client.get("/" + link.split("/", 3)[3], follow=True)
    client.post(
        set_page.redirect_chain[-1][0],
        {"new_password1": "Oleg-parol-2025", "new_password2": "Oleg-parol-2025"},
    )
    user.refresh_from_db()
    assert user.check_password("Oleg-parol-2025")


@pytest.mark.django_db
def test_home_greets_by_given_name_and_patronymic(client, world):
    teacher = world.people["teacher"]
    teacher.patronymic = "Ивановна"
    teacher.save()
    client.force_login(world.users["teacher"])

    html = client.get(reverse("home")).content.decode()

    assert "Здравствуйте, Мария Ивановна" in html
