"""The journal API, part two: marks (entry, correction, deletion with a reason, history) and
period and year marks. See ``journal.api`` for the rules of answers."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status

from setka.core.api_errors import Id, errors_for
from setka.core.models import AuditEntry
from setka.network.models import Person
from setka.network.roles import user_roles

from . import rules
from .api import (
    api_fields,
    batch_item,
    invalid,
    lesson_for_write,
    num,
    period_out,
    read_only,
    subject_out,
    substitutes,
)
from .models import Lesson, Mark, MarkKind, Period, PeriodMark
from .schemas import (
    HistoryEntryOut,
    MarkCreateIn,
    MarkDeleteIn,
    MarkDeleteQuery,
    MarkOut,
    MarkPatchIn,
    MarksBatchIn,
    MarksBatchOut,
    PeriodMarkIn,
    PeriodMarkSetOut,
    PeriodMarksOut,
    PeriodMarksQuery,
)
from .selectors import group_students
from .services import records
from .views import journal_access_or_404

router = Router(tags=["journal"])


# --- helpers ------------------------------------------------------------------------------


def _kind(kind_id: int | None, institution_id: int) -> MarkKind | None:
    if kind_id is None:
        return None
    kind = MarkKind.objects.filter(
        pk=kind_id, institution_id=institution_id, is_active=True
    ).first()
    if kind is None:
        raise invalid("kind_id", _("Unknown mark kind."), "bad_kind")
    return kind


def _mark(request: HttpRequest, mark_id: int, *, write: bool = False) -> tuple[Mark, str]:
    """The mark with its lesson, and the user's access to its journal (404 without any)."""
    roles = user_roles(request.user)
    mark = (
        Mark.objects.select_related(
            "kind",
            "student",
            "lesson__group__year",
            "lesson__group__institution",
            "lesson__group__parent",
            "lesson__subject",
            "lesson__period",
        )
        .annotate(
            teaches=Exists(
                rules.teaching_assignments(roles.person_id).filter(
                    group_id=OuterRef("group_id"), subject_id=OuterRef("subject_id")
                )
            )
        )
        .filter(pk=mark_id)
        .first()
    )
    if mark is None:
        raise Http404
    lesson = mark.lesson
    access = rules.group_journal_access(
        request.user, lesson.group, lesson.subject_id, teaches_subject=mark.teaches
    )
    if access is None:
        raise Http404
    if write and access != rules.WRITE and not substitutes(roles.person_id, lesson):
        raise read_only()
    lesson.year = lesson.group.year
    return mark, access


# --- marks --------------------------------------------------------------------------------


@router.post(
    "/journal/marks",
    response={201: MarkOut, **errors_for(401, 403, 422)},
    summary="Enter a mark",
    description=(
        "A mark 1–5 (`value`) or, for a pass / fail subject, `passed`, for a student of the "
        "lesson's group, with a kind (the lesson's default if not given) and a comment. For "
        "the teacher of the subject in the group and the lesson's substitute; not in a closed "
        "period, not for a cancelled lesson. Several marks per lesson are allowed."
    ),
)
def mark_create(request: HttpRequest, payload: MarkCreateIn) -> Status[Any]:
    lesson, student = lesson_for_write(request, payload)
    with api_fields():
        mark = records.mark_create(
            actor=request.user,
            lesson=lesson,
            student=student,
            value=payload.value,
            passed=payload.passed,
            kind=_kind(payload.kind_id, lesson.institution_id),
            comment=payload.comment,
        )
    return Status(201, mark)


