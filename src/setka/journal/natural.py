"""Natural order of class names (1А, 2Б, … 10А, 11Б — not 10А, 11Б, 1А) and the folding of
a day's lessons by grade."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_PARTS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple:
    """``"10А"`` → ``(0, 10, "а")``-like parts, so that numbers compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in _PARTS.split(name or "")
        if part
    )


def group_grade(group: Any) -> int | None:
    """A class's grade; a subgroup's is its class's (``parent`` loaded); a network group has
    none."""
    if getattr(group, "grade", None):
        return group.grade
    parent = getattr(group, "parent", None) if getattr(group, "parent_id", None) else None
    return getattr(parent, "grade", None) if parent is not None else None


@dataclass
class GradeFold:
    grade: int | None
    lessons: list[Any] = field(default_factory=list)


def fold_by_grade(lessons: Iterable[Any]) -> list[GradeFold]:
    """The lessons by grade, 1 to 11, then the groups without a grade; each keeps its order."""
    folds: dict[int | None, GradeFold] = {}
    for lesson in lessons:
        grade = group_grade(lesson.group)
        folds.setdefault(grade, GradeFold(grade)).lessons.append(lesson)
    return sorted(folds.values(), key=lambda f: (f.grade is None, f.grade or 0))
