"""The demo municipality: `python -m setka demo`. Built with two students per class
(``students_per_class``) so that each build takes about a second."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from setka.core.models import AuditEntry
from setka.network.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoError, build_demo
from setka.network.demo import build as demo_build
from setka.network.demo.institutions import DEMO, SCALES
from setka.network.demo.names import CHILD_FEMALE, CHILD_MALE, PATRONYMICS
from setka.network.demo.population import academic_year
from setka.network.demo.staffing import DEMO_SIBLING_SEAT, DEMO_STUDENT_SEAT, MATHS
from setka.network.models import (
    GENERAL_KINDS,
    Guardianship,
    Institution,
    Membership,
    Municipality,
    MunicipalRole,
    Person,
)
from setka.network.roles import user_roles

pytestmark = pytest.mark.django_db
SMALL = 2  # students per class in these tests


@pytest.fixture(autouse=True)
def _network_steps_only(monkeypatch):
    """The network alone: later modules' build steps (the journal's takes seconds even on a
    reduced demo) have their own tests (tests/journal/test_demo_journal.py). Every step is
    registered first, so that none registers into the patched, temporary dict."""
    autodiscover_modules("demo")
    monkeypatch.setattr(demo_build, "STEPS", {})


def build(**kwargs):
    return build_demo(students_per_class=SMALL, **kwargs)


def snapshot() -> dict[str, list]:
    """Everything the demo wrote, without database ids or timestamps."""
    user_model = get_user_model()
    return {
        "institutions": sorted(
            Institution.objects.values_list(
                "slug", "kind", "short_name", "head_name", "email", "is_resource_centre"
            )
        ),
        "people": sorted(
            Person.objects.values_list(
                "surname",
                "given_name",
                "patronymic",
                "birth_date",
                "email",
                "phone",
                "user__username",
            ),
            key=repr,
        ),
        "memberships": sorted(
            Membership.objects.values_list(
                "person__email",
                "person__surname",
                "person__given_name",
                "institution__slug",
                "role",
                "position",
                "starts_on",
                "ends_on",
            ),
            key=repr,
        ),
        "guardianships": sorted(
            Guardianship.objects.values_list(
                "guardian__surname",
                "guardian__given_name",
                "student__surname",
                "student__given_name",
                "student__birth_date",
                "kind",
                "starts_on",
            ),
            key=repr,
        ),
        "municipal_roles": sorted(
            MunicipalRole.objects.values_list("person__user__username", "role", "position"),
            key=repr,
        ),
        "users": sorted(user_model.objects.values_list("username", "email", "is_active")),
    }


def wipe() -> None:
    Guardianship.objects.all().delete()
    MunicipalRole.objects.all().delete()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    Institution.objects.all().delete()
    Municipality.objects.all().delete()
    get_user_model().objects.all().delete()


def test_build_demo_creates_each_login_with_its_roles():
    ctx = build()
    school, ddt, imc = ctx.institution("school-3"), ctx.institution("ddt"), ctx.institution("imc")
    roles = {login: user_roles(ctx.user(login)) for login in DEMO_LOGINS}

    assert roles["admin"].municipal_admin_of == {ctx.municipality.pk}
    assert roles["admin"].member_of == frozenset()
    assert roles["metodist"].methodologist_of == {ctx.municipality.pk}
    assert roles["metodist"].staff_of == {imc.pk}
    assert roles["director"].admin_of == {school.pk}
    assert roles["teacher"].teacher_of == {school.pk}
    assert roles["student"].student_of == {school.pk}
    assert roles["student"].person_id in roles["parent"].children
    assert roles["partner"].teacher_of == {ddt.pk}
    assert all(ctx.user(login).check_password(DEMO_PASSWORD) for login in DEMO_LOGINS)


def test_build_demo_parent_sees_two_children_in_two_schools():
    ctx = build()
    parent = user_roles(ctx.user("parent"))

    schools = (
        Membership.objects.active()
        .filter(person_id__in=parent.children, role=Membership.Role.STUDENT)
        .values_list("institution__slug", "position")
    )

    assert len(parent.children) == 2
    assert sorted(schools) == sorted([DEMO_SIBLING_SEAT, DEMO_STUDENT_SEAT])


def test_build_demo_teacher_teaches_maths_and_student_is_in_grade_7():
    ctx = build()
    teacher = ctx.user("teacher").person.memberships.get()
    student = ctx.user("student").person

    assert teacher.position == MATHS
    assert student.memberships.get().position == DEMO_STUDENT_SEAT[1]
    assert _age_on_1_september(student.birth_date, ctx.year) in range(12, 14)


def test_build_demo_twice_changes_nothing(django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(demo_build, "STEPS", {})  # later modules' steps have their own budgets
    build()
    before = snapshot()

    with django_assert_max_num_queries(6):
        ctx = build()

    assert ctx.created == []
    assert snapshot() == before


def test_build_demo_is_deterministic():
    build()
    first = snapshot()
    wipe()

    build()

    assert snapshot() == first


def test_build_demo_has_the_demo_institutions_and_valid_rows():
    ctx = build()
    year = academic_year(timezone.localdate())

    students = Membership.objects.filter(
        role=Membership.Role.STUDENT, institution__kind__in=GENERAL_KINDS
    ).select_related("person")
    people = list(Person.objects.all())

    assert sorted(ctx.institutions) == sorted(s.slug for s in DEMO)
    assert Institution.objects.filter(is_resource_centre=True).count() == 3
    assert AuditEntry.objects.count() == 0  # seed data, not changes made by users
    for institution in Institution.objects.all():
        institution.full_clean()
    for person in people:
        person.full_clean(exclude=["user"], validate_unique=False)
    for m in students:
        grade = int(m.position[:-1])
        assert _age_on_1_september(m.person.birth_date, year) - grade in (5, 6), m.person
        assert m.starts_on <= timezone.localdate()
    assert not Guardianship.objects.filter(guardian_id=F("student_id")).exists()
    assert all("@" in p.email for p in people if p.email)


def test_build_demo_names_agree_in_gender():
    build()

    feminine = {f for _, f in PATRONYMICS.values()}
    masculine = {m for m, _ in PATRONYMICS.values()}

    children = list(Person.objects.filter(birth_date__isnull=False))

    assert children
    for child in children:
        if child.given_name in CHILD_FEMALE:
            assert child.patronymic in feminine, child
        else:
            assert child.given_name in CHILD_MALE, child
            assert child.patronymic in masculine, child


def test_build_demo_gives_accounts_to_some_people_only():
    build()
    user_model = get_user_model()

    with_password = [u.username for u in user_model.objects.all() if u.has_usable_password()]

    assert sorted(with_password) == sorted(DEMO_LOGINS)
    assert Person.objects.filter(user__isnull=False).count() > len(DEMO_LOGINS)
    assert Person.objects.filter(user__isnull=True).exists()


def test_build_demo_municipal_scale_adds_to_the_demo():
    build()
    demo_people = Person.objects.count()

    ctx = build_demo(scale="municipal", students_per_class=1)

    assert len(ctx.created) == len(SCALES["municipal"]) - len(DEMO)
    assert Institution.objects.count() == len(SCALES["municipal"])
    assert Person.objects.count() > demo_people
    assert get_user_model().objects.filter(username__in=DEMO_LOGINS).count() == len(DEMO_LOGINS)


def test_build_demo_runs_registered_steps_on_every_run(monkeypatch):
    seen = []
    monkeypatch.setitem(demo_build.STEPS, "test", lambda ctx: seen.append(ctx.created))

    build()
    build()

    assert len(seen) == 2
    assert seen[0] != []
    assert seen[1] == []


def test_build_demo_refuses_when_a_demo_login_belongs_to_someone_else():
    get_user_model().objects.create_user("teacher", password="x-not-demo-1")

    with pytest.raises(DemoError):
        build()

    assert Institution.objects.count() == 0
    assert Person.objects.count() == 0


def test_demo_command_prints_the_logins():
    out = io.StringIO()

    call_command("demo", students_per_class=SMALL, no_progress=True, stdout=out)

    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for login in DEMO_LOGINS:
        assert f"  {login} " in text


def test_demo_command_is_silent_with_verbosity_0():
    out = io.StringIO()

    call_command("demo", students_per_class=SMALL, verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert Institution.objects.count() == len(DEMO)


def _age_on_1_september(birth: dt.date, year: int) -> int:
    day = dt.date(year, 9, 1)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
