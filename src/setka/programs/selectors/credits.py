"""The credit of results: what students earned in the courses of other institutions that
their home school credits as one of its subjects. Read straight from the provider's journal
(its period marks and marks for the enrolled students), so nothing is copied by hand; the
journal's diary summary and class view call :func:`credited_results`.

Three queries whatever the number of students and courses (one when nobody is enrolled)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Sum

from setka.core.clock import today
from setka.journal.models import Mark, PeriodMark

from ..models import Application


@dataclass
class Credit:
    student_id: int
    home_institution_id: int
    subject_id: int
    subject: str  # credited as
    offer_id: int
    offer: str
    provider: str
    periods: list[tuple[str, str]] = field(default_factory=list)  # (period, result)
    average: Decimal | None = None  # of the marks so far in the range
    count: int = 0

    @property
    def source(self) -> str:
        return f"{self.offer}, {self.provider}"


def _text(value: int | None, passed: bool | None, not_certified: bool) -> str:
    if not_certified:
        return "н/а"
    if value is not None:
        return str(value)
    if passed is None:
        return ""
    return "зач" if passed else "нз"


def credited_results(
    student_ids, *, first: dt.date, last: dt.date, home_institution_id: int | None = None
) -> dict[int, list[Credit]]:
    """Per student: the credited courses they are (or were) enrolled in, with the period
    results of the provider's periods overlapping ``first``–``last`` and the average of the
    marks in that range so far. Only the credits of ``home_institution_id`` when given."""
    ids = sorted(set(student_ids))
    if not ids:
        return {}
    enrolled = Application.objects.filter(
        student_id__in=ids,
        member__isnull=False,
        offer__is_credited=True,
        offer__credited_subject__isnull=False,
        offer__group__isnull=False,
    )
    if home_institution_id is not None:
        enrolled = enrolled.filter(home_institution_id=home_institution_id)
    credits: dict[tuple[int, int], Credit] = {}
    for row in enrolled.order_by("offer__credited_subject__order", "offer__title").values(
        "student_id",
        "home_institution_id",
        "offer_id",
        "offer__title",
        "offer__institution__short_name",
        "offer__credited_subject_id",
        "offer__credited_subject__name",
        "offer__group_id",
    ):
        key = (row["student_id"], row["offer__group_id"])
        credits.setdefault(
            key,
            Credit(
                student_id=row["student_id"],
                home_institution_id=row["home_institution_id"],
                subject_id=row["offer__credited_subject_id"],
                subject=row["offer__credited_subject__name"],
                offer_id=row["offer_id"],
                offer=row["offer__title"],
                provider=row["offer__institution__short_name"],
            ),
        )
    if not credits:
        return {}
    groups = sorted({g for _s, g in credits})
    students = sorted({s for s, _g in credits})
    for student_id, group_id, name, value, passed, not_certified in (
        PeriodMark.objects.filter(
            group_id__in=groups,
            student_id__in=students,
            period__isnull=False,
            period__starts_on__lte=last,
            period__ends_on__gte=first,
        )
        .order_by("period__starts_on")
        .values_list("student_id", "group_id", "period__name", "value", "passed", "not_certified")
    ):
        credit = credits.get((student_id, group_id))
        text = _text(value, passed, not_certified)
        if credit is not None and text:
            credit.periods.append((name, text))
    until = min(last, today())
    if until >= first:
        for student_id, group_id, total, weight, n in (
            Mark.objects.filter(
                group_id__in=groups,
                student_id__in=students,
                date__gte=first,
                date__lte=until,
                is_deleted=False,
                value__isnull=False,
            )
            .values_list("student_id", "group_id")
            .annotate(
                total=Sum(F("value") * F("kind__weight")), weight=Sum("kind__weight"), n=Count("id")
            )
            .order_by()
        ):
            credit = credits.get((student_id, group_id))
            if credit is not None and weight:
                credit.average = (Decimal(total) / Decimal(weight)).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
                credit.count = n
    out: dict[int, list[Credit]] = defaultdict(list)
    for credit in credits.values():
        out[credit.student_id].append(credit)
    return dict(out)
