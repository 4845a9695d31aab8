"""The CP-SAT model on problems built by hand (no database): what other events already take
at a venue may overlap itself — two events in two rooms of a school — and must never make the
model infeasible; the venue's own limit still holds for what the builder places."""

from __future__ import annotations

from setka.schedule.solver import cpsat
from setka.schedule.solver.problem import Candidate, Problem, Spec, Venue


def _problem(rooms: int, occupied: list[tuple[int, int]], items: int) -> Problem:
    candidates: list[Candidate] = []
    specs = []
    for item in range(1, items + 1):
        spec = Spec(item=item, title=f"#{item}", subject=1, keys=(f"p{item}",), room=True)
        for start in (600, 720):  # 10:00 or 12:00, an hour
            candidates.append(Candidate(len(candidates), item, 0, start, start + 60, "v"))
            spec.candidates.append(candidates[-1].index)
        specs.append(spec)
    venue = Venue("v", institution_id=1, resource_id=None, name="Школа", rooms=rooms)
    return Problem(["d"], specs, candidates, {"v": venue}, {"v": occupied})


def test_events_overlapping_each_other_at_a_venue_leave_the_model_feasible():
    # two events at 10:00-11:00 in a venue with one room (say, one videoconference kit)
    problem = _problem(rooms=1, occupied=[(600, 660), (610, 650)], items=2)

    outcome = cpsat.solve(problem, time_limit=5)

    assert outcome.status == "OPTIMAL"
    assert [c.start for c in outcome.placement.values()] == [720]  # one of the two, at 12:00


def test_more_events_than_rooms_still_leave_the_rest_of_the_day():
    problem = _problem(rooms=2, occupied=[(600, 660)] * 3, items=3)

    outcome = cpsat.solve(problem, time_limit=5)

    assert outcome.status == "OPTIMAL"
    assert sorted(c.start for c in outcome.placement.values()) == [720, 720]  # two rooms at 12


def test_occupancy_is_disjoint_and_capped_by_the_rooms():
    taken = [(0, 10), (5, 15), (5, 15), (20, 30)]

    assert cpsat.occupancy(taken, rooms=2) == [(0, 5, 1), (5, 15, 2), (20, 30, 1)]
    assert cpsat.occupancy(taken, rooms=1) == [(0, 15, 1), (20, 30, 1)]
