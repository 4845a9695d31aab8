"""The builder's problem, free of the database: items with their candidate placements, and
the board that tells whether a placement clashes with those already made.

Time is counted in minutes from midnight of the period's first allowed day, allowed days
only (day ``d`` starts at ``d * 1440``): an item never crosses midnight, so the gaps between
allowed days do not matter. A placement (a :class:`Candidate`) is an item at a start on a day
in one of its venues; it holds the item's *keys* (its host, the teachers who must attend,
its class, the invited audience of a subject at a school) and, when the item needs a
videoconference room, one room of its venue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

DAY = 1440


@dataclass(frozen=True, slots=True)
class Candidate:
    index: int  # in Problem.candidates
    item: int  # the item's id
    day: int  # index of the allowed day
    start: int  # minutes (see the module's docstring)
    end: int
    venue: str  # a key of Problem.venues
    score: int = 0  # the soft preferences it meets (higher is better)


@dataclass
class Spec:
    """One item as the solver sees it."""

    item: int
    title: str
    subject: int
    keys: tuple[str, ...]  # "p<person>", "g<class>", "a<subject>:<institution>"
    room: bool  # takes a videoconference room of its venue
    candidates: list[int] = field(default_factory=list)  # indexes into Problem.candidates
    fixed: Candidate | None = None  # published: it holds its place, nothing to decide
    reason: dict[str, Any] | None = None  # why it has no candidate at all
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Venue:
    key: str
    institution_id: int
    resource_id: int | None
    name: str
    rooms: int  # items needing a room that it takes at once


@dataclass
class Problem:
    days: list[Any]  # the allowed dates
    specs: list[Spec]
    candidates: list[Candidate]
    venues: dict[str, Venue]
    occupied: dict[str, list[tuple[int, int]]]  # rooms taken by other events and bookings

    def spec(self, item: int) -> Spec:
        return self._by_item()[item]

    def _by_item(self) -> dict[int, Spec]:
        cached = getattr(self, "_specs_by_item", None)
        if cached is None:
            cached = {s.item: s for s in self.specs}
            self._specs_by_item = cached
        return cached


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def depth(intervals: Iterable[tuple[int, int]], start: int, end: int) -> int:
    """The most of ``intervals`` that overlap each other inside ``[start, end)``."""
    points = []
    for s, e in intervals:
        if overlap(s, e, start, end):
            points.append((max(s, start), 1))
            points.append((min(e, end), -1))
    best = now = 0
    for _t, step in sorted(points):
        now += step
        best = max(best, now)
    return best


class Board:
    """The placements made so far, to test a new one against: the same key at once, or more
    items needing a room than the venue has rooms (with its other events and bookings)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.by_key: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        self.by_venue: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        self.placed: dict[int, Candidate] = {}

    def clashes(self, spec: Spec, c: Candidate) -> list[tuple[str, int | None]]:
        """``[(what, other item or None)]``: "key:<key>" for an item of the same audience,
        host or class; "venue" for a venue without a free room."""
        found: list[tuple[str, int | None]] = []
        for key in spec.keys:
            for s, e, other in self.by_key.get(key, ()):
                if other != spec.item and overlap(s, e, c.start, c.end):
                    found.append((f"key:{key}", other))
        if spec.room:
            venue = self.problem.venues[c.venue]
            mine = [(s, e) for s, e, other in self.by_venue.get(c.venue, ()) if other != spec.item]
            taken = mine + self.problem.occupied.get(c.venue, [])
            if depth(taken, c.start, c.end) >= venue.rooms:
                others = [
                    other
                    for s, e, other in self.by_venue.get(c.venue, ())
                    if other != spec.item and overlap(s, e, c.start, c.end)
                ]
                found += [("venue", o) for o in others] or [("venue", None)]
        return found

    def fits(self, spec: Spec, c: Candidate) -> bool:
        return not self.clashes(spec, c)

    def place(self, spec: Spec, c: Candidate) -> None:
        self.placed[spec.item] = c
        for key in spec.keys:
            self.by_key[key].append((c.start, c.end, spec.item))
        if spec.room:
            self.by_venue[c.venue].append((c.start, c.end, spec.item))


def board_with_fixed(problem: Problem) -> Board:
    board = Board(problem)
    for spec in problem.specs:
        if spec.fixed is not None:
            board.place(spec, spec.fixed)
    return board


def hard_conflicts(problem: Problem, placement: dict[int, Candidate]) -> int:
    """How many placements break a hard rule against the others (0 for a valid schedule)."""
    board = board_with_fixed(problem)
    broken = 0
    for spec in problem.specs:
        c = placement.get(spec.item)
        if c is None or spec.fixed is not None:
            continue
        if not board.fits(spec, c):
            broken += 1
        board.place(spec, c)
    return broken
