"""A lesson: its topic and kind, homework (with the warnings of the service and files), the
marks of each student with kind, comment and the history of every mark, attendance, and the
administration's actions (substitute, cancel, move). Plain forms, no JavaScript needed; the
marks and attendance of the whole class are one form (``lesson_sheet``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from setka.network.roles import user_roles

from ..access import JournalAccess, lesson_for_user
from ..errors import error_text
from ..forms import apply_errors, save_form
from ..models import (
    GroupMember,
    Homework,
    HomeworkAttachment,
    Lesson,
)
from ..services import homework as homework_services
from ..services import timetable
from .lesson_context import institution_teachers, lesson_context
from .lesson_forms import HomeworkForm, MoveForm, TopicForm
from .lesson_sheet import sheet_fields, sheet_save

Handler = Callable[[HttpRequest, Lesson, JournalAccess], "HttpResponse | dict[str, Any]"]


def _back(lesson: Lesson, anchor: str = "") -> HttpResponse:
    return redirect(reverse("journal:lesson", args=[lesson.pk]) + anchor)


# --- the teacher's actions ----------------------------------------------------------------------


def topic_save(request, lesson, ja):
    form = TopicForm(request.POST, prefix="topic")
    if save_form(
        form,
        lambda data: timetable.lesson_set_topic(
            actor=request.user, lesson=lesson, topic=data["topic"], kind=data["kind"]
        ),
    ):
        messages.success(request, _("The topic is saved."))
        return _back(lesson)
    return {"topic_form": form}


def homework_save(request, lesson, ja):
    existing = Homework.objects.filter(lesson=lesson).first()
    attached = existing.attachments.count() if existing else 0
    form = HomeworkForm(request.POST, request.FILES, prefix="hw", attached=attached)
    if form.is_valid():
        data = form.cleaned_data
        stored: list[HomeworkAttachment] = []
        try:
            # the homework and its files together, or nothing: a refused file undoes the text,
            # and the files already written to the storage go with the rows that held them
            with transaction.atomic():
                hw, warnings = homework_services.homework_set(
                    actor=request.user,
                    lesson=lesson,
                    text=data["text"],
                    minutes=data["minutes"],
                    links=data["links"],
                    due_on=data["due_on"],
                )
                for f in data["attachments"]:
                    if hw is not None:
                        stored.append(
                            homework_services.homework_attachment_add(
                                actor=request.user, homework=hw, file=f
                            )
                        )
        except ValidationError as exc:
            for attachment in stored:  # rolled back: no row holds these files any more
                attachment.file.storage.delete(attachment.file.name)
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The homework is saved.") if hw else _("The homework is removed.")
            )
            for warning in warnings:
                messages.warning(request, warning.message)
            return _back(lesson, "#homework")
    return {"homework_form": form}


def attachment_delete(request, lesson, ja):
    attachment = HomeworkAttachment.objects.filter(
        pk=request.POST.get("attachment") or 0, homework__lesson=lesson
    ).first()
    if attachment is None:
        raise ValidationError(_("This file is not attached to this lesson."))
    homework_services.homework_attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("The file is removed."))
    return _back(lesson, "#homework")


# --- the administration's actions ---------------------------------------------------------------


def substitute_save(request, lesson, ja):
    raw = request.POST.get("substitute", "")
    substitute = None
    if raw:
        substitute = institution_teachers(lesson).filter(pk=raw if raw.isdigit() else 0).first()
        if substitute is None:
            raise ValidationError(_("Choose a teacher of the institution."))
    timetable.lesson_substitute(actor=request.user, lesson=lesson, substitute=substitute)
    messages.success(request, _("The substitution is saved."))
    return _back(lesson)


def cancel_save(request, lesson, ja):
    timetable.lesson_cancel(
        actor=request.user, lesson=lesson, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("The lesson is cancelled."))
    return _back(lesson)


def move_save(request, lesson, ja):
    form = MoveForm(request.POST, prefix="move")
    if save_form(
        form, lambda data: timetable.lesson_move(actor=request.user, lesson=lesson, **data)
    ):
        messages.success(request, _("The lesson is moved."))
        return _back(lesson)
    return {"move_form": form}


TEACHER_ACTIONS: dict[str, Handler] = {
    "topic": topic_save,
    "homework": homework_save,
    "attachment_delete": attachment_delete,
    "sheet": sheet_save,
}
ADMIN_ACTIONS: dict[str, Handler] = {
    "substitute": substitute_save,
    "cancel": cancel_save,
    "move": move_save,
}


# --- the page ---------------------------------------------------------------------------------


@login_required
def lesson(request: HttpRequest, pk: int) -> HttpResponse:
    lesson, ja = lesson_for_user(request.user, pk)
    writes = ja.can_write(lesson)
    is_admin = request.user.has_perm("journal.manage_year", lesson.group.year)
    extra: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        handler = None
        if action in TEACHER_ACTIONS and writes:
            handler = TEACHER_ACTIONS[action]
        elif action in ADMIN_ACTIONS and is_admin:
            handler = ADMIN_ACTIONS[action]
        elif action in TEACHER_ACTIONS or action in ADMIN_ACTIONS:
            raise PermissionDenied
        if handler is None:
            extra["error"] = _("Unknown action: reload the page and try again.")
        else:
            try:
                result = handler(request, lesson, ja)
            except ValidationError as exc:
                extra["error"] = error_text(exc)
            else:
                if isinstance(result, HttpResponse):
                    return result
                extra.update(result)
        status = 400
    context = lesson_context(lesson, ja, writes=writes, is_admin=is_admin)
    context.update(extra)
    sheet_fields(context["students"], extra.get("sheet_post"))
    return render(request, "journal/lesson/page.html", context, status=status)


# --- files -------------------------------------------------------------------------------------


@login_required
def attachment(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A homework file, for the journal's readers and for the group's students and parents."""
    item = (
        HomeworkAttachment.objects.select_related(
            "homework__lesson__group__institution", "homework__lesson__group__parent"
        )
        .filter(pk=file_pk, homework__lesson_id=pk)
        .first()
    )
    if item is None:
        raise Http404
    lesson = item.homework.lesson
    roles = user_roles(request.user)
    allowed = False
    try:
        lesson_for_user(request.user, lesson.pk)
        allowed = True
    except Http404:
        readers = {roles.person_id, *roles.children} - {None}
        allowed = (
            bool(readers)
            and GroupMember.objects.filter(
                group_id=lesson.group_id, student_id__in=readers
            ).exists()
        )
    if not allowed:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=item.name)
