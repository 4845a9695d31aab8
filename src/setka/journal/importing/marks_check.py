"""Checking a marks file in memory: everything the checks need is loaded once per file
(:class:`YearIndex`), each distinct cell is parsed once, then every row is matched to exactly
one lesson of the student. Used by :func:`~.marks.marks_import`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from setka.core.tabular import ImportReport, ImportRow, norm, parse_date, text

from ..models import AcademicYear, GroupMember, Lesson, Mark, MarkKind, StudyGroup, Subject
from ..services import entry
from ..services.records import PASS_TOKENS
from ..services.structure import mark_kinds_ensure
from .base import parse_int

# A mark to write: lesson, student, group, subject, date, value, passed, kind, comment.
NewMark = tuple[int, int, int, int, dt.date, int | None, bool | None, int, str]


def _fmt(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


class YearIndex:
    """What the checks need, loaded once per file."""

    def __init__(self, year: AcademicYear) -> None:
        self.year = year
        self.periods = {p.pk: p for p in year.periods.all()}
        self.groups = dict(StudyGroup.objects.filter(year=year).values_list("id", "name"))
        self.group_by_name = {norm(name): pk for pk, name in self.groups.items()}
        self.members: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
        self.surnames: dict[int, str] = {}
        for sid, gid, start, end, surname, given in GroupMember.objects.filter(
            group__year=year
        ).values_list(
            "student_id",
            "group_id",
            "starts_on",
            "ends_on",
            "student__surname",
            "student__given_name",
        ):
            self.members.setdefault(sid, []).append((gid, start, end))
            self.surnames[sid] = f"{surname} {given}"
        self.subjects: dict[str, int] = {}
        self.pass_fail: set[int] = set()
        self.subject_names: dict[int, str] = {}
        for pk, name, short, grading in Subject.objects.filter(
            municipality_id=year.institution.municipality_id
        ).values_list("id", "name", "short_name", "grading"):
            self.subjects.setdefault(norm(short), pk)
            self.subjects[norm(name)] = pk
            self.subject_names[pk] = name
            if grading == Subject.Grading.PASS_FAIL:
                self.pass_fail.add(pk)
        mark_kinds_ensure(year.institution)
        kinds = list(MarkKind.objects.filter(institution_id=year.institution_id, is_active=True))
        self.kinds: dict[str, int] = {}
        for k in kinds:
            self.kinds.setdefault(norm(k.short_name), k.pk)
            self.kinds[norm(k.name)] = k.pk
        self.kind_names = [k.name for k in kinds]
        self.default_kind = kinds[0].pk if kinds else None
        control = [k for k in kinds if k.is_control]
        self.control_kind = control[0].pk if control else self.default_kind


# A parsed row: row, student, date, number, subject id, group id, value text, kind id, comment,
# name written in the file.
Parsed = tuple[
    ImportRow, int, dt.date, int | None, int | None, int | None, str, int | None, str, str
]


def _memo(cache: dict, raw: Any, parse: Any) -> tuple[Any, str | None]:
    """``parse(raw)`` → (value, error message or None), computed once per distinct cell."""
    try:
        return cache[raw]
    except KeyError:
        cache[raw] = result = parse(raw)
        return result
    except TypeError:  # an unhashable cell
        return parse(raw)


def _parsers(ctx: YearIndex) -> dict[str, Any]:
    year = ctx.year
    slug = norm(year.institution.slug)
    outside = _("The date is outside the academic year %(year)s (%(start)s–%(end)s).") % {
        "year": year.name,
        "start": _fmt(year.starts_on),
        "end": _fmt(year.ends_on),
    }

    def student(raw: Any) -> tuple[int | None, str | None]:
        try:
            value = parse_int(raw)
        except ValueError:
            return None, _("The student's code must be a whole number.")
        if value is None:
            return None, _("Write the student's code (their number in Setka).")
        return value, None

    def date(raw: Any) -> tuple[dt.date | None, str | None]:
        try:
            day = parse_date(raw)
        except ValueError:
            day = None
        if day is None:
            return None, _("This is not a date. Write it as DD.MM.YYYY, e.g. 15.09.2026.")
        if not year.contains(day):
            return None, outside
        return day, None

    def number(raw: Any) -> tuple[int | None, str | None]:
        try:
            value = parse_int(raw)
            if value is not None and not 0 <= value <= 12:
                raise ValueError(value)
        except ValueError:
            return None, _("The lesson number must be a whole number from 0 to 12.")
        return value, None

    def subject(raw: Any) -> tuple[int | None, str | None]:
        if not text(raw):
            return None, None
        found = ctx.subjects.get(norm(raw))
        return found, None if found else _("There is no such subject in the catalogue.")

    def group(raw: Any) -> tuple[int | None, str | None]:
        if not text(raw):
            return None, None
        found = ctx.group_by_name.get(norm(raw))
        if found is None:
            return None, _("The year %(year)s has no class or group with this name.") % {
                "year": year.name
            }
        return found, None

    def institution(raw: Any) -> tuple[None, str | None]:
        if text(raw) and norm(raw) != slug:
            return None, _("The row is for another institution: this one is “%(slug)s”.") % {
                "slug": year.institution.slug
            }
        return None, None

    def value(raw: Any) -> tuple[str, str | None]:
        found = text(raw)
        return found, None if found else _("Write the mark.")

    def kind(raw: Any) -> tuple[int | None, str | None]:
        if not text(raw):
            return None, None
        found = ctx.kinds.get(norm(raw))
        if found is None:
            return None, _("Unknown kind of mark. Use one of: %(kinds)s.") % {
                "kinds": ", ".join(ctx.kind_names)
            }
        return found, None

    return {
        "student": student,
        "date": date,
        "number": number,
        "subject": subject,
        "group": group,
        "institution": institution,
        "value": value,
        "kind": kind,
    }


def parse_rows(rows: Sequence[ImportRow], ctx: YearIndex, report: ImportReport) -> list[Parsed]:
    parsers = _parsers(ctx)
    caches: dict[str, dict] = {key: {} for key in parsers}
    need_lesson = _("Write the lesson number or the subject.")
    out: list[Parsed] = []
    for row in rows:
        v = row.values
        got: dict[str, Any] = {}
        failed = False
        for key, parse in parsers.items():
            raw = v.get(key)
            result, message = _memo(caches[key], raw, parse)
            if message is not None:
                report.error(row, key, message, raw)
                failed = True
            got[key] = result
        if (
            got["number"] is None
            and got["subject"] is None
            and not text(v.get("number"))
            and not text(v.get("subject"))
        ):
            report.error(row, "number", need_lesson)
            failed = True
        if failed:
            continue
        comment = text(v.get("comment"))[:500] if v.get("comment") else ""
        name = text(v.get("student_name")) if v.get("student_name") else ""
        out.append(
            (row, got["student"], got["date"], got["number"], got["subject"], got["group"],
             got["value"], got["kind"], comment, name)
        )  # fmt: skip
    return out


def resolve(
    parsed: list[Parsed], ctx: YearIndex, report: ImportReport
) -> tuple[list[NewMark], int]:
    """The parsed rows as marks to write, each at its lesson, and how many rows are skipped
    because the mark is there already (two queries); a row that cannot be one is reported."""
    lessons, existing = _lessons_and_marks(parsed, ctx)
    marks: list[NewMark] = []
    skipped = 0
    for item in parsed:
        row, student, day, _number, _subject, _group, raw, kind, comment, _name = item
        groups = _student_groups(item, ctx, report)
        if groups is None:
            continue
        lesson = _the_lesson(item, groups, lessons, ctx, report)
        if lesson is None:
            continue
        lesson_id, group_id, _d, _n, subject_id, _status, _period, lesson_kind = lesson
        clean = _value(row, raw, subject_id, ctx, report)
        if clean is None:
            continue
        value, passed = clean
        kind_id = kind or (
            ctx.control_kind if lesson_kind == Lesson.Kind.CONTROL else ctx.default_kind
        )
        key = (lesson_id, student, value, passed, kind_id)
        if existing[key] > 0:
            existing[key] -= 1
            skipped += 1
            continue
        marks.append(
            (lesson_id, student, group_id, subject_id, day, value, passed, kind_id, comment)
        )
    return marks, skipped


LessonRow = tuple  # (id, group id, date, number, subject id, status, period id, kind)


def _lessons_and_marks(
    parsed: list[Parsed], ctx: YearIndex
) -> tuple[dict[tuple[int, dt.date], list[LessonRow]], Counter]:
    """The year's lessons of the rows' dates by (group, date), and the marks stored then."""
    year = ctx.year
    start = min(p[2] for p in parsed)
    end = max(p[2] for p in parsed)
    lessons: dict[tuple[int, dt.date], list[LessonRow]] = {}
    for lesson in (
        Lesson.objects.filter(year=year, date__gte=start, date__lte=end)
        .values_list(
            "id", "group_id", "date", "number", "subject_id", "status", "period_id", "kind"
        )
        .order_by()
    ):
        lessons.setdefault((lesson[1], lesson[2]), []).append(lesson)
    existing = Counter(
        Mark.objects.filter(
            institution_id=year.institution_id, date__gte=start, date__lte=end, is_deleted=False
        )
        .values_list("lesson_id", "student_id", "value", "passed", "kind_id")
        .order_by()
    )
    return lessons, existing


def _student_groups(item: Parsed, ctx: YearIndex, report: ImportReport) -> list[int] | None:
    """The groups (``group`` only, when named) the student is in on ``day``; None, reported,
    when the code is unknown, belongs to another name, or the student is in none of them."""
    row, student, day, _number, _subject, group, _raw, _kind, _comment, name = item
    memberships = ctx.members.get(student)
    if not memberships:
        report.error(
            row,
            "student",
            _("No student with this code is in the classes and groups of %(year)s.")
            % {"year": ctx.year.name},
        )
        return None
    if name and norm(name).split(" ")[0] != norm(ctx.surnames[student]).split(" ")[0]:
        report.error(
            row,
            "student_name",
            _("The code %(code)s belongs to %(name)s, not to this student.")
            % {"code": student, "name": ctx.surnames[student]},
        )
        return None
    groups = [
        g
        for g, s, e in memberships
        if s <= day and (e is None or e >= day) and (group is None or g == group)
    ]
    if not groups:
        where = ctx.groups[group] if group else _("any class or group")
        report.error(
            row,
            "student",
            _("%(name)s is not in %(where)s on %(date)s.")
            % {"name": ctx.surnames[student], "where": where, "date": _fmt(day)},
        )
        return None
    return groups


def _the_lesson(
    item: Parsed,
    groups: list[int],
    lessons: dict[tuple[int, dt.date], list[LessonRow]],
    ctx: YearIndex,
    report: ImportReport,
) -> LessonRow | None:
    """The one lesson of the student's groups the row names, open for marks; None, reported,
    when there is none or several, or it is in a closed period, cancelled or still ahead."""
    row, student, day, number, subject, _group, _raw, _kind, _comment, _name = item
    found = [
        lesson
        for g in groups
        for lesson in lessons.get((g, day), ())
        if (number is None or lesson[3] == number) and (subject is None or lesson[4] == subject)
    ]
    if len(found) != 1:
        if found:
            message = _(
                "Several lessons of this student match on %(date)s: write the lesson number "
                "and the subject."
            )
        else:
            message = _(
                "%(name)s has no such lesson on %(date)s (check the date, the lesson "
                "number and the subject)."
            )
        report.error(row, "date", message % {"name": ctx.surnames[student], "date": _fmt(day)}, day)
        return None
    lesson = found[0]
    period = ctx.periods[lesson[6]]
    if period.is_closed:
        report.error(
            row,
            "date",
            _("The period “%(period)s” is closed: its marks cannot be changed.")
            % {"period": period.name},
            day,
        )
        return None
    if lesson[5] == Lesson.Status.CANCELLED:
        report.error(row, "date", _("The lesson on this date is cancelled."), day)
        return None
    if entry.is_ahead(day):
        report.error(row, "date", entry.ahead_message(day), day)
        return None
    return lesson


def _value(
    row: ImportRow, raw: str, subject_id: int, ctx: YearIndex, report: ImportReport
) -> tuple[int | None, bool | None] | None:
    """The mark typed in the row as (value, passed) for the lesson's subject; None, reported,
    when it is not one."""
    if subject_id in ctx.pass_fail:
        passed = PASS_TOKENS.get(norm(raw))
        if passed is None:
            report.error(
                row,
                "value",
                _("“%(subject)s” is graded pass / fail: write “зач” or “нз”.")
                % {"subject": ctx.subject_names[subject_id]},
            )
            return None
        return None, passed
    digits = raw.removesuffix(".0")
    if digits not in ("1", "2", "3", "4", "5"):
        report.error(
            row,
            "value",
            _("A mark must be a whole number from 1 to 5, not “%(value)s”.") % {"value": raw},
        )
        return None
    return int(digits), None
