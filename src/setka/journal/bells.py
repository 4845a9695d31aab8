"""The bells of a year by shift: which bell a lesson takes (its group's shift and its number)
and whether two lessons of different shifts overlap in time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Bell

Slot = tuple[int, int]  # (shift, lesson number)


@dataclass
class BellSlots:
    bells: dict[Slot, Bell] = field(default_factory=dict)

    @classmethod
    def of_year(cls, year_id: int) -> BellSlots:
        return cls.of(Bell.objects.filter(year_id=year_id))

    @classmethod
    def of(cls, bells: Iterable[Bell]) -> BellSlots:
        return cls({(b.shift, b.number): b for b in bells})

    def get(self, shift: int, number: int) -> Bell | None:
        return self.bells.get((shift, number))

    def of_shift(self, shift: int) -> dict[int, Bell]:
        """The shift's bells by lesson number."""
        return {n: b for (s, n), b in self.bells.items() if s == shift}

    def overlap(self, a: Slot, b: Slot) -> bool:
        """Whether lessons in these slots happen at once: the same slot always does; other
        numbers of the same shift never do; across shifts, when both bells are known and
        their times overlap (without bells, shifts are taken to be apart)."""
        if a == b:
            return True
        if a[0] == b[0]:
            return False
        first, second = self.bells.get(a), self.bells.get(b)
        if first is None or second is None:
            return False
        return first.starts_at < second.ends_at and second.starts_at < first.ends_at
