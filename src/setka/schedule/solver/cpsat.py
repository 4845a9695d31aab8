"""The CP-SAT model of the builder.

- A boolean per candidate placement (item × start × venue, after the loader has dropped the
  infeasible ones), at most one per item: an item with none chosen is unplaced.
- No overlap per key (a host, a teacher who must attend, a class, the invited teachers of a
  subject at a school): optional fixed-size intervals, one per candidate, and fixed ones for
  the published items.
- Rooms: a cumulative constraint per venue over the candidates needing a videoconference room,
  with the venue's other events and bookings as fixed intervals; its capacity is its rooms.
- Objective: placed items first (weight 1000 each), then each candidate's soft score
  (preferred days, the share of invited teachers free, a venue of known readiness, the host's
  own lesson of the class), less 4 for each extra item of one subject on one day (spread).
- The greedy baseline's placement is the hint; the time limit is the run's; 2 workers."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from ortools.sat.python import cp_model

from .problem import Candidate, Problem

PLACED = 1000
SPREAD = 4
WORKERS = 2


@dataclass
class Outcome:
    placement: dict[int, Candidate]
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    objective: float | None
    bound: float | None
    wall_seconds: float

    @property
    def gap(self) -> float | None:
        """The relative gap between the objective and the solver's bound (0 when proven)."""
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, self.bound - self.objective) / max(1.0, abs(self.bound))


def occupancy(taken: list[tuple[int, int]], rooms: int) -> list[tuple[int, int, int]]:
    """The rooms other events already take, as disjoint (start, end, rooms used) segments,
    never more than the venue has: those events may overlap each other (two events in two
    rooms of a school), and as separate intervals they could break the venue's own limit,
    which made the whole model infeasible."""
    edges: dict[int, int] = defaultdict(int)
    for start, end in taken:
        if end > start:
            edges[start] += 1
            edges[end] -= 1
    segments: list[tuple[int, int, int]] = []
    used = 0
    points = sorted(edges)
    for here, there in pairwise(points):
        used += edges[here]
        level = min(used, rooms)
        if level <= 0:
            continue
        if segments and segments[-1][1] == here and segments[-1][2] == level:
            segments[-1] = (segments[-1][0], there, level)  # one interval while nothing changes
        else:
            segments.append((here, there, level))
    return segments


def solve(
    problem: Problem, *, time_limit: float, hint: dict[int, Candidate] | None = None
) -> Outcome:
    started = time.perf_counter()
    model = cp_model.CpModel()
    chosen = {c.index: model.new_bool_var(f"x{c.index}") for c in problem.candidates}
    by_key: dict[str, list] = defaultdict(list)
    by_venue: dict[str, list] = defaultdict(list)
    by_subject_day: dict[tuple[int, int], list] = defaultdict(list)
    objective = []
    for spec in problem.specs:
        if spec.fixed is not None:
            c = spec.fixed
            interval = model.new_fixed_size_interval_var(c.start, c.end - c.start, f"f{spec.item}")
            for key in spec.keys:
                by_key[key].append(interval)
            if spec.room:
                by_venue[c.venue].append(interval)
            continue
        literals = [chosen[i] for i in spec.candidates]
        if not literals:
            continue
        model.add_at_most_one(literals)
        for i in spec.candidates:
            c = problem.candidates[i]
            x = chosen[i]
            interval = model.new_optional_fixed_size_interval_var(
                c.start, c.end - c.start, x, f"i{i}"
            )
            for key in spec.keys:
                by_key[key].append(interval)
            if spec.room:
                by_venue[c.venue].append(interval)
            by_subject_day[(spec.subject, c.day)].append(x)
            objective.append((PLACED + c.score) * x)
    for intervals in by_key.values():
        if len(intervals) > 1:
            model.add_no_overlap(intervals)
    for key, intervals in by_venue.items():
        rooms = max(1, problem.venues[key].rooms)
        taken = occupancy(problem.occupied.get(key, []), rooms)
        fixed = [model.new_fixed_size_interval_var(s, e - s, f"o{key}{n}")
                 for n, (s, e, _used) in enumerate(taken)]  # fmt: skip
        if rooms == 1:
            model.add_no_overlap(intervals + fixed)
        elif len(intervals) + sum(used for _s, _e, used in taken) > rooms:
            demands = [1] * len(intervals) + [used for _s, _e, used in taken]
            model.add_cumulative(intervals + fixed, demands, rooms)
    for n, xs in enumerate(by_subject_day.values()):
        if len(xs) > 1:
            extra = model.new_int_var(0, len(xs), f"s{n}")
            model.add(extra >= sum(xs) - 1)
            objective.append(-SPREAD * extra)
    model.maximize(sum(objective))
    if hint:
        picked = {c.index for c in hint.values()}
        for i, x in chosen.items():
            model.add_hint(x, i in picked)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = WORKERS
    code = solver.solve(model)
    status = solver.status_name(code)
    placement: dict[int, Candidate] = {}
    value = bound = None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for spec in problem.specs:
            for i in spec.candidates:
                if solver.boolean_value(chosen[i]):
                    placement[spec.item] = problem.candidates[i]
                    break
        value, bound = solver.objective_value, solver.best_objective_bound
    return Outcome(placement, status, value, bound, time.perf_counter() - started)
