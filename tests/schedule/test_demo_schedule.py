"""The municipal schedule of the demo, on the reduced demo (built once for the module,
rolled back at the end)."""

from __future__ import annotations

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from setka.events.models import Event
from setka.events.models import Status as EventStatus
from setka.network.demo import build_demo
from setka.notifications.models import Notification
from setka.schedule.models import Change, Item, Schedule
from setka.schedule.solver import hard_conflicts
from setka.schedule.solver.candidates import venue_key
from setka.schedule.solver.loader import build

from .. import clock
from ..journal.test_demo_journal import TODAY

# Not imported at the top: importing a demo module registers its step, and the steps run in
# the order they were registered (INSTALLED_APPS order only when autodiscovery imports them).
TITLE = "Открытые уроки и вебинары: методическая декада"
WAITING = "Вебинары для учителей начальных классов"


@pytest.fixture
def frozen_clock(_frozen_session_clock):
    with time_machine.travel(clock.at(TODAY), tick=True) as traveller:
        yield traveller


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
def published(demo, db):
    return Schedule.objects.get(title=TITLE)


def test_demo_schedule_is_published_with_items_at_several_schools(published):
    items = list(published.items.filter(event__isnull=False))

    assert published.state == Schedule.State.PUBLISHED
    assert published.version == 1
    assert {i.kind for i in items} == {Item.Kind.OPEN_LESSON, Item.Kind.VIEWING}
    assert len({i.venue_id for i in items}) >= 3
    events = Event.objects.filter(pk__in=[i.event_id for i in items])
    assert {e.status for e in events} == {EventStatus.PUBLISHED}


def test_demo_schedule_breaks_no_hard_rule(published):
    problem, loader = build(published)
    placed = {}
    for item in loader.items:
        spec = problem.spec(item.pk)
        if spec.fixed is not None:
            placed[item.pk] = spec.fixed
    for spec in problem.specs:
        spec.fixed = None  # check every published item against the others
    assert all(venue_key(i) for i in loader.items if i.event_id)
    assert hard_conflicts(problem, placed) == 0


def test_demo_schedule_has_one_later_change_told_to_its_people(published):
    change = Change.objects.get(schedule=published)

    assert change.kind == Change.Kind.MOVED
    assert change.before["starts_at"] != change.after["starts_at"]
    assert change.notified >= 1
    assert Notification.objects.filter(kind="schedule.changed").count() == change.notified


def test_demo_has_a_proposal_waiting_on_the_metodists_home(demo, client):
    waiting = Schedule.objects.get(title=WAITING)
    client.force_login(demo.user("metodist"))

    page = client.get(reverse("home")).content.decode()

    assert waiting.state == Schedule.State.PROPOSED
    assert WAITING in page


def test_demo_step_adds_nothing_the_second_time(demo):
    from setka.schedule.demo import build_schedule

    before = Item.objects.count()

    build_schedule(demo)

    assert Item.objects.count() == before
