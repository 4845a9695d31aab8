"""The programmes of the demo municipality (``setka.programs.demo``) on a reduced demo: clubs
of the ДДТ, the music and the sports school, electives of the schools, the ДДТ's robotics
under an active agreement with the journal demo's network group (``partner`` teaches it,
``student`` takes it, ``parent`` sees the credited results), the university and the institute
branch with two schools. Built once for the module inside a rolled-back transaction."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from setka.journal.models import GroupMember
from setka.network.demo import build_demo
from setka.programs.models import Agreement, Application, Offer

from .. import clock
from ..journal.test_demo_journal import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(clock.at(TODAY), tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        ctx = build_demo(students_per_class=2, today=TODAY)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def frozen_clock(_frozen_session_clock):
    with time_machine.travel(clock.at(TODAY), tick=True) as traveller:
        yield traveller


@pytest.fixture
def users(demo, db):
    return {u.username: u for u in get_user_model().objects.select_related("person")}


def test_the_providers_offer_clubs_and_the_schools_courses(demo):
    providers = set(
        Offer.objects.filter(status="published").values_list("institution__slug", flat=True)
    )

    assert {"ddt", "dmsh", "dyussh", "school-3", "gymnasium"} <= providers
    assert Offer.objects.filter(institution__slug="dyussh", kind="club").exists()
    assert Offer.objects.filter(
        institution__slug="school-3", kind__in=["elective", "profile"]
    ).exists()
    assert all(o.places_taken <= o.capacity for o in Offer.objects.all())
    assert all(o.slots.exists() for o in Offer.objects.filter(form="full_time"))


def test_robotics_is_a_real_offer_under_an_active_agreement(demo, users):
    offer = Offer.objects.get(institution__slug="ddt", title="Робототехника")
    partner = users["partner"].person
    student = users["student"].person

    assert offer.agreement.status == Agreement.Status.ACTIVE
    assert offer.agreement.institution.slug == "ddt"
    assert offer.group.name == "Робототехника (сетевая программа)"
    assert list(offer.teachers.all()) == [partner]
    assert offer.credited_subject.name == "Труд (технология)"
    application = Application.objects.get(offer=offer, student=student)
    assert application.status == Application.Status.ACCEPTED
    assert application.applicant == users["parent"].person
    member = GroupMember.objects.get(group=offer.group, student=student)
    assert application.member == member
    assert member.ends_on == offer.agreement.ends_on
    assert offer.places_taken == Application.objects.filter(offer=offer, status="accepted").count()


def test_the_university_and_the_branch_run_a_programme_with_two_schools(demo):
    agreement = Agreement.objects.get(offers__institution__slug="bgi-branch")
    parties = set(agreement.parties.values_list("institution__slug", flat=True))

    assert parties == {"school-3", "lyceum", "pi-isu", "bgi-branch"}
    assert agreement.status == Agreement.Status.ACTIVE
    assert set(agreement.offers.values_list("institution__slug", flat=True)) == {
        "pi-isu",
        "bgi-branch",
    }
    assert Application.objects.filter(offer__agreement=agreement, status="accepted").exists()


def test_parent_sees_credited_results_and_the_next_class(client, demo, users):
    client.force_login(users["parent"])
    student = users["student"].person

    summary = client.get(reverse("journal:diary_summary") + f"?student={student.pk}")
    home = client.get(reverse("home"))

    assert "Зачтено из сетевых программ" in summary.content.decode()
    assert "Робототехника" in summary.content.decode()
    assert "Сетевые курсы" in home.content.decode()


def test_director_has_applications_to_decide(client, demo, users):
    client.force_login(users["director"])

    home = client.get(reverse("home"))

    assert "Заявки на решение" in home.content.decode()


def test_demo_pages_open(client, demo, users):
    client.force_login(users["student"])
    for url in (
        reverse("programs:catalogue"),
        reverse("programs:catalogue") + "?fits=on&q=шахматы",
        reverse("programs:map"),
    ):
        assert client.get(url).status_code == 200, url


def test_second_build_adds_nothing(demo, django_assert_max_num_queries, monkeypatch):
    from setka.network.demo import build as demo_build
    from setka.programs.demo import build_programs

    monkeypatch.setattr(demo_build, "STEPS", {"programs": build_programs})
    before = (Offer.objects.count(), Application.objects.count(), Agreement.objects.count())

    # the transaction's savepoint and its release, the network's two, the programmes' one
    with django_assert_max_num_queries(5):
        build_demo(students_per_class=2, today=TODAY)

    assert (Offer.objects.count(), Application.objects.count(), Agreement.objects.count()) == before