@router.post(
    "/journal/marks/batch",
    response={201: MarksBatchOut, **errors_for(401, 403, 422)},
    summary="Enter many marks",
    description=(
        "1–200 marks in one request, each as for `POST /journal/marks` (a tablet sending what "
        "it kept offline, the column of a control work). All are stored, each with its audit "
        "entry, or none: the first refused mark answers 422 with fields `marks.N.…` (N from "
        "0), or 403 when its journal can only be read."
    ),
)
def marks_create_many(request: HttpRequest, payload: MarksBatchIn) -> Status[Any]:
    lessons: dict[tuple[int, int | None, int | None], Lesson] = {}
    kinds: dict[tuple[int, int], MarkKind | None] = {}
    items = []
    for index, ref in enumerate(payload.marks):
        with batch_item(index):
            lesson_key = (ref.lesson_id, ref.group_id, ref.subject_id)
            lesson = lessons.get(lesson_key)
            lesson, student = lesson_for_write(request, ref, lesson=lesson, batch=True)
            lessons[lesson_key] = lesson
            kind_key = (ref.kind_id or 0, lesson.institution_id)
            if kind_key not in kinds:
                kinds[kind_key] = _kind(ref.kind_id, lesson.institution_id)
            items.append(
                records.NewMark(
                    lesson=lesson,
                    student=student,
                    value=ref.value,
                    passed=ref.passed,
                    kind=kinds[kind_key],
                    comment=ref.comment,
                )
            )
    try:
        with api_fields():
            marks = records.marks_create_many(actor=request.user, items=items)
    except records.ItemError as exc:
        with batch_item(exc.index), api_fields():
            raise exc.error from exc
    return Status(201, {"created": len(marks), "marks": marks})


@router.get(
    "/journal/marks/{mark_id}",
    response={200: MarkOut, **errors_for(401, 404, 422)},
    summary="One mark",
    description="A mark, also a deleted one (`is_deleted`), for the readers of its journal.",
)
def mark_detail(request: HttpRequest, mark_id: Id) -> Mark:
    mark, _access = _mark(request, mark_id)
    return mark


@router.patch(
    "/journal/marks/{mark_id}",
    response={200: MarkOut, **errors_for(401, 403, 404, 422)},
    summary="Correct a mark",
    description=(
        "Only the fields sent change; the old values stay in the history with the `reason`. "
        "A deleted mark cannot be corrected."
    ),
)
def mark_update(request: HttpRequest, mark_id: Id, payload: MarkPatchIn) -> Mark:
    mark, _access = _mark(request, mark_id, write=True)
    data = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {k: data[k] for k in ("value", "passed", "comment") if k in data}
    if data.get("kind_id") is not None:
        changes["kind"] = _kind(data["kind_id"], mark.institution_id)
    with api_fields():
        return records.mark_update(actor=request.user, mark=mark, reason=payload.reason, **changes)


@router.delete(
    "/journal/marks/{mark_id}",
    response={200: MarkOut, **errors_for(401, 403, 404, 422)},
    summary="Delete a mark, with a reason",
    description=(
        'Give the reason in a JSON body `{"reason": …}` or as `?reason=`: without one the '
        "answer is 422. Nothing is lost: the mark keeps its row, flagged `is_deleted`, and its "
        "history."
    ),
)
def mark_delete(
    request: HttpRequest,
    mark_id: Id,
    query: Query[MarkDeleteQuery],
    payload: Body[MarkDeleteIn | None] = None,
) -> Mark:
    mark, _access = _mark(request, mark_id, write=True)
    reason = (payload.reason if payload is not None else "") or query.reason
    with api_fields():
        return records.mark_delete(actor=request.user, mark=mark, reason=reason)


def _history_entry(entry: AuditEntry) -> dict[str, Any]:
    changes = []
    for name, pair in (entry.changes or {}).items():
        old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        changes.append({"field": name, "old": old, "new": new})
    return {
        "id": entry.pk,
        "at": entry.created_at,
        "action": entry.action.rsplit(".", 1)[-1],
        "actor_id": entry.actor_id,
        "actor": entry.actor.display_name if entry.actor else _("the system"),
        "changes": changes,
        "reason": entry.reason,
    }


@router.get(
    "/journal/marks/{mark_id}/history",
    response={200: list[HistoryEntryOut], **errors_for(401, 403, 404, 422)},
    summary="The history of a mark",
    description=(
        "Every change, the oldest first: who, when, what (`create`, `update`, `delete`), the "
        "old and the new values, and the reason. For whoever reads the group's journal: the "
        "teacher of the subject, the class teacher and the administration."
    ),
)
def mark_history(request: HttpRequest, mark_id: Id) -> list[dict[str, Any]]:
    # Whoever may read the journal of the group (its teachers, the class teacher, the
    # administration) sees the history of its marks, as on the lesson page.
    mark, _access = _mark(request, mark_id)
    entries = (
        AuditEntry.objects.filter(object_type=Mark._meta.label_lower, object_id=mark.pk)
        .select_related("actor__person")
        .order_by("created_at", "id")
    )
    return [_history_entry(e) for e in entries]


