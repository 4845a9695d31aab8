"""Changes to the structure of a year made by its administration after creating it: the year's
settings, holidays, a class's name and class teacher, ending teaching assignments and
timetable entries, removing a bell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from setka.core.audit import audit_log, diff, snapshot
from setka.core.clock import today
from setka.network.models import Person

from ..bells import BellSlots
from ..models import (
    AcademicYear,
    Attendance,
    Bell,
    Holiday,
    Homework,
    Lesson,
    Mark,
    StudyGroup,
    Subject,
    TeachingAssignment,
    TimetableEntry,
)
from .structure import assignment_create, bell_set, teacher_clash, teacher_clash_error
from .timetable import generate_lessons

YEAR_SETTINGS = ["name", "rounding", "min_marks_for_period", "school_day_ends_at"]
GROUP_FIELDS = ["name", "grade", "letter", "class_teacher", "shift"]


def _require_admin(actor: Any, year: AcademicYear) -> None:
    if not actor.has_perm("journal.manage_year", year):
        raise PermissionDenied(_("Only the administration of the institution may do this."))


def _in_year(year: AcademicYear, day: dt.date, field: str) -> None:
    if not year.contains(day):
        raise ValidationError(
            {
                field: _(
                    "The date %(date)s is outside the academic year %(year)s (%(start)s–%(end)s)."
                )
                % {
                    "date": day.strftime("%d.%m.%Y"),
                    "year": year.name,
                    "start": year.starts_on.strftime("%d.%m.%Y"),
                    "end": year.ends_on.strftime("%d.%m.%Y"),
                }
            }
        )


@transaction.atomic
def year_update(*, actor: Any, year: AcademicYear, **data: Any) -> AcademicYear:
    """Change the name, the rounding rule, the minimum number of marks or the end of the school
    day. The dates and periods of a year are fixed once lessons exist."""
    _require_admin(actor, year)
    unknown = set(data) - set(YEAR_SETTINGS)
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in sorted(unknown)})
    before = snapshot(year, YEAR_SETTINGS)
    for name, value in data.items():
        setattr(year, name, value.strip() if isinstance(value, str) else value)
    year.full_clean()
    changes = diff(before, snapshot(year, YEAR_SETTINGS))
    if changes:
        year.save(update_fields=[*changes, "updated_at"])
        audit_log(
            "journal.year.update",
            actor=actor,
            obj=year,
            changes=changes,
            institution_id=year.institution_id,
        )
    return year


@transaction.atomic
def holiday_add(
    *, actor: Any, year: AcademicYear, name: str, starts_on: dt.date, ends_on: dt.date | None = None
) -> Holiday:
    """A holiday or a non-working day (``ends_on`` empty: one day). Lessons already generated on
    those days stay until the lessons are regenerated from that date."""
    _require_admin(actor, year)
    ends_on = ends_on or starts_on
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the holiday a name, e.g. “Winter holidays”.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    _in_year(year, starts_on, "starts_on")
    _in_year(year, ends_on, "ends_on")
    holiday = Holiday(year=year, name=name, starts_on=starts_on, ends_on=ends_on)
    holiday.full_clean()
    holiday.save()
    audit_log(
        "journal.holiday.add",
        actor=actor,
        obj=holiday,
        institution_id=year.institution_id,
        changes={"name": name, "starts_on": starts_on, "ends_on": ends_on},
    )
    return holiday


@transaction.atomic
def holiday_remove(*, actor: Any, holiday: Holiday) -> None:
    year = holiday.year
    _require_admin(actor, year)
    audit_log(
        "journal.holiday.remove",
        actor=actor,
        obj=holiday,
        institution_id=year.institution_id,
        changes={"name": holiday.name, "starts_on": holiday.starts_on, "ends_on": holiday.ends_on},
    )
    holiday.delete()


@transaction.atomic
def group_update(*, actor: Any, group: StudyGroup, **data: Any) -> StudyGroup:
    """Rename a class or group, change its grade, letter, class teacher or shift (a class's
    subgroups that studied in its shift move with it)."""
    _require_admin(actor, group.year)
    unknown = set(data) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in sorted(unknown)})
    before = snapshot(group, GROUP_FIELDS)
    if "name" in data:
        data["name"] = " ".join((data["name"] or "").split())
    if "letter" in data:
        data["letter"] = (data["letter"] or "").strip().upper()
    for name, value in data.items():
        setattr(group, name, value)
    if (
        group.name != before["name"]
        and StudyGroup.objects.filter(year_id=group.year_id, name=group.name)
        .exclude(pk=group.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "name": _("The year already has a class or group named “%(name)s”.")
                % {"name": group.name}
            }
        )
    group.full_clean(validate_unique=False)
    changes = diff(before, snapshot(group, GROUP_FIELDS))
    if "shift" in changes:
        _move_to_shift(group, before["shift"])
    if changes:
        group.save(update_fields=[*changes, "updated_at"])
        audit_log("journal.group.update", actor=actor, obj=group, changes=changes)
    return group


def _move_to_shift(group: StudyGroup, old_shift: int) -> None:
    """Take the class's subgroups of its old shift along, and refuse the move when a
    teacher of the moved timetable would then teach two lessons at once (the lesson numbers
    stay, so the class's own timetable cannot clash); a few queries, whatever the size of the
    timetable."""
    moved = [group]
    if group.is_class:
        moved += list(StudyGroup.objects.filter(parent=group, shift=old_shift))
    for sub in moved[1:]:
        sub.shift = group.shift
    by_pk = {g.pk: g for g in moved}
    current = TimetableEntry.objects.exclude(valid_to__lt=max(group.year.starts_on, today()))
    entries = list(current.filter(group_id__in=list(by_pk)).select_related("teacher"))
    others = current.filter(
        group__year_id=group.year_id, teacher_id__in={e.teacher_id for e in entries}
    ).exclude(group_id__in=list(by_pk))
    taught: dict[tuple[int, int], list[TimetableEntry]] = {}
    for other in others.select_related("group", "subject"):
        taught.setdefault((other.teacher_id, other.weekday), []).append(other)
    slots = BellSlots.of_year(group.year_id)
    ends_on = group.year.ends_on
    for entry in entries:
        overlapping = [
            e
            for e in taught.get((entry.teacher_id, entry.weekday), [])
            if e.valid_from <= (entry.valid_to or ends_on)
            and (e.valid_to is None or e.valid_to >= entry.valid_from)
        ]
        busy = teacher_clash(slots, (by_pk[entry.group_id].shift, entry.number), overlapping)
        if busy is not None:
            reason = " ".join(teacher_clash_error(entry.teacher, busy).messages)
            raise ValidationError(
                {
                    "shift": _("The timetable does not fit the new shift: %(reason)s")
                    % {"reason": reason}
                }
            )
    StudyGroup.objects.filter(pk__in=[g.pk for g in moved[1:]]).update(shift=group.shift)


@transaction.atomic
def assignment_end(
    *, actor: Any, assignment: TeachingAssignment, ends_on: dt.date
) -> TeachingAssignment:
    """The teacher stops teaching the subject to the group after ``ends_on``."""
    _require_admin(actor, assignment.group.year)
    if ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    before = assignment.ends_on
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on", "updated_at"])
    audit_log(
        "journal.assignment.end",
        actor=actor,
        obj=assignment,
        changes={"ends_on": [before, ends_on]},
    )
    return assignment


def assignment_ensure(
    *,
    actor: Any,
    group: StudyGroup,
    subject: Subject,
    teacher: Person,
    starts_on: dt.date,
    hours_per_week: Decimal = Decimal(1),
) -> TeachingAssignment | None:
    """Make sure ``teacher`` is assigned to teach ``subject`` to ``group`` on ``starts_on`` (so
    they can keep its journal); creates the assignment when it is missing, else returns None."""
    exists = (
        TeachingAssignment.objects.active(starts_on)
        .filter(group=group, subject=subject, teacher=teacher)
        .exists()
    )
    if exists:
        return None
    return assignment_create(
        actor=actor,
        group=group,
        subject=subject,
        teacher=teacher,
        hours_per_week=hours_per_week,
        starts_on=starts_on,
    )


@transaction.atomic
def timetable_entry_end(*, actor: Any, entry: TimetableEntry, valid_to: dt.date) -> TimetableEntry:
    """The entry stops at ``valid_to`` (the last day it holds). To drop the lessons already
    generated after that day, regenerate the lessons from the next day."""
    year = entry.group.year
    _require_admin(actor, year)
    if valid_to < entry.valid_from:
        raise ValidationError(
            {
                "valid_to": _("The entry starts on %(date)s: it cannot end before that day.")
                % {"date": entry.valid_from.strftime("%d.%m.%Y")}
            }
        )
    _in_year(year, valid_to, "valid_to")
    before = entry.valid_to
    entry.valid_to = valid_to
    entry.save(update_fields=["valid_to"])
    audit_log(
        "journal.timetable.end",
        actor=actor,
        obj=entry,
        changes={"valid_to": [before, valid_to]},
    )
    return entry


@transaction.atomic
def bell_remove(*, actor: Any, bell: Bell) -> None:
    year = bell.year
    _require_admin(actor, year)
    audit_log(
        "journal.bell.remove",
        actor=actor,
        obj=bell,
        institution_id=year.institution_id,
        changes={"shift": bell.shift, "number": bell.number},
    )
    bell.delete()


# A common bell schedule: 40-minute lessons, longer breaks after the 2nd and 3rd lessons.
DEFAULT_BELLS = {
    1: ["08:00-08:40", "08:50-09:30", "09:50-10:30", "10:50-11:30", "11:40-12:20",
        "12:30-13:10", "13:20-14:00"],
    2: ["13:30-14:10", "14:20-15:00", "15:20-16:00", "16:20-17:00", "17:10-17:50",
        "18:00-18:40"],
}  # fmt: skip


def bells_fill_default(*, actor: Any, year: AcademicYear, shift: int = 1) -> list[Bell]:
    """Fill an empty shift with the common bell schedule (each bell can be changed later)."""
    _require_admin(actor, year)
    if Bell.objects.filter(year=year, shift=shift).exists():
        raise ValidationError(_("This shift already has a bell schedule."))
    out = []
    with transaction.atomic():
        for number, span in enumerate(DEFAULT_BELLS.get(shift, DEFAULT_BELLS[1]), start=1):
            start, end = (dt.time.fromisoformat(t) for t in span.split("-"))
            out.append(
                bell_set(
                    actor=actor, year=year, number=number, starts_at=start, ends_at=end, shift=shift
                )
            )
    return out


def obsolete_lessons(year: AcademicYear, *, since: dt.date):
    """Lessons from ``since`` on that the timetable no longer gives (their entry ended, or was
    removed, or the day became a holiday) and that hold nothing: no marks, attendance, homework
    or topic, and not cancelled, moved or substituted by hand."""
    gone = (
        Q(timetable_entry__isnull=True)
        | Q(date__lt=F("timetable_entry__valid_from"))
        | Q(date__gt=F("timetable_entry__valid_to"))
    )
    for start, end in year.holidays.values_list("starts_on", "ends_on"):
        gone |= Q(date__gte=start, date__lte=end)
    return (
        Lesson.objects.filter(
            gone,
            year=year,
            date__gte=since,
            topic="",
            status=Lesson.Status.HELD,
            moved_from__isnull=True,
            substitute__isnull=True,
        )
        .annotate(
            has_marks=Exists(Mark.objects.filter(lesson=OuterRef("pk"))),
            has_att=Exists(Attendance.objects.filter(lesson=OuterRef("pk"))),
            has_hw=Exists(Homework.objects.filter(lesson=OuterRef("pk"))),
        )
        .filter(has_marks=False, has_att=False, has_hw=False)
    )


@transaction.atomic
def lessons_regenerate(
    *, actor: Any, year: AcademicYear, since: dt.date | None = None
) -> tuple[int, int]:
    """Generate the lessons of the year from its timetable (idempotent). With ``since``, first
    remove the lessons from that day on that the timetable no longer gives and that hold
    nothing, so a changed timetable or a new holiday takes effect; lessons holding marks,
    attendance, homework or a topic, and lessons changed by hand, stay. Returns (created,
    removed)."""
    _require_admin(actor, year)
    removed = 0
    if since is not None:
        _in_year(year, since, "since")
        ids = list(obsolete_lessons(year, since=since).values_list("pk", flat=True))
        removed = len(ids)
        for i in range(0, len(ids), 500):
            Lesson.objects.filter(pk__in=ids[i : i + 500]).delete()
    created = generate_lessons(year, since=since)
    audit_log(
        "journal.lessons.generate",
        actor=actor,
        obj=year,
        institution_id=year.institution_id,
        changes={"since": since, "created": created, "removed": removed},
    )
    return created, removed
