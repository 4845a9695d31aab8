"""The notification centre's step of ``python -m setka demo``: the demo parent, student and
teacher find a few unread notifications in their bell, told of what the journal's demo
really holds (it writes its year in bulk, past the services that tell people).

- the parent (and the child): the child's latest marks and absence;
- the teacher: the lesson of a colleague they cover next week, and the closed period.

Idempotent: nothing is told twice (a person who already has notifications is left alone)."""

from __future__ import annotations

from setka.journal import notify
from setka.journal.models import Attendance, Lesson, Mark, Period
from setka.network.demo import DemoContext, register_step
from setka.network.models import Guardianship, Person

from .models import Notification

MARKS = 3


@register_step("notifications")
def build_notifications(ctx: DemoContext) -> None:
    logins = ("parent", "teacher")
    if Notification.objects.filter(recipient__user__username__in=logins).exists():
        return  # one query on a second build
    people = {
        p.user.username: p
        for p in Person.objects.filter(user__username__in=logins).select_related("user")
        if p.user is not None
    }
    if len(people) < len(logins):
        return  # a database without the demo logins: nobody to tell
    parent, teacher = people["parent"], people["teacher"]
    children = list(
        Guardianship.objects.active(ctx.today)
        .filter(guardian=parent)
        .values_list("student_id", flat=True)
    )
    marks = list(
        Mark.objects.filter(student_id__in=children, is_deleted=False, date__lte=ctx.today)
        .order_by("-date", "-pk")
        .values_list("pk", "created_by__person")[:MARKS]
    )
    if marks:
        notify.marks_created([pk for pk, _by in reversed(marks)], actor=marks[0][1])
    absence = (
        Attendance.objects.filter(student_id__in=children, date__lte=ctx.today)
        .exclude(code="")
        .select_related("lesson__institution", "lesson__subject", "student", "updated_by__person")
        .order_by("-date", "-pk")
        .first()
    )
    if absence is not None:
        by = getattr(absence.updated_by, "person", None)
        notify.absence(absence.lesson, absence.student, absence.code, actor=by)
    covered = (
        Lesson.objects.filter(substitute=teacher, date__gt=ctx.today)
        .select_related("institution", "group", "subject", "substitute")
        .order_by("date", "number")
        .first()
    )
    if covered is not None:
        notify.substitution(covered, actor=None, previous_substitute_id=None)
    closed = (
        Period.objects.filter(is_closed=True, year__institution__memberships__person=teacher)
        .select_related("year__institution")
        .order_by("-ends_on")
        .first()
    )
    if closed is not None:
        notify.period(closed, actor=None, reopened=False)
    ctx.counts["notifications"] = Notification.objects.count()
