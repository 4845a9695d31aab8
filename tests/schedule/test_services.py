"""The builder's writes: who may, bad input (nothing saved), publishing as a version through
the events module, changes after publication (changelog, who is told), runs that fail, and
the venues' readiness and videoconference kits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from setka.events.models import Event, Kind, Mode, Registration
from setka.events.models import Status as EventStatus
from setka.events.services import registration_create
from setka.notifications.models import Notification
from setka.readiness import services as readiness
from setka.readiness.models import Response
from setka.readiness.selectors import venue_capabilities
from setka.resources.models import Booking, Category, Resource, Window
from setka.resources.models import Kind as ResourceKind
from setka.schedule import services
from setka.schedule.models import Change, Item, Run, Schedule, Version

from ..readiness.conftest import ANSWERS, campaign, questionnaire  # noqa: F401
from .conftest import FRIDAY, MONDAY, t, when

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def test_only_the_municipalitys_builders_create_schedules(make_schedule, world):
    with pytest.raises(PermissionDenied):
        make_schedule(actor=world.users["director"])
    assert make_schedule(actor=world.users["admin"]).pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"last_day": MONDAY - dt.timedelta(days=1)}, "last_day"),
        ({"last_day": MONDAY + dt.timedelta(days=120)}, "last_day"),
        ({"first_day": MONDAY - dt.timedelta(days=30), "last_day": MONDAY - dt.timedelta(days=20)},
         "last_day"),
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [0, 1], "preferred_weekdays": [4]}, "preferred_weekdays"),
        ({"day_starts": t("18:00"), "day_ends": t("08:00")}, "day_ends"),
        ({"step_minutes": 7}, "step_minutes"),
        ({"time_limit": 0}, "time_limit"),
        ({"title": "  "}, "title"),
    ],
)  # fmt: skip
def test_bad_schedule_settings_name_the_field(make_schedule, fields, field):
    with pytest.raises(ValidationError) as exc:
        make_schedule(**fields)

    assert field in exc.value.message_dict
    assert Schedule.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"host_id": 10**9}, "host_id"),
        ({"group_id": 10**9}, "group_id"),
        ({"subject_id": 10**9}, "subject_id"),
        ({"duration": 5}, "duration"),
        ({"target_ids": [10**9]}, "target_ids"),
    ],
)
def test_unknown_teachers_classes_and_subjects_are_refused(schedule, add_item, data, field):
    with pytest.raises(ValidationError) as exc:
        add_item(schedule, **data)

    assert field in exc.value.message_dict
    assert Item.objects.count() == 0


def test_a_student_is_no_host(schedule, add_item, world):
    with pytest.raises(ValidationError) as exc:
        add_item(schedule, host_id=world.people["student"].pk)

    assert exc.value.message_dict["host_id"] == ["Такого учителя нет."]


def test_a_fixed_time_ending_before_it_starts_or_outside_the_period_is_refused(schedule, add_item):
    cases = [
        ({"fixed_start": when(MONDAY, "14:00"), "fixed_end": when(MONDAY, "13:00")}, "fixed_end"),
        ({"fixed_start": when(FRIDAY + dt.timedelta(days=7), "14:00")}, "fixed_start"),
        ({"fixed_start": when(MONDAY, "17:30")}, "fixed_start"),
        ({"fixed_start": when(MONDAY + dt.timedelta(days=5), "10:00")}, "fixed_start"),
        ({"fixed_end": when(MONDAY, "13:00")}, "fixed_start"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as exc:
            add_item(schedule, kind=Item.Kind.VIEWING, **data)
        assert field in exc.value.message_dict, data
    assert Item.objects.count() == 0


def test_the_subjects_teachers_must_attend_a_viewing(schedule, add_item, world):
    item = add_item(schedule, kind=Item.Kind.VIEWING, subject_teachers=True)

    assert list(item.targets.all()) == [world.people["teacher"]]
    assert list(item.audience.all()) == [world.school]


def _published(schedule, add_item, run, world):
    lesson = add_item(schedule)
    viewing = add_item(schedule, kind=Item.Kind.VIEWING, target_ids=[world.people["teacher"].pk],
                       webinar_url="https://my.webinar.ru/event/1")  # fmt: skip
    run(schedule)
    version = services.schedule_publish(actor=world.users["metodist"], schedule=schedule)
    lesson.refresh_from_db()
    viewing.refresh_from_db()
    return version, lesson, viewing


def test_publishing_makes_events_and_a_version_and_tells_hosts_and_teachers(
    schedule, add_item, run, world
):
    version, lesson, viewing = _published(schedule, add_item, run, world)

    schedule.refresh_from_db()
    assert (version.number, version.placed, version.added) == (1, 2, 2)
    assert (schedule.state, schedule.version) == (Schedule.State.PUBLISHED, 1)
    open_lesson = Event.objects.get(pk=lesson.event_id)
    assert (open_lesson.kind, open_lesson.status) == (Kind.OPEN_LESSON, EventStatus.PUBLISHED)
    assert open_lesson.lesson is not None  # the journal's lesson it is
    assert open_lesson.starts_at == lesson.starts_at
    watched = Event.objects.get(pk=viewing.event_id)
    assert (watched.kind, watched.venue_id) == (Kind.WEBINAR, world.school.pk)
    assert watched.materials == "https://my.webinar.ru/event/1"
    told = Notification.objects.filter(kind="schedule.published", recipient=world.people["teacher"])
    assert told.count() == 2
    assert Change.objects.count() == 0  # the first version changes nothing


def test_nothing_to_publish_is_said(schedule, add_item, world):
    add_item(schedule)

    with pytest.raises(ValidationError) as exc:
        services.schedule_publish(actor=world.users["metodist"], schedule=schedule)

    assert "items" in exc.value.message_dict


def test_publishing_is_all_or_nothing(schedule, add_item, run, world, monkeypatch):
    add_item(schedule)
    add_item(schedule, kind=Item.Kind.VIEWING)
    run(schedule)
    from setka.events import services as events

    real = events.event_create
    calls = []

    def second_fails(**fields):
        calls.append(fields["title"])
        if len(calls) == 2:
            raise ValidationError({"venue": "Не то место."})
        return real(**fields)

    monkeypatch.setattr(events, "event_create", second_fails)

    with pytest.raises(ValidationError) as exc:
        services.schedule_publish(actor=world.users["metodist"], schedule=schedule)

    assert "Не то место." in exc.value.message_dict["items"][0]
    assert (Event.objects.count(), Version.objects.count()) == (0, 0)
    assert not Item.objects.filter(event__isnull=False).exists()


def test_a_later_version_lists_the_added_items(schedule, add_item, run, world):
    _published(schedule, add_item, run, world)
    extra = add_item(schedule, kind=Item.Kind.VIEWING, venue_ids=[world.other_school.pk])
    run(schedule)

    version = services.schedule_publish(actor=world.users["metodist"], schedule=schedule)

    assert (version.number, version.placed, version.added) == (2, 3, 1)
    change = Change.objects.get()
    assert (change.kind, change.item_id, change.version) == (Change.Kind.ADDED, extra.pk, 1)


def test_moving_a_published_item_moves_its_event_and_tells_those_affected(
    schedule, add_item, run, world
):
    _version, _lesson, viewing = _published(schedule, add_item, run, world)
    registration_create(actor=world.users["admin"], event=Event.objects.get(pk=viewing.event_id),
                        mode=Mode.IN_PERSON)  # fmt: skip
    before = viewing.starts_at

    services.item_adjust(actor=world.users["metodist"], item=viewing,
                         starts_at=when(TUESDAY, "14:00"), note="Совещание директоров")  # fmt: skip

    event = Event.objects.get(pk=viewing.event_id)
    assert event.starts_at == when(TUESDAY, "14:00")
    change = Change.objects.get()
    assert (change.kind, change.note, change.version) == (
        Change.Kind.MOVED,
        "Совещание директоров",
        1,
    )
    assert change.before["starts_at"] == before.isoformat()
    assert change.after["starts_at"] == when(TUESDAY, "14:00").isoformat()
    assert change.notified == 1  # the teacher; the registered admin is told by the events module
    assert (
        Notification.objects.filter(kind="schedule.changed").get().recipient
        == world.people["teacher"]
    )
    assert (
        Notification.objects.filter(kind="events.changed").get().recipient == world.people["admin"]
    )


def test_a_move_into_a_lesson_or_onto_another_item_is_refused(schedule, add_item, run, world):
    lesson = add_item(schedule)
    viewing = add_item(schedule, kind=Item.Kind.VIEWING, target_ids=[world.people["teacher"].pk])
    run(schedule)
    metodist = world.users["metodist"]
    services.item_adjust(actor=metodist, item=lesson, starts_at=when(MONDAY, "14:00"))
    lesson.refresh_from_db()

    with pytest.raises(ValidationError) as exc:
        services.item_adjust(actor=metodist, item=viewing, starts_at=when(MONDAY, "09:00"))
    assert "Учителева М.С." in exc.value.message_dict["starts_at"][0]
    with pytest.raises(services.Clash) as clash:
        services.item_adjust(actor=metodist, item=viewing, starts_at=lesson.starts_at)
    assert clash.value.other == lesson
    with pytest.raises(ValidationError) as exc:
        services.item_adjust(actor=metodist, item=viewing, starts_at=when(MONDAY, "17:00"))
    assert "starts_at" in exc.value.message_dict


def test_cancelling_a_published_item_cancels_its_event(schedule, add_item, run, world):
    _version, lesson, _viewing = _published(schedule, add_item, run, world)

    change = services.item_delete(actor=world.users["metodist"], item=lesson, note="Карантин")

    assert Event.objects.get(pk=lesson.event_id).status == EventStatus.CANCELLED
    assert (change.kind, change.note, change.item_id) == (Change.Kind.CANCELLED, "Карантин", None)
    assert not Item.objects.filter(pk=lesson.pk).exists()
    assert change.notified == 1  # the host


def test_a_second_run_while_one_runs_is_refused(schedule, add_item, world):
    add_item(schedule)
    services.run_request(actor=world.users["metodist"], schedule=schedule)

    with pytest.raises(services.Busy):
        services.run_request(actor=world.users["metodist"], schedule=schedule)
    with pytest.raises(services.Busy):
        add_item(schedule, kind=Item.Kind.VIEWING)


def test_a_run_without_items_is_refused(schedule, world):
    with pytest.raises(ValidationError):
        services.run_request(actor=world.users["metodist"], schedule=schedule)


def test_a_failing_run_is_recorded_and_leaves_the_proposal(schedule, add_item, world, monkeypatch):
    item = add_item(schedule)
    request = services.run_request(actor=world.users["metodist"], schedule=schedule)
    monkeypatch.setattr("setka.schedule.services.runs.solve_schedule",
                        lambda *a, **k: 1 / 0)  # fmt: skip

    run = services.run_execute(request.pk)

    schedule.refresh_from_db()
    item.refresh_from_db()
    assert (run.status, run.error) == (Run.Status.FAILED, "division by zero")
    assert schedule.state == Schedule.State.DRAFT
    assert item.starts_at is None


def test_new_hours_clear_the_proposal_but_not_what_was_placed_by_hand(
    schedule, add_item, run, world
):
    a = add_item(schedule, kind=Item.Kind.VIEWING)
    b = add_item(schedule, kind=Item.Kind.VIEWING, venue_ids=[world.other_school.pk])
    run(schedule)
    services.item_adjust(actor=world.users["metodist"], item=b, starts_at=when(TUESDAY, "12:00"))

    services.schedule_update(actor=world.users["metodist"], schedule=schedule,
                             day_starts=t("09:00"))  # fmt: skip

    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.starts_at, b.pinned) == (None, True)


# --- the venues: the readiness survey and the videoconference kits ----------------------------


@pytest.fixture
def survey(world, campaign):
    def answer(**values):
        response = Response.objects.get(campaign=campaign, institution=world.school)
        return readiness.response_save(actor=world.users["director"], response=response,
                                       values={**ANSWERS, **values}, submit=True)  # fmt: skip

    return answer


def test_a_school_that_cannot_join_a_webinar_is_the_reason(survey, schedule, add_item, run, world):
    survey(vc_kits=0, vc_rooms=0, bandwidth_contracted=1, bandwidth_measured=1)
    assert venue_capabilities([world.school.pk])[world.school.pk].can_join_remote is False
    item = add_item(schedule, kind=Item.Kind.VIEWING)

    run(schedule)

    item.refresh_from_db()
    assert item.reason == {"code": "no_venue", "params": {"what": "join", "venues": ["Школа № 3"]}}


def test_a_surveyed_school_with_two_rooms_takes_two_viewings_at_once(
    survey, schedule, add_item, run
):
    survey()
    fixed = {"fixed_start": when(MONDAY, "14:00"), "fixed_end": when(MONDAY, "15:00")}
    items = [add_item(schedule, kind=Item.Kind.VIEWING, **fixed) for _ in range(3)]

    run(schedule)

    placed = Item.objects.filter(pk__in=[i.pk for i in items], starts_at__isnull=False)
    assert placed.count() == 2
    assert all(i.warnings == [] for i in placed)


def test_a_kit_of_the_resource_centre_makes_a_venue_and_is_booked(
    survey, schedule, add_item, run, world
):
    survey(vc_kits=0, vc_rooms=0, bandwidth_contracted=1, bandwidth_measured=1)
    kit = Resource.objects.create(institution=world.school, kind=ResourceKind.EQUIPMENT,
                                  category=Category.VIDEOCONFERENCE, name="Комплект ВКС",
                                  needs_approval=False)  # fmt: skip
    Window.objects.bulk_create(
        Window(resource=kit, weekday=w, starts_at=t("13:00"), ends_at=t("17:00")) for w in range(5)
    )
    item = add_item(schedule, kind=Item.Kind.VIEWING)

    run(schedule)
    services.schedule_publish(actor=world.users["metodist"], schedule=schedule)

    item.refresh_from_db()
    assert item.resource_id == kit.pk
    assert item.starts_at.astimezone(when(MONDAY, "00:00").tzinfo).time() >= t("13:00")
    booking = Booking.objects.get(resource=kit)
    assert (booking.starts_at, booking.event_ref) == (item.starts_at, f"events:{item.event_id}")
    assert Registration.objects.count() == 0
