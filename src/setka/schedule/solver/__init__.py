"""The municipal schedule builder's solver: the loader reads a schedule into a problem of
candidate placements (``loader``, ``candidates``), CP-SAT chooses among them (``cpsat``), the
greedy first fit is the baseline and the hint (``greedy``), and ``reasons`` words why an item
stayed unplaced. :func:`solve_schedule` runs all of it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ..models import Schedule
from . import cpsat
from .greedy import first_fit
from .loader import Loader, build
from .problem import Candidate, Problem, board_with_fixed, hard_conflicts
from .reasons import after_solving


@dataclass
class Result:
    problem: Problem
    loader: Loader
    placement: dict[int, Candidate]
    greedy: dict[int, Candidate]
    outcome: cpsat.Outcome
    used_greedy: bool
    reasons: dict[int, dict[str, Any]] = field(default_factory=dict)
    load_seconds: float = 0.0

    @property
    def to_place(self) -> int:
        return sum(1 for s in self.problem.specs if s.fixed is None)


def solve_schedule(schedule: Schedule, *, time_limit: float | None = None) -> Result:
    started = time.perf_counter()
    problem, loader = build(schedule)
    loaded = time.perf_counter() - started
    greedy = first_fit(problem)
    outcome = cpsat.solve(problem, time_limit=time_limit or schedule.time_limit, hint=greedy)
    placement, used_greedy = outcome.placement, False
    if len(placement) < len(greedy):  # never fewer than the baseline
        placement, used_greedy = greedy, True
    board = board_with_fixed(problem)
    for spec in problem.specs:
        if spec.item in placement:
            board.place(spec, placement[spec.item])
    result = Result(problem, loader, placement, greedy, outcome, used_greedy, load_seconds=loaded)
    for spec in problem.specs:
        if spec.fixed is None and spec.item not in placement:
            result.reasons[spec.item] = spec.reason or after_solving(problem, board, spec)
    return result


__all__ = ["Result", "hard_conflicts", "solve_schedule"]
