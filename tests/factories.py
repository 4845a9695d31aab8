"""factory-boy factories for the whole suite. Keep them cheap: bulk where it helps."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from setka.network.models import (
    Guardianship,
    Institution,
    InstitutionKind,
    Membership,
    Municipality,
    MunicipalRole,
    Person,
)

PASSWORD = "setka-test-pass"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = "Шелеховский район"
    region = "Иркутская область"
    slug = "shelekhov"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = InstitutionKind.SCHOOL
    short_name = factory.Sequence(lambda n: f"Школа № {n + 1}")
    full_name = factory.LazyAttribute(
        lambda o: f"Муниципальное бюджетное общеобразовательное учреждение «{o.short_name}»"
    )
    slug = factory.Sequence(lambda n: f"school-{n + 1}")
    address = factory.Sequence(lambda n: f"г. Шелехов, {n + 1}-й микрорайон, д. {n + 3}")
    phones = "+7 (39550) 4-12-34"
    email = factory.Sequence(lambda n: f"school{n + 1}@example.org")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    surname = factory.Sequence(lambda n: f"Иванов{n}")
    given_name = "Пётр"
    patronymic = "Сергеевич"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    user = None

    class Params:
        with_user = factory.Trait(
            user=factory.SubFactory(UserFactory, email=factory.SelfAttribute("..email"))
        )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Membership.Role.TEACHER
    starts_on = dt.date(2020, 9, 1)


class MunicipalRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalRole

    person = factory.SubFactory(PersonFactory)
    municipality = factory.SelfAttribute("person.municipality")
    role = MunicipalRole.Role.METHODOLOGIST
    starts_on = dt.date(2020, 9, 1)


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    guardian = factory.SubFactory(PersonFactory)
    student = factory.SubFactory(PersonFactory)
    municipality = factory.SelfAttribute("student.municipality")
    kind = Guardianship.Kind.MOTHER
    starts_on = dt.date(2020, 9, 1)
