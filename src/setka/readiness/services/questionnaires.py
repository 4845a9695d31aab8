"""Questionnaires and their versions. Editing a questionnaire whose current version has been
answered makes a new version first: what an institution answered never changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.audit import audit_log
from setka.network.models import Municipality

from .. import defaults
from ..index import KEY_CODES
from ..models import (
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)
from ..models.questionnaire import code_validator

QUESTION_FIELDS = [
    "code", "position", "dimension", "kind", "text", "help_text", "unit", "required", "weight",
    "integer", "min_value", "max_value", "not_more_than", "score_target", "score_per",
    "lower_is_better", "target_is_bandwidth_goal", "choices",
]  # fmt: skip
MAX_CHOICES = 20


def _require(actor: Any, municipality_id: int) -> None:
    if not actor.has_perm("readiness.manage", Municipality(pk=municipality_id)):
        raise PermissionDenied


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    version = questionnaire.versions.order_by("-number").first()
    if version is None:  # a questionnaire always has one; a hand-made row gets an empty one
        version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    return version


def is_answered(version: QuestionnaireVersion) -> bool:
    return version.responses.exclude(status=Response.Status.PENDING).exists()


@transaction.atomic
def questionnaire_create(
    *, actor: Any, municipality: Municipality, title: str, description: str = ""
) -> Questionnaire:
    """A new questionnaire: a copy of the one that ships with Setka."""
    _require(actor, municipality.pk)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Give the questionnaire a title.")]})
    if len(title) > 200:
        raise ValidationError({"title": [_("At most 200 characters.")]})
    questionnaire = Questionnaire.objects.create(
        municipality=municipality, title=title, description=(description or "").strip()
    )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        created_by=actor if getattr(actor, "pk", None) else None,
        note=_("Setka's default questionnaire"),
    )
    Question.objects.bulk_create(
        Question(version=version, position=(i + 1) * 10, **q)
        for i, q in enumerate(defaults.questions())
    )
    audit_log("readiness.questionnaire.create", actor=actor, obj=questionnaire,
              changes={"title": [None, title]})  # fmt: skip
    return questionnaire


def _editable_version(actor: Any, questionnaire: Questionnaire, note: str) -> QuestionnaireVersion:
    """The version to edit: the current one, or a copy of it when it has been answered (the
    responses not started yet move to the copy; those begun keep their version)."""
    version = current_version(questionnaire)
    if not is_answered(version):
        return version
    copy = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=version.number + 1,
        created_by=actor if getattr(actor, "pk", None) else None,
        note=note[:300],
    )
    questions = list(version.questions.all())
    for q in questions:
        q.pk = None
        q.version = copy
    Question.objects.bulk_create(questions)
    Response.objects.filter(
        version=version, status=Response.Status.PENDING, campaign__closed_at__isnull=True
    ).update(version=copy)
    audit_log("readiness.questionnaire.version", actor=actor, obj=questionnaire,
              changes={"version": [version.number, copy.number]}, reason=note)  # fmt: skip
    return copy


def _choices(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) > MAX_CHOICES:
        raise ValidationError(
            ngettext("Give at most %(n)s option.", "Give at most %(n)s options.", MAX_CHOICES)
            % {"n": MAX_CHOICES}
        )
    out, seen = [], set()
    for item in raw:
        if not isinstance(item, dict):
            raise ValidationError(_("Each option needs a value and a label."))
        value, label = str(item.get("value", "")).strip(), str(item.get("label", "")).strip()
        score = item.get("score")
        try:
            code_validator(value)
        except ValidationError as exc:
            message = _("Option «%(v)s»: %(e)s") % {"v": value, "e": exc.messages[0]}
            raise ValidationError(message) from exc
        if not label or len(label) > 200:
            raise ValidationError(_("Option «%(v)s» needs a label of at most 200 characters.")
                                  % {"v": value})  # fmt: skip
        if value in seen:
            raise ValidationError(_("Option «%(v)s» is given twice.") % {"v": value})
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100
        ):
            raise ValidationError(_("Option «%(v)s»: a score is a number from 0 to 100, or none.")
                                  % {"v": value})  # fmt: skip
        seen.add(value)
        out.append({"value": value, "label": label, "score": score})
    return out


def _check(q: Question, others: dict[str, Question], original_kind: str | None) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        q.full_clean(exclude=["version", "choices"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if q.code in others and original_kind is None:
        add("code", _("This questionnaire already has a question with this code."))
    if q.code in KEY_CODES and original_kind is not None and q.kind != original_kind:
        add("kind", _("The rules of readiness read this question: its type cannot change."))
    if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        try:
            q.choices = _choices(q.choices)
        except ValidationError as exc:
            add("choices", exc.messages[0])
        else:
            if len(q.choices) < 2:
                add("choices", _("A choice needs at least two options."))
    else:
        q.choices = []
    for field in ("not_more_than", "score_per"):
        ref = getattr(q, field)
        if ref and (ref == q.code or ref not in others or others[ref].kind != QuestionKind.NUMBER):
            add(field, _("Give the code of another number question of this questionnaire."))
    if q.min_value is not None and q.max_value is not None and q.min_value > q.max_value:
        add("max_value", _("The largest value is smaller than the smallest."))
    if q.kind == QuestionKind.SCALE:
        low, high = q.min_value, q.max_value
        if low is None or high is None or low % 1 or high % 1 or not 0 <= low < high <= 10:
            add("max_value", _("A scale runs between two whole numbers from 0 to 10."))
    if q.score_target is not None and q.score_target <= 0:
        add("score_target", _("A target is greater than zero."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def question_save(
    *, actor: Any, questionnaire: Questionnaire, data: dict[str, Any], code: str | None = None
) -> Question:
    """Add a question (``code`` None) or change the question ``code``; in a new version when
    the current one has been answered."""
    _require(actor, questionnaire.municipality_id)
    version = current_version(questionnaire)
    existing = {q.code: q for q in version.questions.all()}
    if code is not None and code not in existing:
        raise ValidationError({"code": [_("There is no such question in this questionnaire.")]})
    values = {k: v for k, v in data.items() if k in QUESTION_FIELDS}
    if code is not None:
        values["code"] = code  # a question keeps its code: answers are stored by it
    original = existing.get(code) if code else None
    q = Question(**{f: getattr(original, f) for f in QUESTION_FIELDS}) if original else Question()
    for field, value in values.items():
        decimal = field in ("weight", "min_value", "max_value", "score_target")
        setattr(q, field, Decimal(str(value)) if decimal and value is not None else value)
    if original is None and "position" not in values:
        q.position = max((e.position for e in existing.values()), default=0) + 10
    others = {c: e for c, e in existing.items() if c != code}
    _check(q, others, original.kind if original else None)
    note = (_("Question «%(code)s» changed") if original else _("Question «%(code)s» added")) % {
        "code": q.code
    }
    target = _editable_version(actor, questionnaire, note)
    if original is not None:
        q.pk = target.questions.get(code=code).pk
    q.version = target
    q.save()
    audit_log("readiness.question.save", actor=actor, obj=questionnaire,
              changes={"code": q.code, "version": target.number})  # fmt: skip
    return q


@transaction.atomic
def question_remove(*, actor: Any, questionnaire: Questionnaire, code: str) -> None:
    _require(actor, questionnaire.municipality_id)
    version = current_version(questionnaire)
    if not version.questions.filter(code=code).exists():
        raise ValidationError({"code": [_("There is no such question in this questionnaire.")]})
    if code in KEY_CODES:
        raise ValidationError(
            {"code": [_("The rules of readiness read this question: it cannot be removed.")]}
        )
    refer = Q(not_more_than=code) | Q(score_per=code)
    used = list(version.questions.filter(refer).values_list("code", flat=True))
    if used:
        raise ValidationError(
            {"code": [_("Other questions refer to it: %(codes)s.") % {"codes": ", ".join(used)}]}
        )
    note = _("Question «%(code)s» removed") % {"code": code}
    target = _editable_version(actor, questionnaire, note)
    target.questions.filter(code=code).delete()
    audit_log("readiness.question.remove", actor=actor, obj=questionnaire,
              changes={"code": code, "version": target.number})  # fmt: skip
