"""Applications: each step, who may take it, the waiting list, and bad input (outside the
window, the wrong grade, a duplicate, a school outside the agreement) refused with a clear
message and nothing stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from setka.core.models import AuditEntry
from setka.journal.models import GroupMember
from setka.notifications.models import Notification
from setka.programs.models import Application, Offer
from setka.programs.services import applications, offers
from setka.programs.services.common import Conflict

from ..clock import TODAY, d
from .conftest import seventh_grader

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


def _apply(world, offer, role="student", student=None):
    return applications.application_create(
        actor=world.users[role], offer=offer, student=student or world.people["student"]
    )


def _notes(world, role, kind):
    return Notification.objects.filter(recipient=world.people[role], kind=kind)


# --- the way of an application under an agreement ---------------------------------------------


def test_application_under_an_agreement_awaits_the_home_school(world, pw):
    application = _apply(world, pw.offer)

    assert application.status == Application.Status.HOME_REVIEW
    assert application.home_institution == world.school
    assert _notes(world, "director", "programs.application.new").count() == 1
    assert AuditEntry.objects.filter(action="programs.application.create").count() == 1


def test_home_school_confirms_then_the_provider_decides(world, pw):
    application = _apply(world, pw.offer)

    applications.application_confirm(
        actor=world.users["director"], application=application, approve=True
    )
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING
    assert application.home_confirmed_by == world.users["director"]
    assert _notes(world, "parent", "programs.application.home").count() == 1

    applications.application_decide(
        actor=pw.ddt_admin, application=application, decision="accept", reason="Ждём!"
    )
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert Offer.objects.get(pk=pw.offer.pk).places_taken == 1
    assert _notes(world, "student", "programs.application.accepted").count() == 1
    assert _notes(world, "parent", "programs.application.accepted").count() == 1


def test_home_school_declines(world, pw):
    application = _apply(world, pw.offer)

    applications.application_confirm(
        actor=world.users["director"], application=application, approve=False, reason="Нагрузка"
    )

    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.reason == "Нагрузка"


def test_only_the_home_school_confirms(world, pw):
    application = _apply(world, pw.offer)

    with pytest.raises(PermissionDenied):
        applications.application_confirm(actor=pw.ddt_admin, application=application, approve=True)
    with pytest.raises(PermissionDenied):
        applications.application_decide(
            actor=world.users["director"], application=application, decision="accept"
        )
    application.refresh_from_db()
    assert application.status == Application.Status.HOME_REVIEW


def test_confirming_twice_is_a_conflict(world, pw):
    application = _apply(world, pw.offer)
    applications.application_confirm(
        actor=world.users["director"], application=application, approve=True
    )

    with pytest.raises(Conflict) as caught:
        applications.application_confirm(
            actor=world.users["director"], application=application, approve=True
        )

    assert caught.value.obj.pk == application.pk


# --- first come, first served; the waiting list -----------------------------------------------


def test_first_come_offer_accepts_until_full_then_waitlists(world, jw, pw):
    others = [seventh_grader(world, jw, f"Вторая{i}") for i in range(2)]

    first = _apply(world, pw.elective)
    parent_of = [_parent(world, s) for s in others]
    second = applications.application_create(
        actor=parent_of[0], offer=pw.elective, student=others[0]
    )
    third = applications.application_create(
        actor=parent_of[1], offer=pw.elective, student=others[1]
    )

    assert [first.status, second.status, third.status] == ["accepted", "accepted", "waitlisted"]
    assert Offer.objects.get(pk=pw.elective.pk).places_taken == 2


def _parent(world, student):
    from setka.network.models import Guardianship

    from .. import factories as f

    parent = f.PersonFactory(
        municipality=world.municipality,
        surname=f"Родитель{student.pk}",
        user=f.UserFactory(username=f"parent{student.pk}"),
    )
    Guardianship.objects.create(
        municipality=world.municipality, guardian=parent, student=student, starts_on=d(2020, 1, 1)
    )
    return parent.user


def test_withdrawing_a_place_moves_the_waiting_list_up(world, jw, pw):
    others = [seventh_grader(world, jw, f"Третья{i}") for i in range(2)]
    first = _apply(world, pw.elective)
    applications.application_create(
        actor=_parent(world, others[0]), offer=pw.elective, student=others[0]
    )
    waiting_parent = _parent(world, others[1])
    waiting = applications.application_create(
        actor=waiting_parent, offer=pw.elective, student=others[1]
    )

    applications.application_withdraw(
        actor=world.users["parent"], application=first, reason="Болеет"
    )

    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == Application.Status.WITHDRAWN
    assert waiting.status == Application.Status.ACCEPTED
    assert Offer.objects.get(pk=pw.elective.pk).places_taken == 2
    promoted = Notification.objects.get(
        recipient=waiting_parent.person, kind="programs.application.accepted"
    )
    assert promoted.data["promoted"] is True
    assert _notes(world, "director", "programs.application.withdrawn").count() == 1


def test_more_places_move_the_waiting_list_up(world, jw, pw):
    others = [seventh_grader(world, jw, f"Четвёртая{i}") for i in range(2)]
    _apply(world, pw.elective)
    for other in others:
        applications.application_create(
            actor=_parent(world, other), offer=pw.elective, student=other
        )

    offers.offer_update(actor=world.users["director"], offer=pw.elective, data={"capacity": 3})

    assert Application.objects.filter(offer=pw.elective, status="accepted").count() == 3


def test_fewer_places_than_accepted_are_refused(world, jw, pw):
    _apply(world, pw.elective)
    other = seventh_grader(world, jw, "Пятая")
    applications.application_create(actor=_parent(world, other), offer=pw.elective, student=other)

    with pytest.raises(ValidationError) as caught:
        offers.offer_update(actor=world.users["director"], offer=pw.elective, data={"capacity": 1})

    assert caught.value.message_dict["capacity"] == [
        "Уже принято учеников: 2 — мест не может быть меньше."
    ]
    assert Offer.objects.get(pk=pw.elective.pk).capacity == 2


def test_accept_when_full_goes_to_the_waiting_list(world, jw, pw):
    Offer.objects.filter(pk=pw.offer.pk).update(capacity=1)
    applied = []
    for student in [world.people["student"], seventh_grader(world, jw, "Шестая")]:
        application = applications.application_create(
            actor=world.users["student"]
            if student == world.people["student"]
            else _parent(world, student),
            offer=pw.offer,
            student=student,
        )
        applications.application_confirm(
            actor=world.users["director"], application=application, approve=True
        )
        applied.append(application)

    results = [
        applications.application_decide(actor=pw.ddt_admin, application=a, decision="accept").status
        for a in applied
    ]

    assert results == ["accepted", "waitlisted"]


def test_leaving_the_course_ends_the_group_membership(world, pw):
    application = _apply(world, pw.offer)
    applications.application_confirm(
        actor=world.users["director"], application=application, approve=True
    )
    applications.application_decide(actor=pw.ddt_admin, application=application, decision="accept")

    applications.application_withdraw(
        actor=pw.ddt_admin, application=application, reason="Пропуски"
    )

    member = GroupMember.objects.get(group=pw.group, student=world.people["student"])
    assert member.ends_on == TODAY
    assert _notes(world, "parent", "programs.application.withdrawn").count() == 1


# --- bad input: clear errors, nothing stored --------------------------------------------------


def test_applying_outside_the_window_is_refused(world, pw):
    Offer.objects.filter(pk=pw.elective.pk).update(
        applications_open_on=d(2026, 12, 1), applications_close_on=d(2026, 12, 10)
    )

    with pytest.raises(ValidationError) as caught:
        _apply(world, Offer.objects.get(pk=pw.elective.pk))

    assert caught.value.message_dict["offer"][0].startswith("Заявки принимаются с ")
    assert not Application.objects.exists()


def test_applying_after_the_window_is_refused(world, pw):
    Offer.objects.filter(pk=pw.elective.pk).update(
        applications_open_on=d(2026, 11, 1), applications_close_on=d(2026, 11, 20)
    )

    with pytest.raises(ValidationError) as caught:
        _apply(world, Offer.objects.get(pk=pw.elective.pk))

    assert caught.value.message_dict["offer"][0].startswith("Приём заявок закончился ")
    assert not Application.objects.exists()


def test_applying_for_the_wrong_grade_is_refused(world, pw):
    Offer.objects.filter(pk=pw.elective.pk).update(grade_min=10, grade_max=11)

    with pytest.raises(ValidationError) as caught:
        _apply(world, Offer.objects.get(pk=pw.elective.pk))

    assert caught.value.message_dict["student"] == [
        "Курс для 10–11 классов, а Ученикова Д.С. учится в 7 классе."
    ]
    assert not Application.objects.exists()


def test_a_second_live_application_is_a_conflict(world, pw):
    first = _apply(world, pw.offer)

    with pytest.raises(Conflict) as caught:
        _apply(world, pw.offer, role="parent")

    assert caught.value.obj == first
    assert Application.objects.count() == 1


def test_applying_again_after_withdrawing_is_allowed(world, pw):
    first = _apply(world, pw.offer)
    applications.application_withdraw(actor=world.users["student"], application=first)

    second = _apply(world, pw.offer)

    assert second.status == Application.Status.HOME_REVIEW


def test_a_parent_applies_only_for_their_children(world, pw):
    with pytest.raises(PermissionDenied):
        applications.application_create(
            actor=world.users["other_parent"], offer=pw.elective, student=world.people["student"]
        )
    with pytest.raises(PermissionDenied):
        applications.application_create(
            actor=world.users["teacher"], offer=pw.elective, student=world.people["student"]
        )
    assert not Application.objects.exists()


def test_a_student_outside_the_agreement_is_refused(world, pw):
    with pytest.raises(ValidationError) as caught:
        applications.application_create(
            actor=world.users["other_parent"], offer=pw.offer, student=world.people["other_student"]
        )

    assert "учится в другом учреждении" in caught.value.message_dict["student"][0]
    assert not Application.objects.exists()


def test_a_draft_offer_takes_no_applications(world, pw):
    offers.offer_set_status(actor=world.users["director"], offer=pw.elective, status="archived")

    with pytest.raises(ValidationError):
        _apply(world, Offer.objects.get(pk=pw.elective.pk))
    assert not Application.objects.exists()


def test_withdrawing_someone_elses_application_is_refused(world, pw):
    application = _apply(world, pw.elective)

    with pytest.raises(PermissionDenied):
        applications.application_withdraw(
            actor=world.users["other_parent"], application=application
        )
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
