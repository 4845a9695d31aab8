"""Deleting a mark: one rule for the grid, the lesson page and the API.

- A mark is deleted at once, without a reason, while it belongs to the current editing
  session: entered by the same person less than ``SETKA_MARK_FREE_DELETE_MINUTES`` minutes
  ago (settings.MARK_FREE_DELETE_MINUTES, 30 by default). The pages offer an undo for a few
  seconds after such a deletion (:func:`mark_restore`).
- An older mark, or another person's, is deleted only with a reason, which goes to its
  history (and to the family's notification).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core import clock
from setka.core.audit import audit_log

from ..models import Mark

#: How long after its deletion a mark can still be brought back by the undo (the pages show
#: the undo for a few seconds; the server allows a little more for a slow link).
UNDO_SECONDS = 120


def free_delete_minutes() -> int:
    return int(getattr(settings, "MARK_FREE_DELETE_MINUTES", 30))


def in_editing_session(actor, mark: Mark, moment: dt.datetime | None = None) -> bool:
    """Whether ``actor`` entered ``mark`` within the free-deletion window."""
    moment = moment or clock.now()
    fresh = mark.created_at >= moment - dt.timedelta(minutes=free_delete_minutes())
    return fresh and actor is not None and mark.created_by_id == actor.pk


def deletion_reason(actor, mark: Mark, reason: str | None, default: str = "") -> str:
    """The reason to record for deleting ``mark``: the one given, or — within the editing
    session — ``default``; a mark older than that needs one (``reason_required``)."""
    reason = (reason or "").strip()
    if reason:
        return reason[:500]
    if in_editing_session(actor, mark):
        return default or _("deleted right after it was entered")
    message = _(
        "The mark %(mark)s was entered more than %(minutes)s minutes ago or by someone else: "
        "say why it is deleted."
    ) % {"mark": mark.display, "minutes": free_delete_minutes()}
    raise ValidationError({"reason": ValidationError(message, code="reason_required")})


def restorable(actor, mark: Mark, moment: dt.datetime | None = None) -> bool:
    moment = moment or clock.now()
    return (
        mark.is_deleted
        and mark.updated_at >= moment - dt.timedelta(seconds=UNDO_SECONDS)
        and in_editing_session(actor, mark, moment)
    )


@transaction.atomic
def mark_restore(*, actor, mark: Mark) -> Mark:
    """Undo the deletion of a mark of the current editing session, seconds after it."""
    from .entry import check_marks_room, marks_on_lesson
    from .records import _lock, check_lesson_writable

    mark = _lock(mark)
    check_lesson_writable(actor, mark.lesson)
    if not mark.is_deleted:
        return mark
    if not restorable(actor, mark):
        raise ValidationError(
            _("This mark can no longer be brought back: enter it again."), code="too_late"
        )
    key = (mark.lesson_id, mark.student_id)
    check_marks_room(marks_on_lesson({key})[key])
    mark.is_deleted = False
    mark.save(update_fields=["is_deleted", "updated_at"])
    audit_log(
        "journal.mark.restore",
        actor=actor,
        obj=mark,
        changes={"is_deleted": [True, False], "value": [None, mark.value]},
        reason=_("undo of the deletion"),
    )
    return mark