# --- period and year marks ------------------------------------------------------------------


def _period(group: Any, period_id: int | None) -> Period | None:
    if period_id is None:
        return None
    period = Period.objects.filter(pk=period_id, year_id=group.year_id).first()
    if period is None:
        raise invalid("period_id", _("This period is not in the year of the group."), "bad_period")
    return period


def _period_mark_out(obj: PeriodMark) -> dict[str, Any]:
    if obj.not_certified:
        text = "н/а"
    elif obj.value is not None:
        text = str(obj.value)
    else:
        text = "" if obj.passed is None else ("зач" if obj.passed else "нз")
    return {
        "value": obj.value,
        "passed": obj.passed,
        "not_certified": obj.not_certified,
        "text": text,
        "average": num(obj.average),
        "suggested": obj.suggested,
        "is_override": obj.is_override,
        "updated_at": obj.updated_at,
    }


@router.get(
    "/journal/groups/{group_id}/subjects/{subject_id}/period-marks",
    response={200: PeriodMarksOut, **errors_for(401, 404, 422)},
    summary="Period (or year) marks with the suggestions",
    description=(
        "For each student of the period (the year without `period_id`): the weighted average "
        "now, the number of marks, the suggested mark by the institution's rounding rule and "
        "minimum number of marks, and the mark set, if any. For the readers of the journal."
    ),
)
def period_marks(
    request: HttpRequest, group_id: Id, subject_id: Id, query: Query[PeriodMarksQuery]
) -> dict[str, Any]:
    ja = journal_access_or_404(request.user, group_id, subject_id)
    group, subject, year = ja.group, ja.subject, ja.group.year
    period = _period(group, query.period_id)
    start, end = (period.starts_on, period.ends_on) if period else (year.starts_on, year.ends_on)
    hints = records.suggestions(group, subject, period, year)
    set_marks = {
        pm.student_id: pm
        for pm in PeriodMark.objects.filter(group=group, subject_id=subject.pk, period=period)
    }
    rows = []
    for pid, name, left_on in group_students(group, start, end):
        hint = hints.get(pid)
        pm = set_marks.get(pid)
        rows.append(
            {
                "student_id": pid,
                "name": name,
                "left_on": left_on,
                "average": num(hint.average) if hint else None,
                "count": hint.count if hint else 0,
                "suggested": hint.suggested if hint else None,
                "mark": _period_mark_out(pm) if pm is not None else None,
            }
        )
    return {
        "group": {"id": group.pk, "name": group.name},
        "subject": subject_out(subject),
        "period": period_out(period) if period else None,
        "access": ja.access,
        "students": rows,
    }


@router.put(
    "/journal/groups/{group_id}/subjects/{subject_id}/period-marks",
    response={200: PeriodMarkSetOut, **errors_for(401, 403, 404, 422)},
    summary="Set a period (or year) mark",
    description=(
        "Confirm the suggestion or override it: `value` 1–5, `passed` for a pass / fail "
        "subject, or `not_certified` (н/а). Without `period_id` it is the year mark. For the "
        "teacher of the subject in the group; not in a closed period."
    ),
)
def period_mark_set(
    request: HttpRequest, group_id: Id, subject_id: Id, payload: PeriodMarkIn
) -> dict[str, Any]:
    ja = journal_access_or_404(request.user, group_id, subject_id)
    if not ja.writes:
        raise read_only()
    period = _period(ja.group, payload.period_id)
    student = Person.objects.filter(pk=payload.student_id).first()
    if student is None:
        raise invalid("student_id", _("This student is not in the group."), "not_in_group")
    with api_fields():
        obj = records.period_mark_set(
            actor=request.user,
            group=ja.group,
            subject=ja.subject,
            student=student,
            period=period,
            value=payload.value,
            passed=payload.passed,
            not_certified=payload.not_certified,
        )
    return {**_period_mark_out(obj), "student_id": student.pk, "period_id": obj.period_id}
