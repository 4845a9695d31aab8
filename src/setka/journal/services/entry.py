"""What may be entered for a lesson: nothing ahead of the lesson's day (the grid, the lesson
page, the API and its batch, the marks import), and at most four marks a student (whoever
types them: the grid, the lesson page, the API and its batch)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from setka.core import clock

from ..models import Lesson, Mark

#: The most marks one student may have for one lesson (the grid's cell, the API, the batch).
MAX_MARKS_PER_LESSON = 4


def check_marks_room(existing: int, adding: int = 1) -> None:
    """Refuse ``adding`` marks to a student who has ``existing`` for the lesson when they would
    be more than :data:`MAX_MARKS_PER_LESSON`."""
    if existing + adding > MAX_MARKS_PER_LESSON:
        raise ValidationError(
            {"value": ValidationError(_("No more than four marks per lesson."), code="too_many")}
        )


def marks_on_lesson(pairs: set[tuple[int, int]]) -> Counter[tuple[int, int]]:
    """How many marks (not deleted) each (lesson, student) of ``pairs`` has: one query."""
    rows = Mark.objects.filter(
        lesson_id__in={lesson for lesson, _student in pairs},
        student_id__in={student for _lesson, student in pairs},
        is_deleted=False,
    ).values_list("lesson_id", "student_id")
    return Counter(row for row in rows if row in pairs)


def is_ahead(day: dt.date) -> bool:
    """Whether a lesson on ``day`` has not taken place yet (its day is after today)."""
    return day > clock.today()


def ahead_message(day: dt.date) -> str:
    return _(
        "The lesson of %(date)s has not taken place yet: its marks and attendance are entered "
        "on its day or later."
    ) % {"date": day.strftime("%d.%m.%Y")}


def check_lesson_held(lesson: Lesson) -> None:
    """Marks and attendance are entered for a lesson on its day or later, never ahead."""
    if is_ahead(lesson.date):
        raise ValidationError(
            {"lesson": ValidationError(ahead_message(lesson.date), code="future_lesson")}
        )
