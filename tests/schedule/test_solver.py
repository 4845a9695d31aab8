"""The builder end to end on the world's school №3: what it places, where, and why not.

7Б has maths with the teacher on Monday, Wednesday and Friday at 8:55–9:40 and PE on Tuesday
at 9:50–10:35 (``conftest``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from setka.events.models import Kind as EventKind
from setka.events.services import event_create
from setka.schedule import services
from setka.schedule.models import Item, Run, Schedule
from setka.schedule.solver import hard_conflicts, solve_schedule

from .conftest import MONDAY, t, when

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)
THURSDAY = MONDAY + dt.timedelta(days=3)


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def test_an_open_lesson_lands_on_the_hosts_own_lesson(schedule, add_item, run):
    item = add_item(schedule)

    done = run(schedule)

    item.refresh_from_db()
    schedule.refresh_from_db()
    assert (done.status, done.placed, done.items_total) == (Run.Status.DONE, 1, 1)
    assert done.solver_status == "OPTIMAL"
    assert done.gap == 0
    assert schedule.state == Schedule.State.PROPOSED
    assert local(item.starts_at).weekday() in (0, 2, 4)
    assert local(item.starts_at).time() == t("08:55")
    assert item.reason == {}


def test_the_host_busy_at_every_allowed_time_is_the_reason(make_schedule, add_item, run, world):
    schedule = make_schedule(weekdays=[1], day_starts=t("09:50"), day_ends=t("10:35"))
    item = add_item(schedule)  # maths, but on Tuesday 9:50 the host teaches 7Б PE

    run(schedule)

    item.refresh_from_db()
    assert item.starts_at is None
    assert item.reason == {"code": "host_busy", "params": {"name": "Учителева М.С."}}


def test_teachers_who_must_attend_busy_everywhere_are_named(make_schedule, add_item, run, world):
    schedule = make_schedule(weekdays=[0], day_starts=t("08:55"), day_ends=t("09:40"))
    item = add_item(schedule, kind=Item.Kind.VIEWING, duration=45,
                    target_ids=[world.people["teacher"].pk])  # fmt: skip

    run(schedule)

    item.refresh_from_db()
    assert item.reason == {"code": "targets_busy", "params": {"names": ["Учителева М.С."]}}


def test_a_fixed_time_when_someone_teaches_names_them(schedule, add_item, run, world):
    item = add_item(schedule, kind=Item.Kind.VIEWING, target_ids=[world.people["teacher"].pk],
                    fixed_start=when(MONDAY, "09:00"), fixed_end=when(MONDAY, "10:00"))  # fmt: skip

    run(schedule)

    item.refresh_from_db()
    assert item.reason["code"] == "fixed_busy"
    assert item.reason["params"]["names"] == ["Учителева М.С."]


def test_two_items_of_one_teacher_at_one_fixed_time_clash(schedule, add_item, run, world):
    teacher = world.people["teacher"].pk
    fixed = {"fixed_start": when(MONDAY, "14:00"), "fixed_end": when(MONDAY, "15:00")}
    first = add_item(schedule, kind=Item.Kind.VIEWING, title="Первый", target_ids=[teacher],
                     venue_ids=[world.school.pk], **fixed)  # fmt: skip
    second = add_item(schedule, kind=Item.Kind.VIEWING, title="Второй", target_ids=[teacher],
                      venue_ids=[world.other_school.pk], **fixed)  # fmt: skip

    run(schedule)

    first.refresh_from_db()
    second.refresh_from_db()
    assert [first.starts_at is not None, second.starts_at is not None].count(True) == 1
    loser = second if first.starts_at else first
    winner = first if first.starts_at else second
    assert loser.reason == {"code": "clash_audience", "params": {"titles": [winner.title]}}


def test_a_venue_has_as_many_rooms_as_it_has(schedule, add_item, run, world):
    fixed = {"fixed_start": when(MONDAY, "14:00"), "fixed_end": when(MONDAY, "15:00")}
    a = add_item(schedule, kind=Item.Kind.VIEWING, title="A", **fixed)
    b = add_item(schedule, kind=Item.Kind.VIEWING, title="B", **fixed)

    run(schedule)

    a.refresh_from_db()
    b.refresh_from_db()
    assert a.starts_at is not None  # the first by the order; a never surveyed school: 1 room
    assert b.reason == {"code": "clash_venue", "params": {"titles": ["A"]}}
    assert a.warnings[0]["code"] == "unsurveyed"


def test_another_event_at_the_venue_takes_its_room(schedule, add_item, run, world):
    event_create(actor=world.users["metodist"], institution=world.school, kind=EventKind.WEBINAR,
                 title="Просмотр", starts_at=when(MONDAY, "13:30"), ends_at=when(MONDAY, "15:30"),
                 venue=world.school, capacity_in_person=10, status="published")  # fmt: skip
    item = add_item(schedule, kind=Item.Kind.VIEWING, fixed_start=when(MONDAY, "14:00"),
                    fixed_end=when(MONDAY, "15:00"))  # fmt: skip

    run(schedule)

    item.refresh_from_db()
    assert item.reason == {
        "code": "fixed_venue",
        "params": {"when": f"{MONDAY:%d.%m.%Y} 14:00", "venues": ["Школа № 3"]},
    }


def test_preferred_days_are_preferred(make_schedule, add_item, run):
    schedule = make_schedule(preferred_weekdays=[3])
    item = add_item(schedule, kind=Item.Kind.VIEWING)

    run(schedule)

    item.refresh_from_db()
    assert local(item.starts_at).date() == THURSDAY


def test_items_of_one_subject_spread_over_the_days(schedule, add_item, run, world):
    a = add_item(schedule, kind=Item.Kind.VIEWING, venue_ids=[world.school.pk])
    b = add_item(schedule, kind=Item.Kind.VIEWING, venue_ids=[world.other_school.pk])

    run(schedule)

    a.refresh_from_db()
    b.refresh_from_db()
    assert local(a.starts_at).date() != local(b.starts_at).date()


def test_the_solver_beats_first_fit_where_order_misleads_it(make_schedule, add_item, world):
    schedule = make_schedule(weekdays=[0], day_starts=t("12:00"), day_ends=t("14:00"),
                             step_minutes=60)  # fmt: skip
    teacher = world.people["teacher"].pk
    add_item(schedule, kind=Item.Kind.VIEWING, duration=45, target_ids=[teacher])
    add_item(schedule, kind=Item.Kind.VIEWING, duration=45, target_ids=[teacher],
             venue_ids=[world.other_school.pk], fixed_start=when(MONDAY, "12:00"),
             fixed_end=when(MONDAY, "12:45"))  # fmt: skip

    result = solve_schedule(schedule)

    assert (len(result.greedy), len(result.placement)) == (1, 2)
    assert hard_conflicts(result.problem, result.placement) == 0
    assert hard_conflicts(result.problem, result.greedy) == 0


def test_an_item_placed_by_hand_stays_where_it_was_put(schedule, add_item, run, world):
    item = add_item(schedule, kind=Item.Kind.VIEWING)
    run(schedule)
    services.item_adjust(actor=world.users["metodist"], item=item,
                         starts_at=when(TUESDAY, "14:00"))  # fmt: skip

    run(schedule)

    item.refresh_from_db()
    assert (item.pinned, local(item.starts_at)) == (True, when(TUESDAY, "14:00"))


def test_no_allowed_day_left_is_said(make_schedule, add_item, run):
    schedule = make_schedule(weekdays=[5, 6])
    item = add_item(schedule, kind=Item.Kind.VIEWING)

    run(schedule)

    item.refresh_from_db()
    assert item.reason == {"code": "no_days", "params": {}}


def test_many_items_never_break_a_hard_rule(schedule, add_item, world):
    teacher = world.people["teacher"].pk
    venues = [world.school.pk, world.other_school.pk, world.ddt.pk]
    for n in range(12):
        add_item(schedule, kind=Item.Kind.VIEWING, title=f"П{n}", duration=90,
                 venue_ids=venues, target_ids=[teacher] if n % 2 else [])  # fmt: skip
    add_item(schedule)

    result = solve_schedule(schedule)

    assert len(result.placement) == 13
    assert hard_conflicts(result.problem, result.placement) == 0
