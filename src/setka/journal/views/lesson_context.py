"""What the lesson page shows: the students with their marks, attendance and the history of
each mark (from the audit log), the homework, and the forms for whoever may change them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from setka.core.audit import audit_entries_for
from setka.network.models import Membership, Person

from ..access import JournalAccess
from ..held import lesson_is_held
from ..marktext import mark_text
from ..models import Attendance, AttendanceCode, GroupMember, Homework, Lesson, Mark, MarkKind
from ..selectors import group_students
from .lesson_forms import HomeworkForm, MoveForm, TopicForm


def institution_teachers(lesson: Lesson):
    return (
        Person.objects.filter(
            pk__in=Membership.objects.active()
            .filter(institution_id=lesson.institution_id, role=Membership.Role.TEACHER)
            .values("person_id")
        )
        .exclude(pk=lesson.teacher_id)
        .order_by("surname", "given_name")
    )


def describe(changes: dict[str, Any], kinds: dict[int, str]) -> list[str]:
    def show(field: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if field == "passed":
            return mark_text(None, bool(value))
        if field == "kind":
            return kinds.get(value, "?")
        if field == "is_deleted":
            return _("deleted") if value else _("restored")
        return str(value)

    labels = {
        "value": _("mark"),
        "passed": _("mark"),
        "kind": _("kind"),
        "comment": _("comment"),
        "is_deleted": _("state"),
    }
    lines = []
    for field, pair in changes.items():
        if field not in labels or not isinstance(pair, list) or len(pair) != 2:
            continue
        if field == "is_deleted":
            lines.append(show(field, pair[1]))
        else:
            lines.append(f"{labels[field]}: {show(field, pair[0])} → {show(field, pair[1])}")
    return lines


def lesson_context(lesson: Lesson, ja: JournalAccess, *, writes: bool, is_admin: bool) -> dict:
    kinds_all = list(MarkKind.objects.filter(institution_id=lesson.institution_id))
    kind_names = {k.pk: k.name for k in kinds_all}
    marks = list(
        Mark.objects.filter(lesson=lesson).select_related("kind").order_by("student_id", "id")
    )
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in audit_entries_for(*marks).order_by("created_at", "id"):
        history[entry.object_id].append(
            {
                "when": entry.created_at,
                "who": entry.actor.display_name if entry.actor else _("the system"),
                "lines": describe(entry.changes, kind_names),
                "reason": entry.reason,
            }
        )
    by_student: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        mark.history = history.get(mark.pk, [])  # type: ignore[attr-defined]
        by_student[mark.student_id].append(mark)
    attendance = {
        a.student_id: a
        for a in Attendance.objects.filter(lesson=lesson).exclude(code="", comment="")
    }
    members = group_students(lesson.group, lesson.date, lesson.date)
    known = {pid for pid, _name, _left in members}
    extra_ids = (set(by_student) | set(attendance)) - known
    if extra_ids:  # students who have left since, with their old marks
        members += [
            (p.pk, f"{p.surname} {p.given_name}", None)
            for p in Person.objects.filter(pk__in=extra_ids).order_by("surname", "given_name")
        ]
    active_ids = set(
        GroupMember.objects.active(lesson.date)
        .filter(group_id=lesson.group_id)
        .values_list("student_id", flat=True)
    )
    students = [
        {
            "id": pid,
            "name": name,
            "in_group": pid in active_ids,
            "marks": by_student.get(pid, []),
            "attendance": attendance.get(pid),
        }
        for pid, name, _left in members
    ]
    homework = Homework.objects.filter(lesson=lesson).prefetch_related("attachments").first()
    editable = writes and not lesson.period.is_closed and not lesson.is_cancelled
    context: dict[str, Any] = {
        "lesson": lesson,
        "group": lesson.group,
        "subject": lesson.subject,
        "access": ja.access,
        "writes": writes,
        "editable": editable,
        "held": lesson_is_held(lesson),
        "is_admin": is_admin,
        "students": students,
        "homework": homework,
        "kinds": [k for k in kinds_all if k.is_active],
        "codes": AttendanceCode.choices,
        "pass_fail": lesson.subject.is_pass_fail,
        "values": ["5", "4", "3", "2", "1"],
        "grid_url": reverse("journal:grid", args=[lesson.group_id, lesson.subject_id])
        + f"?period={lesson.period_id}",
    }
    if editable:
        context["topic_form"] = TopicForm(
            prefix="topic", initial={"topic": lesson.topic, "kind": lesson.kind}
        )
        context["homework_form"] = HomeworkForm(
            prefix="hw",
            initial={
                "text": homework.text if homework else "",
                "links": homework.links if homework else "",
                "minutes": homework.minutes if homework else 20,
                "due_on": homework.due_on if homework else None,
            },
        )
    if is_admin:
        context["teachers"] = list(institution_teachers(lesson))
        context["move_form"] = MoveForm(
            prefix="move", initial={"date": lesson.date, "number": lesson.number}
        )
    return context
