"""Shared fixtures. ``world`` builds the small network that the permission matrix and most
tests use: every demo role, plus a teacher of another institution and a parent of another
child."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field

import pytest
import time_machine
from django.conf import settings

from setka.network.models import Institution, InstitutionKind, Membership, MunicipalRole

from . import clock
from . import factories as f


def pytest_report_header(config):
    shift = clock.SHIFT.days
    return f"setka: the clock is frozen on {clock.NOW.isoformat()} (fixtures moved {shift} days)"


@pytest.fixture(scope="session", autouse=True)
def _frozen_session_clock():
    """Session and module fixtures (the demo, the browser's server) run on the suite's day."""
    with time_machine.travel(clock.NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def frozen_clock(_frozen_session_clock):
    """Every test starts on the suite's day at its hour (``tests/clock.py``); time ticks."""
    with time_machine.travel(clock.NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: ids repeat from test to test (rolled back), so
    a count cached by one test (the bell's unread notifications) must not reach the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_reset_counters(monkeypatch, request):
    """Password-reset requests are counted in the cache (``accounts.throttle``): each test
    counts under its own prefix, so that no test inherits another's requests."""
    from setka.accounts import throttle

    monkeypatch.setattr(throttle, "PREFIX", f"{throttle.PREFIX}:test:{id(request)}")


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Uploads made by tests go to a throw-away folder, never into var/media.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="setka-test-media-")


@dataclass
class World:
    municipality: object
    school: Institution
    ddt: Institution
    other_school: Institution
    imc: Institution
    users: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    def user(self, role: str):
        return self.users.get(role)


ROLES = [
    "anonymous",
    "admin",
    "metodist",
    "director",
    "teacher",
    "student",
    "parent",
    "partner",
    "other_teacher",
    "other_parent",
]


def _person(world: World, key: str, *, surname: str, given: str, birth: dt.date | None = None):
    person = f.PersonFactory(
        municipality=world.municipality,
        surname=surname,
        given_name=given,
        birth_date=birth,
        user=f.UserFactory(username=key, email=f"{key}@example.org"),
        email=f"{key}@example.org",
    )
    world.people[key] = person
    world.users[key] = person.user
    return person


@pytest.fixture
def world(db) -> World:
    municipality = f.MunicipalityFactory()
    school = f.InstitutionFactory(
        municipality=municipality, short_name="Школа № 3", slug="school-3"
    )
    ddt = f.InstitutionFactory(
        municipality=municipality,
        kind=InstitutionKind.ADDITIONAL_EDUCATION,
        short_name="ДДТ",
        slug="ddt",
        is_resource_centre=True,
    )
    other = f.InstitutionFactory(municipality=municipality, short_name="Школа № 5", slug="school-5")
    imc = f.InstitutionFactory(
        municipality=municipality,
        kind=InstitutionKind.METHODOLOGICAL_CENTRE,
        short_name="ИМЦ",
        slug="imc",
    )
    w = World(municipality=municipality, school=school, ddt=ddt, other_school=other, imc=imc)

    admin = _person(w, "admin", surname="Админова", given="Ольга")
    f.MunicipalRoleFactory(person=admin, role=MunicipalRole.Role.MUNICIPAL_ADMIN)
    metodist = _person(w, "metodist", surname="Методистова", given="Анна")
    f.MunicipalRoleFactory(person=metodist, role=MunicipalRole.Role.METHODOLOGIST)
    f.MembershipFactory(person=metodist, institution=imc, role=Membership.Role.STAFF)
    director = _person(w, "director", surname="Директорова", given="Елена")
    f.MembershipFactory(person=director, institution=school, role=Membership.Role.INSTITUTION_ADMIN)
    teacher = _person(w, "teacher", surname="Учителева", given="Мария")
    f.MembershipFactory(person=teacher, institution=school, role=Membership.Role.TEACHER)
    student = _person(w, "student", surname="Ученикова", given="Дарья", birth=dt.date(2012, 5, 4))
    f.MembershipFactory(person=student, institution=school, role=Membership.Role.STUDENT)
    parent = _person(w, "parent", surname="Ученикова", given="Светлана")
    f.GuardianshipFactory(guardian=parent, student=student)
    partner = _person(w, "partner", surname="Партнёров", given="Игорь")
    f.MembershipFactory(person=partner, institution=ddt, role=Membership.Role.TEACHER)
    other_teacher = _person(w, "other_teacher", surname="Чужова", given="Нина")
    f.MembershipFactory(person=other_teacher, institution=other, role=Membership.Role.TEACHER)
    other_student = f.PersonFactory(
        municipality=municipality,
        surname="Другов",
        given_name="Олег",
        birth_date=dt.date(2013, 1, 2),
    )
    w.people["other_student"] = other_student
    f.MembershipFactory(person=other_student, institution=other, role=Membership.Role.STUDENT)
    other_parent = _person(w, "other_parent", surname="Другова", given="Вера")
    f.GuardianshipFactory(guardian=other_parent, student=other_student)
    return w


@pytest.fixture
def client_for(client, world):
    """``client_for("teacher")`` is a test client signed in as that role of the world."""

    def make(role: str):
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return make
