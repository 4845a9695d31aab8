"""The journal API: a lesson — its topic and kind, and the homework given at it. See
``api.common`` for the rules of answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router

from setka.core.api_errors import Id, errors_for
from setka.network.models import Person

from .. import rules
from ..access import JournalAccess, lesson_for_user
from ..models import Homework, Lesson
from ..schemas import HomeworkIn, HomeworkSetOut, LessonOut, LessonPatchIn
from ..services import homework as homework_services
from ..services import timetable
from .common import api_fields, subject_out

router = Router(tags=["journal"])

# --- lessons and homework -----------------------------------------------------------------


def _homework_out(hw: Homework) -> dict[str, Any]:
    return {
        "id": hw.pk,
        "lesson_id": hw.lesson_id,
        "text": hw.text,
        "links": hw.link_list,
        "minutes": hw.minutes,
        "due_on": hw.due_on,
        "is_late": hw.is_late,
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "url": reverse("journal:attachment", args=[hw.lesson_id, a.pk]),
            }
            for a in hw.attachments.all()
        ],
    }


def _person_ref(person: Person | None) -> dict[str, Any] | None:
    return {"id": person.pk, "name": person.short_name} if person is not None else None


def _lesson_out(lesson: Lesson, ja: JournalAccess) -> dict[str, Any]:
    hw = Homework.objects.filter(lesson=lesson).prefetch_related("attachments").first()
    return {
        "id": lesson.pk,
        "group": {"id": lesson.group_id, "name": lesson.group.name},
        "subject": subject_out(lesson.subject),
        "period_id": lesson.period_id,
        "date": lesson.date,
        "number": lesson.number,
        "room": lesson.room,
        "kind": lesson.kind,
        "status": lesson.status,
        "topic": lesson.topic,
        "teacher": _person_ref(lesson.teacher),
        "substitute": _person_ref(lesson.substitute),
        "moved_from": lesson.moved_from,
        "homework": _homework_out(hw) if hw is not None else None,
        "access": rules.WRITE if ja.can_write(lesson) else rules.READ,
    }


@router.get(
    "/journal/lessons/{lesson_id}",
    response={200: LessonOut, **errors_for(401, 404, 422)},
    summary="One lesson",
    description="The lesson with its topic, kind, teacher, substitute and homework.",
)
def lesson_detail(request: HttpRequest, lesson_id: Id) -> Any:
    lesson, ja = lesson_for_user(request.user, lesson_id)
    return _lesson_out(lesson, ja)


@router.patch(
    "/journal/lessons/{lesson_id}",
    response={200: LessonOut, **errors_for(401, 403, 404, 422)},
    summary="Set the topic or the kind of a lesson",
    description=(
        "Only the fields sent change. For the teacher of the lesson and the institution's "
        "administrators; not in a closed period."
    ),
)
def lesson_update(request: HttpRequest, lesson_id: Id, payload: LessonPatchIn) -> Any:
    lesson, ja = lesson_for_user(request.user, lesson_id)
    data = payload.model_dump(exclude_unset=True)
    with api_fields():
        timetable.lesson_set_topic(
            actor=request.user,
            lesson=lesson,
            topic=data["topic"] if data.get("topic") is not None else lesson.topic,
            kind=data.get("kind"),
        )
    return _lesson_out(lesson, ja)


@router.put(
    "/journal/lessons/{lesson_id}/homework",
    response={200: HomeworkSetOut, **errors_for(401, 403, 404, 422)},
    summary="Set the homework given at a lesson",
    description=(
        "Sets (or, with an empty `text`, removes) the homework. It is saved even when there "
        "are warnings: a class's daily load over the limit for its grade, control works over "
        "10% of the subject's lessons in the period, or entry after the end of the school day."
    ),
)
def homework_set(request: HttpRequest, lesson_id: Id, payload: HomeworkIn) -> Any:
    lesson, _ja = lesson_for_user(request.user, lesson_id)
    with api_fields():
        hw, warnings = homework_services.homework_set(
            actor=request.user,
            lesson=lesson,
            text=payload.text,
            minutes=payload.minutes,
            links="\n".join(payload.links),
            due_on=payload.due_on,
        )
    return {
        "homework": _homework_out(hw) if hw is not None else None,
        "warnings": [{"code": w.code, "message": w.message} for w in warnings],
    }
