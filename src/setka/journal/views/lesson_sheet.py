"""The lesson page's one form for the whole class: everyone's attendance, the changes to their
marks (value, kind, comment; deletion with its reason) and a new mark each, sent with one
«Сохранить» and saved in one transaction — all of it, or, when a row is wrong, nothing, with
every wrong row named and what the teacher typed kept on the page.

Field names: ``att-<student>``; ``m-<mark>-value|kind|comment|reason|delete``;
``new-<student>-value|kind|comment``. A field that is absent or unchanged is left alone, so
the form writes only what the teacher changed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.network.models import Person

from ..access import JournalAccess
from ..errors import error_text
from ..models import Attendance, GroupMember, Lesson, Mark, MarkKind
from ..services import records

MAX_TEXT = 500


def mark_choice(mark: Mark) -> str:
    """The option of the value select a mark stands at: "5"…"1", "pass" or "fail"."""
    if mark.value is not None:
        return str(mark.value)
    return "pass" if mark.passed else "fail"


def _value(raw: str, lesson: Lesson) -> dict[str, Any]:
    if lesson.subject.is_pass_fail:
        if raw not in ("pass", "fail"):
            raise ValidationError(_("Choose “pass” or “fail”."))
        return {"passed": raw == "pass"}
    if raw not in ("1", "2", "3", "4", "5"):
        raise ValidationError(_("A mark must be a whole number from 1 to 5."))
    return {"value": int(raw)}


class _Sheet:
    """One submission of the form: reads it, calls the services, collects the errors."""

    def __init__(self, request: HttpRequest, lesson: Lesson):
        self.actor = request.user
        self.post = request.POST
        self.lesson = lesson
        self.errors: list[str] = []
        self.saved = 0
        ids = (
            GroupMember.objects.active(lesson.date)
            .filter(group_id=lesson.group_id)
            .values_list("student_id", flat=True)
        )
        self.students = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
        self.kinds = {
            k.pk: k for k in MarkKind.objects.filter(institution_id=lesson.institution_id)
        }

    def text(self, name: str) -> str:
        return self.post.get(name, "").strip()[:MAX_TEXT]

    def kind(self, name: str) -> MarkKind | None:
        raw = self.post.get(name, "")
        if not raw:
            return None
        kind = self.kinds.get(int(raw)) if raw.isdigit() else None
        if kind is None:
            raise ValidationError(_("Unknown mark kind."))
        return kind

    def attempt(self, who: int, write: Callable[[], Any]) -> None:
        """One write in its own savepoint (``None`` from it: nothing to write); a refusal is
        kept with the student's name."""
        try:
            with transaction.atomic():
                written = write()
        except ValidationError as exc:
            person = self.students.get(who) or Person.objects.filter(pk=who).first()
            name = f"{person.surname} {person.given_name}" if person else "?"
            self.errors.append(f"{name}: {error_text(exc)}")
        else:
            self.saved += written is not None

    def attendance(self) -> None:
        rows = {a.student_id: a for a in Attendance.objects.filter(lesson=self.lesson)}
        for pid, student in self.students.items():
            name = f"att-{pid}"
            if name not in self.post:
                continue
            row = rows.get(pid)
            code = self.post[name]
            if code == (row.code if row else ""):
                continue
            self.attempt(
                pid,
                partial(
                    records.attendance_set,
                    actor=self.actor,
                    lesson=self.lesson,
                    student=student,
                    code=code,
                    comment=row.comment if row else "",
                ),
            )

    def changes(self) -> None:
        marks = Mark.objects.filter(lesson=self.lesson, is_deleted=False).select_related("kind")
        for mark in marks.order_by("student_id", "id"):
            mark.lesson = self.lesson
            prefix = f"m-{mark.pk}-"
            if self.post.get(prefix + "delete"):
                reason = self.text(prefix + "reason")
                self.attempt(
                    mark.student_id,
                    partial(records.mark_delete, actor=self.actor, mark=mark, reason=reason),
                )
            elif prefix + "value" in self.post:
                self.attempt(mark.student_id, partial(self.change, mark))

    def change(self, mark: Mark) -> Mark | None:
        prefix = f"m-{mark.pk}-"
        data: dict[str, Any] = {}
        if self.post.get(prefix + "value") != mark_choice(mark):
            data.update(_value(self.post.get(prefix + "value", ""), self.lesson))
        kind = self.kind(prefix + "kind")
        if kind is not None and kind.pk != mark.kind_id:
            data["kind"] = kind
        comment = self.text(prefix + "comment")
        if prefix + "comment" in self.post and comment != mark.comment:
            data["comment"] = comment
        if not data:
            return None
        return records.mark_update(
            actor=self.actor, mark=mark, reason=self.text(prefix + "reason"), **data
        )

    def additions(self) -> None:
        for pid, student in self.students.items():
            prefix = f"new-{pid}-"
            raw = self.post.get(prefix + "value", "")
            if not raw:
                continue
            self.attempt(pid, partial(self.add, student, prefix, raw))

    def add(self, student: Person, prefix: str, raw: str) -> Mark:
        return records.mark_create(
            actor=self.actor,
            lesson=self.lesson,
            student=student,
            kind=self.kind(prefix + "kind"),
            comment=self.text(prefix + "comment"),
            **_value(raw, self.lesson),
        )


def sheet_save(
    request: HttpRequest, lesson: Lesson, ja: JournalAccess
) -> HttpResponse | dict[str, Any]:
    sheet = _Sheet(request, lesson)
    with transaction.atomic():
        sheet.attendance()
        sheet.changes()
        sheet.additions()
        if sheet.errors:
            transaction.set_rollback(True)  # all or nothing: the page shows what was typed
    if sheet.errors:
        return {
            "error": _("Nothing is saved: correct the rows below and save again."),
            "sheet_errors": sheet.errors,
            "sheet_post": request.POST,
        }
    if sheet.saved:
        messages.success(
            request,
            ngettext("%(n)s change is saved.", "%(n)s changes are saved.", sheet.saved)
            % {"n": sheet.saved},
        )
    else:
        messages.info(request, _("Nothing has changed."))
    return redirect(reverse("journal:lesson", args=[lesson.pk]) + "#marks-heading")


def sheet_fields(students: list[dict[str, Any]], post: Mapping[str, str] | None) -> None:
    """What each field of the form shows: the record, or what was typed when the form came back
    with errors."""
    for s in students:
        pid = s["id"]
        code = s["attendance"].code if s["attendance"] else ""
        s["form_code"] = post.get(f"att-{pid}", code) if post else code
        s["new_name"] = f"new-{pid}-value"
        s["new_value"] = post.get(f"new-{pid}-value", "") if post else ""
        s["new_kind"] = post.get(f"new-{pid}-kind", "") if post else ""
        s["new_comment"] = post.get(f"new-{pid}-comment", "") if post else ""
        for m in s["marks"]:
            prefix = f"m-{m.pk}-"
            typed = post if post and prefix + "value" in post else None
            m.form_name = prefix + "value"
            m.form_value = typed.get(prefix + "value") if typed else mark_choice(m)
            m.form_kind = typed.get(prefix + "kind") if typed else str(m.kind_id)
            m.form_comment = typed.get(prefix + "comment", "") if typed else m.comment
            m.form_reason = typed.get(prefix + "reason", "") if typed else ""
            m.form_delete = bool(post and post.get(prefix + "delete"))
