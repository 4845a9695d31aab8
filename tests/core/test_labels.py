"""Labels a newcomer read wrongly (issue 8): counts' genitive as headings, lower-case starts,
a student's «Должность», mixed cases, the glued page title."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from setka.journal.models import AcademicYear


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("Marks", "Отметки"),
        ("Results", "Итоги"),
        ("Teachers", "Учителя"),
        ("Students", "Обучающиеся"),
        ("Staff members", "Сотрудники"),
        ("API tokens", "Токены API"),
        ("Period mark: %(name)s", "Отметка за период: %(name)s"),
    ],
)
def test_headings_are_in_the_nominative_with_a_capital(english, russian):
    with translation.override("ru"):
        assert gettext(english) == russian


def test_rounding_choices_read_as_russian():
    with translation.override("ru"):
        labels = [str(label) for _value, label in AcademicYear.Rounding.choices]

    assert labels[0] == "округление вверх с 0,50 (3,50 → 4)"
    assert not any(",5" in label.split("(")[0] and "с ," in label for label in labels)


def test_page_title_is_joined_to_the_site_name(client_for):
    html = client_for("teacher").get(reverse("home")).content.decode()

    assert "<title>Главная — Setka</title>" in html


def test_people_counts_are_in_one_case(client_for, world):
    html = client_for("director").get(reverse("network:people", args=[world.school.slug]))
    text = html.content.decode()

    assert "Учителя: 1 · Обучающиеся: 1 · Сотрудники: 0 · Администраторы: 1" in text


def test_student_position_column_is_position_or_class(client_for, world):
    from setka.network.models import Membership

    Membership.objects.filter(person=world.people["student"]).update(position="7Б")

    html = client_for("director").get(reverse("network:people", args=[world.school.slug]))

    assert '<th scope="col">Должность или класс</th>' in html.content.decode()


def test_head_title_starts_with_a_capital(client, world):
    world.school.head_position = "директор"
    world.school.head_name = "Иванова И. И."
    world.school.save()

    html = client.get(world.school.get_absolute_url()).content.decode()

    assert "<dt>Директор</dt>" in html


def test_person_and_role_forms_ask_for_a_position_or_a_class(world):
    from setka.network.forms import MembershipAddForm, PersonAddForm
    from setka.network.models import Institution

    with translation.override("ru"):
        add = PersonAddForm()
        role = MembershipAddForm(institutions=Institution.objects.all())

        assert str(add.fields["position"].label) == "Должность или класс"
        assert str(role.fields["position"].label) == "Должность или класс"
