"""The services of events: create/update/cancel with their rules, registration with the
waiting list, cancellation, and what people are told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from setka.core.models import AuditEntry
from setka.events import services
from setka.events.models import Event, Kind, Mode, Registration, Status
from setka.notifications import kinds
from setka.notifications.models import Notification

from .conftest import tomorrow

pytestmark = pytest.mark.django_db


def test_event_create_writes_the_event_its_hosts_and_audit(world, make_event):
    event = make_event()

    assert (event.status, event.municipality_id, list(event.hosts.all())) == (
        Status.PUBLISHED, world.municipality.pk, [world.people["teacher"]],
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="events.event.create", object_id=event.pk).count() == 1


def test_event_ending_before_it_starts_is_refused_and_nothing_is_saved(world, make_event):
    with pytest.raises(ValidationError) as exc:
        make_event(ends_at=tomorrow(14))

    assert "ends_at" in exc.value.message_dict
    assert Event.objects.count() == 0


def test_teacher_of_another_institution_cannot_create_for_this_one(world, make_event):
    with pytest.raises(PermissionDenied):
        make_event(actor=world.users["other_teacher"])
    assert Event.objects.count() == 0


def test_online_needs_a_provider_and_in_person_a_venue(world, make_event):
    with pytest.raises(ValidationError) as exc:
        make_event(provider="", venue=None)

    assert {"provider", "venue"} <= set(exc.value.message_dict)


def test_series_creates_each_occurrence(world, make_event):
    first = make_event(repeat={"frequency": "WEEKLY", "interval": 1, "count": 4})

    events = list(Event.objects.filter(series=first.series).order_by("starts_at"))
    assert [e.starts_at - first.starts_at for e in events] == [
        dt.timedelta(weeks=i) for i in range(4)
    ]


def test_registration_fills_places_then_the_waiting_list_moves_up(world, make_event):
    event = make_event(capacity_in_person=1)
    first = services.registration_create(
        actor=world.users["teacher"], event=event, mode=Mode.IN_PERSON
    )
    second = services.registration_create(
        actor=world.users["director"], event=event, mode=Mode.IN_PERSON
    )
    assert (first.status, second.status) == ("registered", "waiting")

    services.registration_cancel(actor=world.users["teacher"], registration=first)

    second.refresh_from_db()
    assert second.status == Registration.Status.REGISTERED
    kinds = list(
        Notification.objects.filter(recipient=world.people["director"])
        .values_list("kind", flat=True)
        .order_by("id")
    )
    assert kinds == ["events.waiting", "events.promoted"]


def test_registering_twice_is_a_conflict(world, make_event):
    event = make_event()
    services.registration_create(actor=world.users["teacher"], event=event, mode=Mode.REMOTE)

    with pytest.raises(services.AlreadyRegistered):
        services.registration_create(actor=world.users["teacher"], event=event, mode=Mode.IN_PERSON)
    assert Registration.objects.count() == 1


def test_registration_outside_the_window_is_refused(world, make_event):
    event = make_event(registration_opens_at=tomorrow(9))

    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=world.users["teacher"], event=event, mode="remote")
    assert exc.value.message_dict["event"] == ["Регистрация ещё не открыта."]


def test_student_is_not_in_a_teachers_audience(world, make_event):
    event = make_event()

    with pytest.raises(PermissionDenied):
        services.registration_create(actor=world.users["student"], event=event, mode="remote")


def test_changing_the_time_tells_the_registered_by_email(
    world, make_event, django_capture_on_commit_callbacks
):
    event = make_event()
    services.registration_create(actor=world.users["director"], event=event, mode="remote")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            actor=world.users["metodist"], event=event, starts_at=tomorrow(16), ends_at=tomorrow(17)
        )

    note = Notification.objects.get(recipient=world.people["director"], kind="events.changed")
    assert note.data["what"] == ["time"]
    assert "изменилось: время" in kinds.title_of(note.kind, note.data)
    assert len(mail.outbox) == 1


def test_cancelling_tells_everyone_registered_or_waiting(world, make_event):
    event = make_event(capacity_in_person=1, capacity_remote=0)
    services.registration_create(actor=world.users["director"], event=event, mode="in_person")
    services.registration_create(actor=world.users["partner"], event=event, mode="in_person")

    services.event_cancel(actor=world.users["metodist"], event=event, reason="Карантин")

    assert set(
        Notification.objects.filter(kind="events.cancelled").values_list("recipient", flat=True)
    ) == {world.people["director"].pk, world.people["partner"].pk}


def test_only_organisers_update(world, make_event):
    event = make_event()
    with pytest.raises(PermissionDenied):
        services.event_update(actor=world.users["partner"], event=event, title="Чужое")


def test_capacity_cannot_go_below_the_registered(world, make_event):
    event = make_event(capacity_in_person=2)
    services.registration_create(actor=world.users["director"], event=event, mode="in_person")
    services.registration_create(actor=world.users["partner"], event=event, mode="in_person")

    with pytest.raises(ValidationError) as exc:
        services.event_update(actor=world.users["metodist"], event=event, capacity_in_person=1)
    assert "capacity_in_person" in exc.value.message_dict


def test_open_lesson_needs_class_subject_and_host(world, make_event):
    with pytest.raises(ValidationError) as exc:
        make_event(kind=Kind.OPEN_LESSON, hosts=[])
    assert {"hosts", "group", "subject"} <= set(exc.value.message_dict)
