"""Questionnaires through the API: the list, a new one (a copy of Setka's), one with the
questions of a version, and adding, changing and removing questions (a change to an answered
version makes a new version; the answers keep theirs)."""

from typing import Annotated, Any

from django.db.models import Count
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages
from setka.core.api_errors import Id, errors_for

from .. import services
from ..access import questionnaire_for_user
from ..index import KEY_CODES, scorable
from ..models import Question, Questionnaire
from .campaigns import municipality_or_403
from .schemas import (
    ReadinessQuestionIn,
    ReadinessQuestionnaireDetailOut,
    ReadinessQuestionnaireIn,
    ReadinessQuestionnaireOut,
    ReadinessQuestionPatchIn,
)

router = Router(tags=["readiness"])
CodePath = Annotated[str, Path(max_length=40)]
VersionNumber = Annotated[int | None, Query(ge=1, le=100_000)]


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def question_out(q: Question) -> dict[str, Any]:
    return {
        **{f: getattr(q, f) for f in ("code", "position", "dimension", "kind", "text",
                                      "help_text", "unit", "required", "integer",
                                      "not_more_than", "score_per", "lower_is_better",
                                      "target_is_bandwidth_goal", "choices")},
        "weight": float(q.weight),
        "min_value": _f(q.min_value),
        "max_value": _f(q.max_value),
        "score_target": _f(q.score_target),
        "scored": scorable(q),
        "key": q.code in KEY_CODES,
    }  # fmt: skip


def _versions(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    return [
        {"id": v.pk, "number": v.number, "created_at": v.created_at, "note": v.note,
         "responses": v.n}
        for v in questionnaire.versions.annotate(n=Count("responses")).order_by("-number")
    ]  # fmt: skip


def _out(questionnaire: Questionnaire) -> dict[str, Any]:
    return {
        "id": questionnaire.pk,
        "title": questionnaire.title,
        "description": questionnaire.description,
        "versions": _versions(questionnaire),
    }


def _detail(questionnaire: Questionnaire, number: int | None = None) -> dict[str, Any]:
    out = _out(questionnaire)
    current = services.current_version(questionnaire)
    version = current
    if number is not None:
        version = questionnaire.versions.filter(number=number).first() or current
    out["version"] = version.number
    out["questions"] = [question_out(q) for q in version.questions.all()]
    return out


@router.get(
    "/readiness/questionnaires",
    response={200: list[ReadinessQuestionnaireOut], **errors_for(401, 403, 422)},
    summary="Questionnaires of the readiness survey",
    description="The municipality's questionnaires with their versions.",
)
@paginate(Pages, **PAGES)
def questionnaire_list(request: HttpRequest) -> list[dict[str, Any]]:
    municipality = municipality_or_403(request)
    return [_out(q) for q in Questionnaire.objects.filter(municipality=municipality)]


@router.post(
    "/readiness/questionnaires",
    response={201: ReadinessQuestionnaireDetailOut, **errors_for(401, 403, 422)},
    summary="A new questionnaire",
    description="A copy of Setka's default questionnaire, to edit.",
)
def questionnaire_create(request: HttpRequest, payload: ReadinessQuestionnaireIn) -> Any:
    municipality = municipality_or_403(request)
    created = services.questionnaire_create(
        actor=request.user,
        municipality=municipality,
        title=payload.title,
        description=payload.description,
    )
    return Status(201, _detail(created))


@router.get(
    "/readiness/questionnaires/{questionnaire_id}",
    response={200: ReadinessQuestionnaireDetailOut, **errors_for(401, 404, 422)},
    summary="A questionnaire with its questions",
    description="The questions of the current version, or of `?version=N`.",
)
def questionnaire_get(
    request: HttpRequest, questionnaire_id: Id, version: VersionNumber = None
) -> dict[str, Any]:
    return _detail(questionnaire_for_user(request.user, questionnaire_id), version)


@router.post(
    "/readiness/questionnaires/{questionnaire_id}/questions",
    response={201: ReadinessQuestionnaireDetailOut, **errors_for(401, 404, 422)},
    summary="Add a question",
    description=(
        "Adds a question to the current version, or to a new version when institutions have "
        "answered the current one. A code already used, a choice with fewer than two options "
        "or a reference to a question that is not a number is a 422 on its field."
    ),
)
def question_add(request: HttpRequest, questionnaire_id: Id, payload: ReadinessQuestionIn) -> Any:
    questionnaire = questionnaire_for_user(request.user, questionnaire_id)
    services.question_save(actor=request.user, questionnaire=questionnaire,
                           data=payload.dict(exclude_unset=True))  # fmt: skip
    return Status(201, _detail(questionnaire))


@router.patch(
    "/readiness/questionnaires/{questionnaire_id}/questions/{code}",
    response={200: ReadinessQuestionnaireDetailOut, **errors_for(401, 404, 422)},
    summary="Change a question",
    description=(
        "Changes the question `code` (its code stays: answers are stored by it); in a new "
        "version when the current one has been answered. The questions the rules of "
        "readiness read keep their type (422)."
    ),
)
def question_patch(
    request: HttpRequest, questionnaire_id: Id, code: CodePath, payload: ReadinessQuestionPatchIn
) -> dict[str, Any]:
    questionnaire = questionnaire_for_user(request.user, questionnaire_id)
    if not services.current_version(questionnaire).questions.filter(code=code).exists():
        raise Http404
    services.question_save(actor=request.user, questionnaire=questionnaire,
                           data=payload.dict(exclude_unset=True), code=code)  # fmt: skip
    return _detail(questionnaire)


@router.delete(
    "/readiness/questionnaires/{questionnaire_id}/questions/{code}",
    response={200: ReadinessQuestionnaireDetailOut, **errors_for(401, 404, 422)},
    summary="Remove a question",
    description=(
        "Removes it from the current version (a new version when answered). The questions "
        "the rules read, and those others refer to, cannot be removed (422)."
    ),
)
def question_remove(request: HttpRequest, questionnaire_id: Id, code: CodePath) -> dict[str, Any]:
    questionnaire = questionnaire_for_user(request.user, questionnaire_id)
    if not services.current_version(questionnaire).questions.filter(code=code).exists():
        raise Http404
    services.question_remove(actor=request.user, questionnaire=questionnaire, code=code)
    return _detail(questionnaire)
