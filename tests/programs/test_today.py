"""The programmes' blocks of «Сегодня»: applications to decide for the provider's and the home
school's administrators, the next class of a network course and the applications in progress
for the student and the parent; nothing (and no query) for those who can have nothing there;
the same number of queries for one item and many."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from setka.network.roles import user_roles
from setka.programs import today as blocks
from setka.programs.models import Application
from setka.programs.services import applications

from .conftest import seventh_grader

pytestmark = pytest.mark.django_db


def _run(provider, user):
    request = RequestFactory().get("/")
    request.user = user
    return provider(request, user_roles(user))


def test_nothing_and_no_query_for_a_teacher(world, pw, django_assert_num_queries):
    teacher = world.users["teacher"]
    user_roles(teacher)

    with django_assert_num_queries(0):
        assert _run(blocks.to_decide, teacher) is None
        assert _run(blocks.network_courses, teacher) is None


def test_the_home_school_sees_what_to_confirm(world, pw):
    applications.application_create(
        actor=world.users["student"], offer=pw.offer, student=world.people["student"]
    )

    block = _run(blocks.to_decide, world.users["director"])

    assert [a.offer for a in block.context["applications"]] == [pw.offer]
    assert block.context["total"] == 1


@pytest.mark.parametrize("extra", [0, 12], ids=["1 application", "13 applications"])
def test_to_decide_query_budget(world, jw, pw, extra, django_assert_num_queries):
    applications.application_create(
        actor=world.users["student"], offer=pw.offer, student=world.people["student"]
    )
    for i in range(extra):
        other = seventh_grader(world, jw, f"Сегодня{i}")
        Application.objects.create(
            offer=pw.offer, institution=world.ddt, student=other, applicant=other,
            home_institution=world.school, status="home_review",
        )  # fmt: skip
    director = world.users["director"]
    user_roles(director)

    with django_assert_num_queries(1 if extra < blocks.SHOWN else 2):  # the page, the total
        block = _run(blocks.to_decide, director)

    assert block.context["total"] == 1 + extra


def test_student_and_parent_see_the_next_class(world, pw):
    applications.application_create(
        actor=world.users["student"], offer=pw.elective, student=world.people["student"]
    )

    for role in ("student", "parent"):
        block = _run(blocks.network_courses, world.users[role])
        (upcoming,) = block.context["upcoming"]
        assert upcoming.offer == pw.elective
        assert upcoming.starts.isoweekday() == 3  # the elective meets on Wednesdays


@pytest.mark.parametrize("waiting", [1, 6])
def test_courses_query_budget(world, pw, waiting, django_assert_num_queries):
    applications.application_create(
        actor=world.users["student"], offer=pw.elective, student=world.people["student"]
    )
    for _ in range(waiting):
        application = applications.application_create(
            actor=world.users["student"], offer=pw.offer, student=world.people["student"]
        )
        applications.application_withdraw(actor=world.users["student"], application=application)
    applications.application_create(
        actor=world.users["student"], offer=pw.offer, student=world.people["student"]
    )
    parent = world.users["parent"]
    user_roles(parent)

    with django_assert_num_queries(3):  # accepted with their offers, their times, in progress
        block = _run(blocks.network_courses, parent)

    assert len(block.context["waiting"]) == 1
