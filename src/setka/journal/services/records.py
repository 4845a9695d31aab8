"""Marks, attendance and period marks."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core import clock
from setka.core.audit import audit_log, audit_log_many
from setka.network.models import Person

from .. import notify
from ..access import LessonGrant
from ..averages import suggest_mark, weighted_average
from ..marktext import mark_text
from ..models import (
    AcademicYear,
    Attendance,
    AttendanceCode,
    GroupMember,
    Lesson,
    Mark,
    MarkKind,
    Period,
    PeriodMark,
    StudyGroup,
    Subject,
)
from ..rules import WRITE, can_write_lesson, group_journal_access
from .deletion import deletion_reason
from .entry import check_lesson_held, check_marks_room, marks_on_lesson

PASS_TOKENS = {
    "зач": True,
    "з": True,
    "+": True,
    "pass": True,
    "нз": False,
    "-": False,
    "fail": False,
}
ATTENDANCE_ALIASES = {
    "н": "Н",
    "h": "Н",
    "n": "Н",
    "б": "Б",
    "b": "Б",
    "уп": "УП",
    "у": "УП",
    "u": "УП",
    "оп": "ОП",
    "о": "ОП",
    "o": "ОП",
}


# --- checks -----------------------------------------------------------------------------


def check_lesson_writable(actor, lesson: Lesson, grant: LessonGrant | None = None) -> None:
    """The actor may write the lesson (``rules.can_write_lesson``, or a ``grant`` that the
    access layer made for this actor and lesson), and it is open: not in a closed period,
    not cancelled."""
    if not (grant is not None and grant.covers(actor, lesson)) and not can_write_lesson(
        actor, lesson
    ):
        raise PermissionDenied(_("You do not teach this lesson."))
    if lesson.period.is_closed:
        raise ValidationError(
            _(
                "The period “%(period)s” is closed: its marks can no longer be changed. Ask the "
                "administration to reopen it."
            )
            % {"period": lesson.period.name},
            code="locked",
        )
    if lesson.is_cancelled:
        raise ValidationError(
            _("The lesson is cancelled: nothing can be entered for it."), code="cancelled"
        )


def check_student_in_group(
    student_id: int, lesson: Lesson, grant: LessonGrant | None = None
) -> None:
    """The student is a member of the lesson's group on its day (or the access layer's
    ``grant`` for this lesson names them so)."""
    if grant is not None and grant.lesson_id == lesson.pk and student_id in grant.members:
        return
    group_ids = [lesson.group_id]
    if not (
        GroupMember.objects.active(lesson.date)
        .filter(group_id__in=group_ids, student_id=student_id)
        .exists()
    ):
        raise ValidationError(
            {
                "student": _("This student is not in the group “%(group)s” on %(date)s.")
                % {"group": lesson.group.name, "date": lesson.date.strftime("%d.%m.%Y")}
            },
            code="not_in_group",
        )


DEFAULT_KIND_ATTR = "_setka_default_kind"


def remember_default_kind(lesson: Lesson, kind: MarkKind) -> None:
    """Keep on ``lesson`` its default kind, read by the caller as ``default_kind`` would."""
    lesson.__dict__[DEFAULT_KIND_ATTR] = kind


def default_kind(lesson: Lesson) -> MarkKind:
    """The first active kind of the institution (in the kinds' order); for a control work,
    the first control kind if there is one."""
    known = lesson.__dict__.get(DEFAULT_KIND_ATTR)
    if known is not None:
        return known
    kinds = list(MarkKind.objects.filter(institution_id=lesson.institution_id, is_active=True))
    if not kinds:
        raise ValidationError(_("The institution has no mark kinds yet."), code="no_kinds")
    if lesson.kind == Lesson.Kind.CONTROL:
        control = [k for k in kinds if k.is_control]
        if control:
            return control[0]
    return kinds[0]


def _clean_value(subject: Subject, value: Any, passed: Any) -> tuple[int | None, bool | None]:
    if subject.is_pass_fail:
        if value is not None:
            raise ValidationError(
                {
                    "value": _("“%(subject)s” is graded pass / fail, not 1–5.")
                    % {"subject": subject.name}
                },
                code="pass_fail_only",
            )
        if passed is None:
            raise ValidationError({"passed": _("Say whether the work is passed.")}, code="required")
        return None, bool(passed)
    if passed is not None:
        raise ValidationError(
            {"passed": _("“%(subject)s” is graded with marks 1–5.") % {"subject": subject.name}},
            code="marks_only",
        )
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(
            {
                "value": _("A mark must be a whole number from 1 to 5, not “%(value)s”.")
                % {"value": value}
            },
            code="out_of_scale",
        )
    return value, None


def _mark_state(mark: Mark) -> dict[str, Any]:
    return {
        "value": mark.value,
        "passed": mark.passed,
        "kind": mark.kind_id,
        "comment": mark.comment,
        "is_deleted": mark.is_deleted,
    }


# --- marks --------------------------------------------------------------------------------


@dataclass
class NewMark:
    """One mark of :func:`marks_create_many`: what :func:`mark_create` takes."""

    lesson: Lesson
    student: Person
    value: int | None = None
    passed: bool | None = None
    kind: MarkKind | None = None
    comment: str = ""
    grant: LessonGrant | None = None  # journal.access's answer for the lesson, if asked


class ItemError(Exception):
    """A mark of a batch that cannot be stored: its index and the error."""

    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error


def _new_mark(actor, item: NewMark, *, kind: MarkKind | None, existing: int) -> Mark:
    """A checked, unsaved mark: the checks of :func:`mark_create` and :func:`marks_create_many`
    (``kind`` stands for ``item.kind``: the lesson's default when None; ``existing`` is how
    many marks the student has for the lesson already)."""
    lesson, student = item.lesson, item.student
    check_lesson_writable(actor, lesson, item.grant)
    check_lesson_held(lesson)
    check_student_in_group(student.pk, lesson, item.grant)
    value, passed = _clean_value(lesson.subject, item.value, item.passed)
    check_marks_room(existing)
    kind = kind or default_kind(lesson)
    if kind.institution_id != lesson.institution_id:
        raise ValidationError({"kind": _("Unknown mark kind.")}, code="bad_kind")
    return Mark(
        institution_id=lesson.institution_id,
        lesson=lesson,
        student=student,
        group_id=lesson.group_id,
        subject_id=lesson.subject_id,
        date=lesson.date,
        value=value,
        passed=passed,
        kind=kind,
        comment=(item.comment or "").strip()[:500],
        created_by=actor,
    )


def _created(mark: Mark) -> dict[str, list[Any]]:
    """The audit changes of a new mark."""
    return {k: [None, v] for k, v in _mark_state(mark).items() if k != "is_deleted"}


@transaction.atomic
def mark_create(
    *,
    actor,
    lesson: Lesson,
    student: Person,
    value: int | None = None,
    passed: bool | None = None,
    kind: MarkKind | None = None,
    comment: str = "",
    grant: LessonGrant | None = None,
) -> Mark:
    item = NewMark(lesson, student, value, passed, kind, comment, grant)
    key = (lesson.pk, student.pk)
    mark = _new_mark(actor, item, kind=kind, existing=marks_on_lesson({key})[key])
    mark.save(force_insert=True)
    audit_log("journal.mark.create", actor=actor, obj=mark, changes=_created(mark))
    notify.on_marks_created([mark], actor=actor)
    return mark


@transaction.atomic
def marks_create_many(*, actor, items: list[NewMark]) -> list[Mark]:
    """Many marks at once (an offline tablet sending its queue, a column of a control work):
    every mark is checked as by :func:`mark_create` and gets its own audit entry; the first
    bad one raises :class:`ItemError` with its index and nothing is stored. The marks and
    their audit entries are written with two bulk inserts."""
    kinds_of: dict[tuple[int, str], MarkKind] = {}
    marks = []
    counts = marks_on_lesson({(item.lesson.pk, item.student.pk) for item in items})
    for index, item in enumerate(items):
        lesson = item.lesson
        try:
            kind = item.kind
            if kind is None:
                key = (lesson.institution_id, lesson.kind)
                if key not in kinds_of:
                    kinds_of[key] = default_kind(lesson)
                kind = kinds_of[key]
            pair = (lesson.pk, item.student.pk)
            marks.append(_new_mark(actor, item, kind=kind, existing=counts[pair]))
            counts[pair] += 1
        except (ValidationError, PermissionDenied) as exc:
            raise ItemError(index, exc) from exc
    Mark.objects.bulk_create(marks)
    audit_log_many("journal.mark.create", actor=actor, objects=[(m, _created(m)) for m in marks])
    notify.on_marks_created(marks, actor=actor)
    return marks


#: The fields of a mark that its writes change, re-read under the row lock.
_MARK_STATE_FIELDS = ("value", "passed", "kind_id", "comment", "is_deleted", "updated_at")


def _lock(mark: Mark) -> Mark:
    """Lock the mark's row for the rest of the transaction and bring ``mark`` up to date with
    it: a correction or a deletion decides on the state it replaces, not on the one its
    caller read before, so parallel writes to one mark queue up and its history chains (each
    entry's old value is the previous entry's new one), and a mark deleted meanwhile stays
    deleted. (SQLite ignores FOR UPDATE; its IMMEDIATE transactions serialise the writers.)"""
    current = Mark.objects.select_for_update().values(*_MARK_STATE_FIELDS).get(pk=mark.pk)
    for name, value in current.items():
        setattr(mark, name, value)
    return mark


@transaction.atomic
def mark_update(*, actor, mark: Mark, **data: Any) -> Mark:
    """Correct a mark (only the fields in ``data``); refused for a deleted mark."""
    return _mark_update(actor, _lock(mark), data)


def _mark_update(actor, mark: Mark, data: dict[str, Any]) -> Mark:
    """:func:`mark_update` of a mark whose row the transaction holds locked and has read."""
    lesson = mark.lesson
    check_lesson_writable(actor, lesson)
    check_lesson_held(lesson)
    if mark.is_deleted:
        raise ValidationError(_("This mark has been deleted."), code="deleted")
    before = _mark_state(mark)
    value = data.get("value", mark.value)
    passed = data.get("passed", mark.passed)
    mark.value, mark.passed = _clean_value(lesson.subject, value, passed)
    if "kind" in data and data["kind"] is not None:
        if data["kind"].institution_id != mark.institution_id:
            raise ValidationError({"kind": _("Unknown mark kind.")}, code="bad_kind")
        mark.kind = data["kind"]
    if "comment" in data:
        mark.comment = (data["comment"] or "").strip()[:500]
    after = _mark_state(mark)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        mark.save(update_fields=["value", "passed", "kind", "comment", "updated_at"])
        audit_log(
            "journal.mark.update",
            actor=actor,
            obj=mark,
            changes=changes,
            reason=data.get("reason", ""),
        )
        if "value" in changes or "passed" in changes:
            old = mark_text(before["value"], before["passed"])
            notify.on_mark_changed(mark, old=old, actor=actor, reason=data.get("reason", ""))
    return mark


@transaction.atomic
def mark_delete(*, actor, mark: Mark, reason: str = "") -> Mark:
    """Flag a mark deleted; its row and its history stay. A reason is needed once the mark is
    older than the editing session (:mod:`.deletion`)."""
    return _mark_delete(actor, _lock(mark), reason)


def _mark_delete(actor, mark: Mark, reason: str, default: str = "") -> Mark:
    """:func:`mark_delete` of a mark whose row the transaction holds locked and has read."""
    check_lesson_writable(actor, mark.lesson)
    reason = deletion_reason(actor, mark, reason, default)
    if not mark.is_deleted:
        mark.is_deleted = True
        mark.save(update_fields=["is_deleted", "updated_at"])
        audit_log(
            "journal.mark.delete",
            actor=actor,
            obj=mark,
            changes={"is_deleted": [False, True], "value": [mark.value, None]},
            reason=reason,
        )
        old = mark_text(mark.value, mark.passed)
        notify.on_mark_changed(mark, old=old, actor=actor, reason=reason, deleted=True)
    return mark


# --- attendance ---------------------------------------------------------------------------


def normalise_attendance(code: str | None) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    upper = code.upper()
    if upper in AttendanceCode.values:
        return upper
    alias = ATTENDANCE_ALIASES.get(code.lower())
    if alias is None:
        raise ValidationError(
            {"code": _("Unknown attendance code “%(code)s”. Use Н, Б, УП or ОП.") % {"code": code}},
            code="bad_code",
        )
    return alias


@transaction.atomic
def attendance_set(
    *,
    actor,
    lesson: Lesson,
    student: Person,
    code: str | None,
    comment: str = "",
    grant: LessonGrant | None = None,
) -> Attendance:
    check_lesson_writable(actor, lesson, grant)
    code = normalise_attendance(code)
    if code:
        check_lesson_held(lesson)
    check_student_in_group(student.pk, lesson, grant)
    row = Attendance.objects.select_for_update().filter(lesson=lesson, student=student).first()
    before = row.code if row else ""
    if row is None:
        row = Attendance(
            institution_id=lesson.institution_id,
            lesson=lesson,
            student=student,
            group_id=lesson.group_id,
            date=lesson.date,
        )
    if before == code and row.pk and row.comment == comment:
        return row
    row.code = code
    row.comment = (comment or "").strip()[:300]
    row.updated_by = actor
    row.save()
    audit_log("journal.attendance.set", actor=actor, obj=row, changes={"code": [before, code]})
    if code != before:
        notify.on_absence(lesson, student, code, actor=actor)
    return row


# --- the grid cell: all marks and the attendance of one student at one lesson ---------------


@dataclass
class CellResult:
    marks: list[Mark] = field(default_factory=list)
    attendance: str = ""
    deleted: list[int] = field(default_factory=list)  # the marks the save deleted (the undo)


def parse_cell(text: str, subject: Subject) -> tuple[list[tuple[int | None, bool | None]], str]:
    """``"5 4"`` → two marks; ``"Н"`` → absent; ``"ОП 5"`` → late and a 5; ``"зач"`` → passed."""
    marks: list[tuple[int | None, bool | None]] = []
    attendance = ""
    for token in text.replace(",", " ").replace("/", " ").split():
        low = token.lower()
        if low in PASS_TOKENS and not (low in ("-", "+") and not subject.is_pass_fail):
            marks.append(_clean_value(subject, None, PASS_TOKENS[low]))
        elif token.isascii() and token.isdigit():
            if len(token) > 1 and all(c in "12345" for c in token):  # "54" typed fast = 5 and 4
                marks.extend(_clean_value(subject, int(c), None) for c in token)
            else:
                marks.append(_clean_value(subject, int(token), None))
        elif any(unicodedata.category(c) in ("Nd", "No", "Nl") for c in token):
            # "²", "٥", "５": digits of other scripts are not marks (nor is int() of them)
            raise ValidationError(
                {
                    "value": ValidationError(
                        _("Type marks with the digits 1–5: “%(value)s” is not a mark.")
                        % {"value": token[:10]},
                        code="bad_value",
                    )
                }
            )
        else:
            if attendance:
                raise ValidationError(
                    {"code": _("Only one attendance code per lesson.")}, code="bad_code"
                )
            attendance = normalise_attendance(token)
    check_marks_room(0, len(marks))
    return marks, attendance


@transaction.atomic
def cell_save(
    *,
    actor,
    lesson: Lesson,
    student: Person,
    text: str,
    grant: LessonGrant | None = None,
    reason: str = "",
) -> CellResult:
    """Make the cell hold exactly what was typed: unchanged marks stay, changed ones are
    updated, removed ones are deleted (with the reason "cleared in the journal"), new ones are
    added. Two teachers saving the same cell: the last write wins, both are in the history."""
    check_lesson_writable(actor, lesson, grant)
    wanted, code = parse_cell(text, lesson.subject)
    check_student_in_group(student.pk, lesson, grant)
    existing = list(
        Mark.objects.select_for_update()
        .filter(lesson=lesson, student=student, is_deleted=False)
        .order_by("id")
    )
    result = CellResult()
    kind = None
    for i, (value, passed) in enumerate(wanted):
        if i < len(existing):
            mark = existing[i]
            if (mark.value, mark.passed) != (value, passed):
                mark = _mark_update(actor, mark, {"value": value, "passed": passed})
            result.marks.append(mark)
        else:
            kind = kind or default_kind(lesson)
            result.marks.append(
                mark_create(
                    actor=actor,
                    lesson=lesson,
                    student=student,
                    value=value,
                    passed=passed,
                    kind=kind,
                    grant=grant,
                )
            )
    for mark in existing[len(wanted) :]:
        _mark_delete(actor, mark, reason, _("cleared in the journal"))
        result.deleted.append(mark.pk)
    current = (
        Attendance.objects.filter(lesson=lesson, student=student)
        .values_list("code", flat=True)
        .first()
    )
    if (current or "") != code:
        attendance_set(actor=actor, lesson=lesson, student=student, code=code, grant=grant)
    result.attendance = code
    return result


# --- period and year marks ------------------------------------------------------------------


@dataclass
class Suggestion:
    average: Decimal | None
    count: int
    suggested: int | None


def suggestions(
    group: StudyGroup, subject: Subject, period: Period | None, year: AcademicYear
) -> dict[int, Suggestion]:
    """Per student: the weighted average of the period (or the year) and the suggested mark."""
    qs = Mark.objects.filter(group=group, subject=subject, is_deleted=False, value__isnull=False)
    if period is not None:
        qs = qs.filter(date__gte=period.starts_on, date__lte=period.ends_on)
    else:
        qs = qs.filter(date__gte=year.starts_on, date__lte=year.ends_on)
    per_student: dict[int, list[tuple[int, Decimal]]] = {}
    for student_id, value, weight in qs.values_list("student_id", "value", "kind__weight"):
        if value is not None:  # the query excludes pass/fail marks already
            per_student.setdefault(student_id, []).append((value, weight))
    out = {}
    for student_id, marks in per_student.items():
        avg = weighted_average(marks)
        out[student_id] = Suggestion(
            avg,
            len(marks),
            suggest_mark(
                avg, len(marks), rounding=year.rounding, min_marks=year.min_marks_for_period
            ),
        )
    return out


@transaction.atomic
def period_mark_set(
    *,
    actor,
    group: StudyGroup,
    subject: Subject,
    student: Person,
    period: Period | None,
    value: int | None = None,
    passed: bool | None = None,
    not_certified: bool = False,
) -> PeriodMark:
    if group_journal_access(actor, group, subject.pk) != WRITE:
        raise PermissionDenied(_("You do not teach this subject in this group."))
    year = group.year
    if period is not None:
        if period.year_id != year.pk:
            raise ValidationError(
                {"period": _("The period belongs to another year.")}, code="bad_period"
            )
        if period.is_closed:
            raise ValidationError(
                _("The period “%(period)s” is closed.") % {"period": period.name}, code="locked"
            )
    if not GroupMember.objects.filter(group=group, student=student).exists():
        raise ValidationError(
            {"student": _("This student is not in the group.")}, code="not_in_group"
        )
    if not_certified:
        value, passed = None, None
    else:
        value, passed = _clean_value(subject, value, passed)
    hint = suggestions(group, subject, period, year).get(student.pk, Suggestion(None, 0, None))
    obj = (
        PeriodMark.objects.select_for_update()
        .filter(group=group, subject=subject, student=student, period=period)
        .first()
    )
    before = (
        {"value": obj.value, "passed": obj.passed, "not_certified": obj.not_certified}
        if obj
        else {}
    )
    if obj is None:
        obj = PeriodMark(
            institution_id=group.institution_id,
            group=group,
            subject=subject,
            student=student,
            period=period,
        )
    obj.value, obj.passed, obj.not_certified = value, passed, not_certified
    obj.average, obj.suggested = hint.average, hint.suggested
    obj.is_override = not subject.is_pass_fail and not not_certified and value != hint.suggested
    obj.updated_by = actor
    obj.save()
    after = {"value": value, "passed": passed, "not_certified": not_certified}
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes:
        audit_log("journal.period_mark.set", actor=actor, obj=obj, changes=changes)
    return obj


@transaction.atomic
def period_close(*, actor, period: Period) -> Period:
    if not actor.has_perm("journal.manage_year", period.year):
        raise PermissionDenied
    if not period.is_closed:
        period.is_closed = True
        period.closed_at = clock.now()
        period.save(update_fields=["is_closed", "closed_at"])
        audit_log(
            "journal.period.close",
            actor=actor,
            obj=period,
            changes={"is_closed": [False, True]},
            institution_id=period.year.institution_id,
        )
        notify.on_period(period, actor=actor, reopened=False)
    return period


@transaction.atomic
def period_reopen(*, actor, period: Period, reason: str) -> Period:
    if not actor.has_perm("journal.manage_year", period.year):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Say why the period is reopened.")}, code="reason_required"
        )
    if period.is_closed:
        period.is_closed = False
        period.save(update_fields=["is_closed"])
        audit_log(
            "journal.period.reopen",
            actor=actor,
            obj=period,
            changes={"is_closed": [True, False]},
            reason=reason.strip(),
            institution_id=period.year.institution_id,
        )
        notify.on_period(period, actor=actor, reopened=True, reason=reason.strip())
    return period
