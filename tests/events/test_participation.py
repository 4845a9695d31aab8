"""Observation protocols, certificates, reminders and the concurrency of registration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse
from pypdf import PdfReader

from setka.core.clock import now
from setka.events import services
from setka.events.models import Criterion, Event, Kind, Protocol, Registration, Status
from setka.events.services.reminders import send_reminders
from setka.notifications.models import Notification

from ..journal.conftest import jw  # noqa: F401
from .conftest import tomorrow

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_lesson(world, jw):
    starts = now() - dt.timedelta(minutes=10)
    return services.event_create(
        actor=world.users["metodist"], institution=world.school, kind=Kind.OPEN_LESSON,
        title="Открытый урок: дроби", starts_at=starts, ends_at=starts + dt.timedelta(minutes=40),
        venue=world.school, capacity_in_person=5, status="published",
        hosts=[world.people["teacher"]], group=jw.klass, subject=jw.maths,
    )  # fmt: skip


def _observer(world, event, role="partner"):
    return Registration.objects.create(event=event, person=world.people[role], mode="in_person",
                                       status="registered")  # fmt: skip


def test_protocol_all_or_nothing_with_the_criterion_named(world, open_lesson):
    _observer(world, open_lesson)
    criteria = services.criteria_ensure(world.municipality.pk)
    scores = {c.pk: 2 for c in criteria}
    scores[criteria[0].pk] = 3

    with pytest.raises(ValidationError) as exc:
        services.protocol_save(actor=world.users["partner"], event=open_lesson, scores=scores)

    assert exc.value.message_dict == {f"scores.{criteria[0].pk}": ["Балл — 0, 1 или 2."]}
    assert Protocol.objects.count() == 0


def test_protocol_only_for_registered_observers(world, open_lesson):
    criteria = services.criteria_ensure(world.municipality.pk)

    with pytest.raises(PermissionDenied):
        services.protocol_save(actor=world.users["other_teacher"], event=open_lesson,
                               scores={c.pk: 1 for c in criteria})  # fmt: skip


def test_host_sees_the_average_and_the_methodologist_every_protocol(client, world, open_lesson):
    criteria = services.criteria_ensure(world.municipality.pk)
    for role, value in (("partner", 2), ("other_teacher", 1)):
        _observer(world, open_lesson, role)
        services.protocol_save(actor=world.users[role], event=open_lesson,
                               scores={c.pk: (value, "") for c in criteria})  # fmt: skip

    client.force_login(world.users["teacher"])
    host = client.get(reverse("events:protocols", args=[open_lesson.pk])).content.decode()
    client.force_login(world.users["metodist"])
    methodologist = client.get(reverse("events:protocols", args=[open_lesson.pk])).content.decode()

    assert "1,5" in host or "1.5" in host
    assert world.people["partner"].full_name not in host
    assert world.people["partner"].full_name in methodologist


def test_protocol_page_names_a_missing_score(client, world, open_lesson):
    _observer(world, open_lesson)
    client.force_login(world.users["partner"])

    response = client.post(reverse("events:protocol", args=[open_lesson.pk]), {"comment": "x"})

    assert response.status_code == 422
    assert Protocol.objects.count() == 0


def test_open_lesson_is_linked_to_the_journal_lesson(world, jw):
    lesson = jw.lessons(period=jw.q2).first()
    from setka.journal.models import Bell

    bell = Bell.objects.filter(year=jw.year, number=lesson.number).first()
    hour, minute = (bell.starts_at.hour, bell.starts_at.minute) if bell else (9, 0)
    from ..clock import at

    starts = at(lesson.date, hour, minute)
    event = services.event_create(
        actor=world.users["metodist"], institution=world.school, kind=Kind.OPEN_LESSON,
        title="Открытый урок", starts_at=starts, ends_at=starts + dt.timedelta(minutes=40),
        venue=world.school, capacity_in_person=5, hosts=[world.people["teacher"]],
        group=jw.klass, subject=jw.maths,
    )  # fmt: skip

    assert event.lesson_id == lesson.pk


def test_certificate_after_the_event_for_an_attendee_with_a_public_check(client, world, make_event):
    event = make_event()
    registration = services.registration_create(
        actor=world.users["partner"], event=event, mode="remote"
    )
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - dt.timedelta(days=3),
        ends_at=event.ends_at - dt.timedelta(days=3),
    )
    event.refresh_from_db()
    Registration.objects.filter(pk=registration.pk).update(joined_at=event.starts_at)
    client.force_login(world.users["partner"])

    pdf = client.get(reverse("events:certificate", args=[event.pk]))
    certificate = event.certificates.get()
    check = client.get(reverse("events:check_code", args=[certificate.code.lower()]))

    text = "".join(p.extract_text() for p in PdfReader(__import__("io").BytesIO(pdf.content)).pages)
    assert pdf["Content-Type"] == "application/pdf"
    assert certificate.code in text
    assert world.people["partner"].full_name in check.content.decode()


def test_no_certificate_for_who_did_not_attend(world, make_event):
    event = make_event()
    services.registration_create(actor=world.users["partner"], event=event, mode="remote")
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - dt.timedelta(days=3),
        ends_at=event.ends_at - dt.timedelta(days=3),
    )
    event.refresh_from_db()

    with pytest.raises(ValidationError):
        services.certificate_issue(actor=world.users["partner"], event=event)


def test_reminders_are_sent_once(world, make_event, frozen_clock):
    event = make_event(starts_at=tomorrow(9))
    services.registration_create(actor=world.users["partner"], event=event, mode="remote")

    first = send_reminders()
    again = send_reminders()
    frozen_clock.move_to(event.starts_at - dt.timedelta(minutes=30))
    soon = send_reminders()

    assert (first, again, soon) == (1, 0, 1)
    notes = Notification.objects.filter(kind="events.reminder").order_by("id")
    assert [n.data["soon"] for n in notes] == [False, True]


def test_reminder_command_runs(world, make_event):
    from django.core.management import call_command

    call_command("send_event_reminders")


def test_ended_events_become_finished(world, make_event, frozen_clock):
    event = make_event()
    frozen_clock.move_to(event.ends_at + dt.timedelta(minutes=1))

    send_reminders()

    event.refresh_from_db()
    assert event.status == Status.FINISHED


def test_criteria_page_adds_a_criterion(client, world):
    client.force_login(world.users["metodist"])

    client.post(reverse("events:criteria"), {"title": "Учёт индивидуальных особенностей",
                                             "order": "5", "is_active": "1"})  # fmt: skip

    assert Criterion.objects.filter(title="Учёт индивидуальных особенностей").exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_never_exceed_the_places(world, make_event):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: true concurrency")
    from concurrent.futures import ThreadPoolExecutor

    from ..factories import MembershipFactory, PersonFactory, UserFactory

    event = make_event(capacity_in_person=3, capacity_remote=0)
    users = []
    for i in range(12):
        person = PersonFactory(municipality=world.municipality, user=UserFactory(username=f"t{i}"))
        MembershipFactory(person=person, institution=world.school)
        users.append(person.user)

    def register(user):
        try:
            return services.registration_create(actor=user, event=event, mode="in_person").status
        finally:
            connections.close_all()  # this thread's connection, closed before it ends

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(register, users))

    assert sorted(statuses).count("registered") == 3
    assert Registration.objects.filter(event=event, status="registered").count() == 3
