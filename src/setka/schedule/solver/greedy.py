"""The baseline: first fit over the items in the methodologist's order, each at its first
candidate (by day, start and venue) that clashes with nothing placed before it. The builder
reports its count next to CP-SAT's, on the same candidates."""

from __future__ import annotations

from .problem import Candidate, Problem, board_with_fixed


def first_fit(problem: Problem) -> dict[int, Candidate]:
    board = board_with_fixed(problem)
    chosen: dict[int, Candidate] = {}
    for spec in problem.specs:
        if spec.fixed is not None:
            continue
        ordered = sorted(
            (problem.candidates[i] for i in spec.candidates),
            key=lambda c: (c.start, c.venue),
        )
        for c in ordered:
            if board.fits(spec, c):
                board.place(spec, c)
                chosen[spec.item] = c
                break
    return chosen
