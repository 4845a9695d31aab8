"""Booking a resource: who may, what is refused (and nothing stored), approval, refusal and
cancellation with their notifications and audit entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from setka.core.models import AuditEntry
from setka.notifications.models import Notification
from setka.resources import services
from setka.resources.models import Booking, Status

from .. import clock
from .conftest import slot

pytestmark = pytest.mark.django_db
YESTERDAY = clock.TODAY - dt.timedelta(days=1)
FAR = dt.timedelta(days=500)


def _kinds(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_a_booking_that_needs_approval_waits_and_tells_the_owners_admins(world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)

    assert booking.status == Status.PENDING
    assert booking.owner_id == world.school.pk
    assert _kinds(world.people["director"]) == ["resources.booking.requested"]
    assert (
        AuditEntry.objects.filter(action="resources.booking.create", object_id=booking.pk).count()
        == 1
    )


def test_the_owners_admin_books_without_approval(world, rw):
    booking = rw.book(world.users["director"], institution=world.school)

    assert booking.status == Status.CONFIRMED
    assert booking.decided_by_id == world.people["director"].pk


def test_approval_confirms_and_tells_the_booker(world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)

    services.booking_approve(actor=world.users["director"], booking=booking)

    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert _kinds(world.people["other_director"]) == ["resources.booking.approved"]


def test_refusal_frees_the_time_and_tells_the_reason(world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)

    services.booking_refuse(actor=world.users["director"], booking=booking, reason="Ремонт")
    again = rw.book(world.users["director"], institution=world.school)

    note = Notification.objects.get(recipient=world.people["other_director"])
    assert note.kind == "resources.booking.refused"
    assert note.data["reason"] == "Ремонт"
    assert again.status == Status.CONFIRMED


def test_the_booker_cancels_and_the_owner_is_told(world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)
    services.booking_approve(actor=world.users["director"], booking=booking)

    services.booking_cancel(actor=world.users["other_director"], booking=booking, reason="Карантин")

    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert _kinds(world.people["director"]) == [
        "resources.booking.cancelled",
        "resources.booking.requested",
    ]


def test_the_owner_cancels_and_the_booker_is_told(world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)

    services.booking_cancel(actor=world.users["director"], booking=booking)

    assert _kinds(world.people["other_director"]) == ["resources.booking.cancelled"]


def test_a_teacher_books_the_kit_for_their_school_not_the_laboratory(world, rw):
    kit = rw.book(world.users["other_teacher"], rw.kit, institution=world.other_school)

    assert kit.status == Status.PENDING
    with pytest.raises(PermissionDenied):
        rw.book(world.users["other_teacher"], institution=world.other_school)


@pytest.mark.parametrize("role", ["student", "parent", "partner", "other_parent"])
def test_people_who_may_not_book(world, rw, role):
    with pytest.raises(PermissionDenied):
        rw.book(world.users[role], rw.kit, institution=world.other_school)
    assert Booking.objects.count() == 0


def test_a_teacher_may_not_book_for_another_school(world, rw):
    with pytest.raises(PermissionDenied):
        rw.book(world.users["other_teacher"], rw.kit, institution=world.school)


def test_the_municipalitys_officials_book_for_any_institution(world, rw):
    booking = rw.book(world.users["metodist"], institution=world.imc)

    assert booking.status == Status.PENDING


def test_only_the_owner_decides(world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)

    for role in ("other_director", "admin", "metodist", "teacher"):
        with pytest.raises(PermissionDenied):
            services.booking_approve(actor=world.users[role], booking=booking)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=world.users["teacher"], booking=booking)


def test_a_decided_booking_is_not_decided_again(world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)
    services.booking_refuse(actor=world.users["director"], booking=booking)

    with pytest.raises(services.BookingConflict):
        services.booking_approve(actor=world.users["director"], booking=booking)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (slot(0, 10)[0], slot(0, 9)[0], "ends_at"),  # ends before it starts
        (slot(0, 10)[0], slot(0, 10)[0], "ends_at"),  # ends when it starts
        (clock.at(YESTERDAY, 10), clock.at(YESTERDAY, 11), "starts_at"),
        (slot(0, 7)[0], slot(0, 9)[0], "starts_at"),  # before the hours
        (slot(0, 17)[0], slot(0, 19)[0], "starts_at"),  # past the hours
        (slot(6, 10)[0], slot(6, 11)[0], "starts_at"),  # Sunday
        (slot(0, 17)[0], slot(1, 9)[0], "starts_at"),  # over the night
        (slot(0, 10)[0] + FAR, slot(0, 11)[0] + FAR, "starts_at"),  # too far ahead
    ],
)  # fmt: skip
def test_bad_times_are_refused_and_nothing_is_stored(world, rw, start, end, field):
    with pytest.raises(ValidationError) as err:
        services.booking_create(
            actor=world.users["director"], resource=rw.lab, starts_at=start, ends_at=end,
            purpose="Опыт", institution=world.school,
        )  # fmt: skip

    assert field in err.value.message_dict
    assert (Booking.objects.count(), Notification.objects.count()) == (0, 0)


def test_too_many_people_and_no_purpose_are_refused(world, rw):
    with pytest.raises(ValidationError) as err:
        rw.book(world.users["director"], institution=world.school, party_size=40, purpose=" ")

    assert set(err.value.message_dict) == {"party_size", "purpose"}


def test_an_overlapping_booking_is_a_clash_naming_the_holder(world, rw):
    first = rw.book(world.users["other_director"], institution=world.other_school, hour=10)

    with pytest.raises(services.BookingClash) as clash:
        rw.book(world.users["director"], institution=world.school, hour=11)

    assert clash.value.conflict == first
    assert Booking.objects.count() == 1


def test_back_to_back_bookings_do_not_clash_and_other_resources_are_free(world, rw):
    rw.book(world.users["director"], institution=world.school, hour=10, minutes=60)

    rw.book(world.users["director"], institution=world.school, hour=11, minutes=60)
    rw.book(world.users["director"], rw.kit, institution=world.school, hour=10, minutes=60)

    assert Booking.objects.count() == 3


def test_a_refused_or_cancelled_booking_frees_its_time(world, rw):
    first = rw.book(world.users["other_director"], institution=world.other_school)
    services.booking_cancel(actor=world.users["other_director"], booking=first)

    second = rw.book(world.users["director"], institution=world.school)

    assert second.status == Status.CONFIRMED


def test_a_booking_that_is_over_is_not_cancelled(world, rw, frozen_clock):
    booking = rw.book(world.users["director"], institution=world.school)
    frozen_clock.move_to(booking.ends_at + dt.timedelta(minutes=1))

    with pytest.raises(services.BookingConflict):
        services.booking_cancel(actor=world.users["director"], booking=booking)


def test_an_event_books_through_the_service(world, rw):
    start, end = slot(2, 14)
    booking = services.booking_create(
        actor=world.users["metodist"], resource=rw.lab, starts_at=start, ends_at=end,
        purpose="Семинар ММО учителей химии", institution=world.imc, event_ref="events.event:7",
    )  # fmt: skip

    assert booking.event_ref == "events.event:7"
