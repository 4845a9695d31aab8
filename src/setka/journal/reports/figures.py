"""The figures of the reports: the counts behind успеваемость, качество, the distribution and
the average mark (``Rates``), attendance (``AttendanceStats``), and the lines of the tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..marktext import FAILED, NOT_CERTIFIED

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def result_text(r: int | None) -> str:
    if r is None:
        return ""
    return {0: NOT_CERTIFIED, -1: FAILED}.get(r, str(r))


@dataclass
class Rates:
    """Counts behind успеваемость, качество, the distribution and the average mark."""

    students: int = 0  # students with a result (per subject: results)
    passing: int = 0  # ... without a failing one
    good: int = 0  # ... with only 4 and 5
    d2: int = 0  # results 2 (and 1, н/а, незачёт)
    d3: int = 0
    d4: int = 0
    d5: int = 0
    s: int = 0  # Σ mark × weight×10
    w: int = 0  # Σ weight×10
    marks: int = 0  # number of current marks

    def add(self, other: Rates) -> None:
        for name in ("students", "passing", "good", "d2", "d3", "d4", "d5", "s", "w", "marks"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def add_sums(self, other: Rates) -> None:
        """Only the distribution and the sums (the student counts come from elsewhere)."""
        for name in ("d2", "d3", "d4", "d5", "s", "w", "marks"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def success(self) -> Decimal | None:
        return _share(self.passing, self.students)

    @property
    def quality(self) -> Decimal | None:
        return _share(self.good, self.students)

    @property
    def average(self) -> Decimal | None:
        if not self.w:
            return None
        return (Decimal(self.s) / Decimal(self.w)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)

    @property
    def distribution(self) -> list[tuple[str, int]]:
        return [("2", self.d2), ("3", self.d3), ("4", self.d4), ("5", self.d5)]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Rates:
        return cls(
            students=int(row["students"] or 0),
            passing=int(row["passing"] or 0),
            good=int(row["good"] or 0),
            d2=int(row["d2"] or 0),
            d3=int(row["d3"] or 0),
            d4=int(row["d4"] or 0),
            d5=int(row["d5"] or 0),
            s=int(row["s"] or 0),
            w=int(row["w"] or 0),
            marks=int(row["n"] or 0),
        )


@dataclass
class AttendanceStats:
    students: int = 0
    absent: int = 0  # Н
    ill: int = 0  # Б
    excused: int = 0  # УП
    late: int = 0  # ОП
    seats: int = 0  # lessons held × students expected at them

    @property
    def missed(self) -> int:
        return self.absent + self.ill + self.excused

    @property
    def per_student(self) -> Decimal | None:
        if not self.students:
            return None
        return (Decimal(self.missed) / self.students).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)

    @property
    def share(self) -> Decimal | None:
        return _share(self.missed, self.seats)

    def add(self, other: AttendanceStats) -> None:
        for name in ("students", "absent", "ill", "excused", "late", "seats"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AttendanceStats:
        return cls(**{k: int(row[k] or 0) for k in cls.__dataclass_fields__})


@dataclass
class Unit:
    """A line of a school or municipal report: a class, a parallel or a school."""

    id: int
    name: str
    rates: Rates = field(default_factory=Rates)
    attendance: AttendanceStats = field(default_factory=AttendanceStats)
    averages: dict[int, Decimal | None] = field(default_factory=dict)  # subject id -> average
    grade: int | None = None
    slug: str = ""
    is_subtotal: bool = False
    average_row: list[Decimal | None] = field(default_factory=list)  # in the order of subjects


@dataclass
class SubjectLine:
    id: int
    name: str
    short_name: str
    rates: Rates = field(default_factory=Rates)


@dataclass
class ResultCell:
    r: int | None
    text: str
    is_period_mark: bool
    average: Decimal | None
    marks: int


@dataclass
class StudentLine:
    id: int
    name: str
    cells: dict[int, ResultCell] = field(default_factory=dict)
    attendance: AttendanceStats = field(default_factory=AttendanceStats)
    worst: int | None = None
    row: list[ResultCell | None] = field(default_factory=list)  # in the order of subjects

    @property
    def status(self) -> str:
        """'good' (only 4 and 5), 'passing', 'failing', or '' without results."""
        if self.worst is None:
            return ""
        if self.worst >= 4:
            return "good"
        return "passing" if self.worst >= 3 else "failing"
