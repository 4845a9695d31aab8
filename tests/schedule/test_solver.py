"""The builder end to end on the world's school: what it places, where, and why not."""

from __future__ import annotations

import pytest

from setka.schedule.models import Item, Run, Schedule
from setka.schedule.solver import solve_schedule

from .conftest import MONDAY

pytestmark = pytest.mark.django_db


def test_an_open_lesson_lands_on_the_hosts_own_lesson(schedule, add_item, run):
    item = add_item(schedule)

    done = run(schedule)

    item.refresh_from_db()
    schedule.refresh_from_db()
    assert (done.status, done.placed, done.items_total) == (Run.Status.DONE, 1, 1)
    assert schedule.state == Schedule.State.PROPOSED
    assert item.starts_at is not None
    assert item.reason == {}


def test_solver_places_at_least_the_greedy_count(schedule, add_item, world):
    for _ in range(6):
        add_item(
            schedule, kind=Item.Kind.VIEWING, duration=90, target_ids=[world.people["teacher"].pk]
        )

    result = solve_schedule(schedule)

    assert len(result.placement) >= len(result.greedy)
    assert MONDAY in result.problem.days
