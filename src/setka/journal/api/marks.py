"""The journal API: marks — entry (one or a batch), correction, deletion with a reason, and
their history. See ``api.common`` for the rules of answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status

from setka.core.api_errors import Id, errors_for
from setka.core.audit import audit_entries_for
from setka.core.models import AuditEntry

from .. import access
from ..models import Mark, MarkKind
from ..schemas import (
    HistoryEntryOut,
    MarkCreateIn,
    MarkDeleteIn,
    MarkDeleteQuery,
    MarkOut,
    MarkPatchIn,
    MarksBatchIn,
    MarksBatchOut,
)
from ..services import records
from .common import (
    BatchLesson,
    api_fields,
    batch_item,
    batch_lesson,
    invalid,
    lesson_for_write,
    read_only,
)

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


def _mark(request: HttpRequest, mark_id: int, *, write: bool = False) -> Mark:
    """The mark with its lesson (404 without access to its journal; 403 for a write the user
    may not make)."""
    mark, ja = access.mark_for_user(request.user, mark_id)
    if write and not ja.can_write(mark.lesson):
        raise read_only()
    return mark


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
    lesson, student, grant = lesson_for_write(request, payload)
    with api_fields():
        mark = records.mark_create(
            grant=grant,
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
    lessons: dict[tuple[int, int | None, int | None], BatchLesson] = {}
    kinds: dict[tuple[int, int], MarkKind | None] = {}
    items = []
    for index, ref in enumerate(payload.marks):
        with batch_item(index):
            lesson_key = (ref.lesson_id, ref.group_id, ref.subject_id)
            if lesson_key not in lessons:
                lessons[lesson_key] = batch_lesson(request, ref)
            batch = lessons[lesson_key]
            lesson = batch.lesson
            student, grant = batch.student(ref.student_id)
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
                    grant=grant,
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
    return _mark(request, mark_id)


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
    mark = _mark(request, mark_id, write=True)
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
        "One rule with the grid and the lesson page: a mark you entered less than "
        "`SETKA_MARK_FREE_DELETE_MINUTES` minutes ago (30 by default) is deleted without a "
        "reason; an older mark, or someone else's, needs one — in a JSON body "
        '`{"reason": …}` or as `?reason=` — and without it the answer is 422 (code '
        "`reason_required`). The reason goes to the mark's history and to the family's "
        "notification. Nothing is lost: the mark keeps its row, flagged `is_deleted`."
    ),
)
def mark_delete(
    request: HttpRequest,
    mark_id: Id,
    query: Query[MarkDeleteQuery],
    payload: Body[MarkDeleteIn | None] = None,
) -> Mark:
    mark = _mark(request, mark_id, write=True)
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
    mark = _mark(request, mark_id)
    return [_history_entry(e) for e in audit_entries_for(mark).order_by("created_at", "id")]
