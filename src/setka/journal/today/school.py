"""The journal's figures for an institution's administrators and for the municipality.

For institutions (any number of them at once, a constant number of queries):

- today's attendance: the daily summary's own rules and reads (:mod:`..reports.daily`), for every
  class of every institution at once;
- the journal's completeness in the current period, up to yesterday (today's lessons are
  still being held): the share of held lessons with a topic, and how many lack homework or
  marks — the counts of the completeness page (``journal:completeness``);
- classes without a timetable: classes of the current year with no timetable line valid
  today (their own or a subgroup's).

For the municipality: the same completeness and timetable figures per general school, the
schools that need attention (a low completeness, classes without a timetable, no school
year), and the journal's activity of the last week (marks entered, lessons given a topic,
homework set). Methodologists see only these aggregates, never a mark."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from setka.core.clock import localnow, today
from setka.network.models import GENERAL_KINDS, Institution

from ..models import AcademicYear, Homework, Lesson, Mark, StudyGroup, TimetableEntry
from ..reports.daily import school_day, share

LOW_COMPLETENESS = Decimal(80)  # % of lessons with a topic below which a school needs attention
ACTIVITY_DAYS = 7


@dataclass
class Completeness:
    held: int = 0
    with_topic: int = 0
    no_homework: int = 0
    no_marks: int = 0

    @property
    def share(self) -> Decimal | None:
        return share(self.with_topic, self.held)


@dataclass
class Attendance:
    students: int = 0  # in the classes that have lessons today
    absent: int = 0  # absent the whole day
    late: int = 0
    classes: int = 0  # classes with lessons today

    @property
    def present_share(self) -> Decimal | None:
        return share(self.students - self.absent, self.students)


@dataclass
class InstitutionJournal:
    id: int
    name: str
    slug: str
    year_id: int | None = None
    year: str = ""
    period: str = ""
    attendance: Attendance = field(default_factory=Attendance)
    completeness: Completeness = field(default_factory=Completeness)
    without_timetable: list[tuple[int, str]] = field(default_factory=list)  # (class id, name)

    @property
    def needs_attention(self) -> bool:
        low = self.completeness.share is not None and self.completeness.share < LOW_COMPLETENESS
        return self.year_id is None or low or bool(self.without_timetable)


def _current_years(institution_ids) -> dict[int, AcademicYear]:
    day = today()
    return {
        y.institution_id: y
        for y in AcademicYear.objects.filter(
            institution_id__in=list(institution_ids), starts_on__lte=day, ends_on__gte=day
        ).order_by("starts_on")
    }


def _classes(year_ids: list[int]) -> tuple[list[StudyGroup], dict[int, int], set[int]]:
    """The classes of the years, their subgroups (subgroup -> class) and the classes with a
    timetable line valid today (their own or a subgroup's): one query (the daily summary's
    ``school_groups`` for many years at once)."""
    classes: list[StudyGroup] = []
    subgroups: dict[int, int] = {}
    timetabled: set[int] = set()
    day = today()
    valid = TimetableEntry.objects.filter(group_id=OuterRef("pk"), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    for group in (
        StudyGroup.objects.filter(year_id__in=year_ids)
        .filter(Q(kind=StudyGroup.Kind.CLASS) | Q(parent__isnull=False))
        .annotate(has_timetable=Exists(valid))
        .order_by("grade", "letter", "name")
    ):
        if group.kind == StudyGroup.Kind.CLASS:
            classes.append(group)
        if group.parent_id is not None:
            subgroups[group.pk] = group.parent_id
        if group.has_timetable:
            timetabled.add(group.parent_id or group.pk)
    known = {g.pk for g in classes}
    subgroups = {k: v for k, v in subgroups.items() if v in known and k not in known}
    return classes, subgroups, timetabled


def _completeness(institution_ids, day: dt.date) -> dict[int, tuple[str, Completeness]]:
    """Per institution: its current period's name and the completeness of its held lessons
    before ``day``: one query."""
    has_marks = Exists(Mark.objects.filter(lesson=OuterRef("pk"), is_deleted=False))
    has_homework = Exists(Homework.objects.filter(lesson=OuterRef("pk")))
    rows = (
        Lesson.objects.filter(
            institution_id__in=list(institution_ids),
            status=Lesson.Status.HELD,
            date__lt=day,
            period__starts_on__lte=day,
            period__ends_on__gte=day,
        )
        .values("institution_id", "period__name")
        .annotate(
            held=Count("pk"),
            with_topic=Count("pk", filter=~Q(topic="")),
            no_homework=Count("pk", filter=~has_homework),
            no_marks=Count("pk", filter=~has_marks),
        )
        .order_by()
    )
    return {
        r["institution_id"]: (
            r["period__name"],
            Completeness(r["held"], r["with_topic"], r["no_homework"], r["no_marks"]),
        )
        for r in rows
    }


def institutions_journal(institution_ids, *, attendance: bool = True) -> list[InstitutionJournal]:
    """The figures of each institution (by name): six queries whatever their number (four
    without ``attendance``)."""
    ids = sorted(institution_ids)
    if not ids:
        return []
    day = today()
    out = {
        pk: InstitutionJournal(pk, name, slug)
        for pk, name, slug in Institution.objects.filter(pk__in=ids)
        .order_by("short_name")
        .values_list("pk", "short_name", "slug")
    }
    years = _current_years(ids)
    for pk, year in years.items():
        out[pk].year_id, out[pk].year = year.pk, year.name
    classes: list[StudyGroup] = []
    subgroups: dict[int, int] = {}
    timetabled: set[int] = set()
    if years:
        classes, subgroups, timetabled = _classes([y.pk for y in years.values()])
    for group in classes:
        if group.pk not in timetabled:
            out[group.institution_id].without_timetable.append((group.pk, group.name))
    for pk, (period, figures) in _completeness(ids, day).items():
        out[pk].period, out[pk].completeness = period, figures
    if attendance and classes:
        _attendance_today(out, classes, subgroups, day)
    return list(out.values())


def _attendance_today(
    out: dict[int, InstitutionJournal],
    classes: list[StudyGroup],
    subgroups: dict[int, int],
    day: dt.date,
) -> None:
    """The daily summary for every class at once (three queries), added up per institution."""
    institution_of = {g.pk: g.institution_id for g in classes}
    summary = school_day(classes, subgroups, day)
    for row in summary.rows:
        if not row.lessons:
            continue
        figures = out[institution_of[row.group.pk]].attendance
        figures.classes += 1
        figures.students += row.students
        figures.absent += row.absent
        figures.late += row.late


# --- the municipality ---------------------------------------------------------------------


@dataclass
class Activity:
    marks: int = 0
    topics: int = 0
    homework: int = 0


@dataclass
class MunicipalJournal:
    schools: list[InstitutionJournal]
    activity: Activity
    quiet: list[InstitutionJournal]  # schools with no marks entered in the last week
    completeness: Completeness

    @property
    def attention(self) -> list[InstitutionJournal]:
        return [s for s in self.schools if s.needs_attention]


def municipal_journal(municipality_ids) -> MunicipalJournal:
    """The general schools of the municipalities: their figures (without today's attendance)
    and the last week's activity: nine queries whatever the number of schools."""
    school_ids = list(
        Institution.objects.active()
        .filter(municipality_id__in=list(municipality_ids), kind__in=GENERAL_KINDS)
        .values_list("pk", flat=True)
    )
    schools = institutions_journal(school_ids, attendance=False)
    moment = localnow()
    since = moment - dt.timedelta(days=ACTIVITY_DAYS)
    marks_by_school = dict(
        Mark.objects.filter(institution_id__in=school_ids, date__gt=since.date(), is_deleted=False)
        .values_list("institution_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    activity = Activity(
        marks=sum(marks_by_school.values()),
        topics=Lesson.objects.filter(institution_id__in=school_ids, topic_set_at__gt=since).count(),
        homework=Homework.objects.filter(
            institution_id__in=school_ids, created_at__gt=since
        ).count(),
    )
    total = Completeness()
    for s in schools:
        for name in ("held", "with_topic", "no_homework", "no_marks"):
            setattr(total, name, getattr(total, name) + getattr(s.completeness, name))
    quiet = [s for s in schools if s.year_id is not None and not marks_by_school.get(s.id)]
    return MunicipalJournal(schools, activity, quiet, total)
