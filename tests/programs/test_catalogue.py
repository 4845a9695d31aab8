"""The catalogue: filters, full-text search (Russian morphology on PostgreSQL, ``icontains``
on SQLite), «fits my timetable» through the journal's busy seam, and a query budget that does
not grow with the number of offers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from setka.journal.services import structure
from setka.programs.models import Offer
from setka.programs.selectors.catalogue import Filters, catalogue
from setka.programs.services import offers
from setka.programs.services.offers import Slot

from .conftest import offer_data

pytestmark = pytest.mark.django_db


def titles(filters: Filters) -> list[str]:
    return [o.title for o in catalogue(filters)]


def _publish(world, actor, institution, slots, **data) -> Offer:
    offer = offers.offer_create(
        actor=actor, institution=institution, data=offer_data(**data), slots=slots
    )
    return offers.offer_set_status(actor=actor, offer=offer, status="published")


def test_filters_combine(world, pw):
    assert titles(Filters(kind="elective")) == ["Шахматы"]
    assert titles(Filters(area="technology")) == ["Робототехника"]
    assert titles(Filters(grade=5)) == ["Робототехника"]
    assert titles(Filters(institution=world.school.pk)) == ["Шахматы"]
    assert titles(Filters(weekday=2)) == ["Робототехника"]
    assert titles(Filters(weekday=3, after=dt.time(13, 0))) == ["Шахматы"]
    assert titles(Filters(before=dt.time(15, 30))) == ["Шахматы"]
    assert titles(Filters(free=True, open=True)) == ["Робототехника", "Шахматы"]


def test_full_offers_leave_the_free_places_filter(world, pw):
    Offer.objects.filter(pk=pw.elective.pk).update(places_taken=2)

    assert titles(Filters(free=True)) == ["Робототехника"]


def test_search_finds_words_of_the_title_description_and_provider(world, pw):
    assert titles(Filters(q="шахмат")) == ["Шахматы"]
    assert titles(Filters(q="Arduino")) == ["Робототехника"]
    assert titles(Filters(q=world.ddt.short_name)) == ["Робототехника"]
    assert titles(Filters(q="астрономия")) == []


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="Russian morphology: PostgreSQL")
def test_search_knows_russian_word_forms_and_ranks_the_title_first(world, pw):
    _publish(
        world,
        world.users["director"],
        world.school,
        [Slot(1, None, dt.time(15), dt.time(16))],
        title="Программирование на Python",
        description="Основы алгоритмов.",
    )

    # «программированию» finds «программирование» (title) and «программирование» (description)
    found = titles(Filters(q="программированию"))

    assert found == ["Программирование на Python", "Робототехника"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_search_on_sqlite_matches_parts_of_words(world, pw):
    assert titles(Filters(q="программир")) == ["Робототехника"]


def test_search_follows_changes_of_the_offer(world, pw):
    offers.offer_update(
        actor=world.users["director"], offer=pw.elective, data={"title": "Шашки и шахматы"}
    )

    assert titles(Filters(q="шашки")) == ["Шашки и шахматы"]


# --- fits my timetable ------------------------------------------------------------------------


@pytest.fixture
def bells(world, jw):
    """School №3's bells: lesson 2 at 9:00–9:45 (maths on Mon, Wed, Fri), lesson 3 at
    10:00–10:45 (PE on Tuesday)."""
    for number, start, end in ((2, dt.time(9), dt.time(9, 45)), (3, dt.time(10), dt.time(10, 45))):
        structure.bell_set(
            actor=world.users["director"], year=jw.year, number=number, starts_at=start,
            ends_at=end,
        )  # fmt: skip


def test_fits_hides_offers_clashing_with_the_students_lessons(world, pw, bells):
    _publish(
        world,
        world.users["director"],
        world.school,
        [Slot(3, None, dt.time(9, 30), dt.time(10, 15))],
        title="Утренний английский",
        grade_min=7,
    )
    _publish(
        world,
        world.users["director"],
        world.school,
        [Slot(3, None, dt.time(9, 45), dt.time(10, 30))],
        title="После второго урока",
        grade_min=7,
    )
    student = world.people["student"].pk

    everything = titles(Filters())
    fitting = titles(Filters(fits=student))

    assert "Утренний английский" in everything
    assert fitting == ["После второго урока", "Робототехника", "Шахматы"]


def test_fits_counts_the_network_lessons_the_student_already_has(world, pw, bells):
    """A course the student takes elsewhere makes them busy too (through its group)."""
    from setka.journal.services import timetable

    from .test_enrolment import enrol

    enrol(world, pw)
    structure.bell_set(
        actor=pw.ddt_admin, year=pw.ddt_year, number=1, starts_at=dt.time(15),
        ends_at=dt.time(16, 30),
    )  # fmt: skip
    structure.timetable_entry_create(
        actor=pw.ddt_admin, group=pw.group, subject=pw.robotics, teacher=world.people["partner"],
        weekday=2, number=1,
    )  # fmt: skip
    timetable.generate_lessons(pw.ddt_year)
    _publish(
        world,
        world.users["director"],
        world.school,
        [Slot(2, None, dt.time(16), dt.time(17))],
        title="Вторничный театр",
        grade_min=7,
    )

    assert "Вторничный театр" not in titles(Filters(fits=world.people["student"].pk))


def test_fits_on_the_page_for_a_student(client_for, world, pw, bells):
    _publish(
        world,
        world.users["director"],
        world.school,
        [Slot(1, None, dt.time(9), dt.time(10))],
        title="Понедельник утром",
    )

    page = client_for("student").get(reverse("programs:catalogue"), {"fits": "on"})
    everything = client_for("student").get(reverse("programs:catalogue"))

    assert "Понедельник утром" not in page.content.decode()
    assert "Понедельник утром" in everything.content.decode()


def test_parent_chooses_whose_timetable(client_for, world, pw, bells):
    response = client_for("parent").get(
        reverse("programs:catalogue"), {"fits": "on", "student": world.people["student"].pk}
    )

    assert response.status_code == 200
    assert response.context["fits"] == world.people["student"].pk


# --- query budgets ----------------------------------------------------------------------------


def _more(pw, n: int) -> None:
    for i in range(n):
        copy = Offer.objects.get(pk=pw.elective.pk)
        copy.pk = None
        copy.title = f"Курс {i:02}"
        copy.save()
        copy.slots.create(weekday=1 + i % 6, starts_at=dt.time(14), ends_at=dt.time(15))


@pytest.mark.parametrize("extra", [0, 30], ids=["2 offers", "32 offers"])
def test_catalogue_page_query_budget(client, pw, extra, django_assert_num_queries):
    _more(pw, extra)

    with django_assert_num_queries(4):  # providers, count, page, slots
        response = client.get(reverse("programs:catalogue"))

    assert response.context["page"].paginator.count == 2 + extra


@pytest.mark.parametrize("extra", [0, 30], ids=["2 offers", "32 offers"])
def test_fits_page_query_budget(client_for, world, pw, bells, extra, django_assert_num_queries):
    _more(pw, extra)
    client = client_for("student")

    # session, user, roles, the family, providers, busy (the journal's seam), the offers'
    # slots, count, page, slots of the page; the user's name (the bell's count: warmed at sign-in)
    with django_assert_num_queries(11):
        response = client.get(reverse("programs:catalogue"), {"fits": "on"})

    assert response.context["page"].paginator.count == 2 + extra


def test_offer_page_query_budget(client_for, pw, django_assert_num_queries):
    client = client_for("student")

    # session, user, roles, the offer, the family, their applications, slots, teachers; the
    # user's name (the bell's count: warmed at sign-in)
    with django_assert_num_queries(9):
        response = client.get(reverse("programs:offer", args=[pw.offer.pk]))

    assert response.status_code == 200
