"""Checking answers against their questions: the right type, the range, totals that add up.

:func:`clean` takes the values of the API (JSON types) or of the page's form (text), returns
the answers as stored (numbers, booleans, choice values) or raises ``ValidationError`` with a
message per question code; nothing is stored from a set with any error."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from setka.core.plurals import too_long_text

from .models import QuestionKind

MAX_TEXT = 2000


class Invalid(Exception):  # noqa: N818 - a message for one answer, not a failure of the code
    pass


def _fmt(value: float) -> str:
    return number_format(value, 0 if float(value).is_integer() else 2)


def _number(q, value: Any, from_form: bool) -> int | float:
    if from_form and isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            number = float(Decimal(text))
        except (InvalidOperation, ValueError) as exc:
            raise Invalid(_("Enter a number.")) from exc
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(_("Enter a number."))
    else:
        number = float(value)
    if not math.isfinite(number):
        raise Invalid(_("Enter a number."))
    if q.integer and not number.is_integer():
        raise Invalid(_("Enter a whole number."))
    low = float(q.min_value) if q.min_value is not None else None
    high = float(q.max_value) if q.max_value is not None else None
    if low is not None and number < low:
        if low == 0:
            raise Invalid(_("The number cannot be negative."))
        raise Invalid(_("The value must be at least %(min)s.") % {"min": _fmt(low)})
    if high is not None and number > high:
        raise Invalid(_("The value must be at most %(max)s.") % {"max": _fmt(high)})
    return int(number) if q.integer else round(number, 2)


def _yes_no(value: Any, from_form: bool) -> bool:
    if isinstance(value, bool):
        return value
    if from_form and value in ("yes", "no"):
        return value == "yes"
    raise Invalid(_("Answer yes or no."))


def _single(q, value: Any) -> str:
    allowed = [c["value"] for c in q.choices]
    if not isinstance(value, str) or value not in allowed:
        raise Invalid(_("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)})
    return value


def _multiple(q, value: Any) -> list[str]:
    allowed = [c["value"] for c in q.choices]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(_("Send a list of the chosen options."))
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise Invalid(
            _("Unknown options: %(unknown)s; choose from %(choices)s.")
            % {"unknown": ", ".join(unknown), "choices": ", ".join(allowed)}
        )
    return [v for v in allowed if v in value]  # in the questionnaire's order, once each


def _scale(q, value: Any, from_form: bool) -> int:
    low = int(q.min_value if q.min_value is not None else 1)
    high = int(q.max_value if q.max_value is not None else 5)
    if from_form and isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        message = _("Choose a whole number from %(min)s to %(max)s.")
        raise Invalid(message % {"min": low, "max": high})
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(_("Enter text."))
    if "\x00" in value:
        raise Invalid(_("The text contains a forbidden null character."))
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise Invalid(too_long_text(MAX_TEXT))
    return value


def clean_value(q, value: Any, *, from_form: bool = False) -> Any:
    """One answer as stored; ``None`` for "not answered"."""
    if value is None or (isinstance(value, str) and not value.strip() and q.kind != "text"):
        return None
    if q.kind == QuestionKind.NUMBER:
        return _number(q, value, from_form)
    if q.kind == QuestionKind.YES_NO:
        return _yes_no(value, from_form)
    if q.kind == QuestionKind.SINGLE:
        return _single(q, value)
    if q.kind == QuestionKind.MULTIPLE:
        return _multiple(q, value) if value != [] else []
    if q.kind == QuestionKind.SCALE:
        return _scale(q, value, from_form)
    text = _text(value)
    return text or None


def clean(
    questions: Sequence[Any], raw: Mapping[str, Any], *, from_form: bool = False
) -> dict[str, Any]:
    """The answers ``raw`` (question code -> value) checked against ``questions``."""
    by_code = {q.code: q for q in questions}
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for code, value in raw.items():
        q = by_code.get(code)
        if q is None:
            errors[str(code)[:60]] = [_("There is no such question in this questionnaire.")]
            continue
        try:
            cleaned = clean_value(q, value, from_form=from_form)
        except Invalid as exc:
            errors[code] = [str(exc)]
            continue
        if cleaned is not None:
            out[code] = cleaned
    for code, value in out.items():
        q = by_code[code]
        limit_code = q.not_more_than
        limit = out.get(limit_code) if limit_code else None
        if isinstance(value, int | float) and isinstance(limit, int | float) and value > limit:
            other = by_code.get(limit_code)
            errors.setdefault(code, []).append(
                _("Cannot be more than the answer to «%(question)s» (%(limit)s).")
                % {"question": other.text if other else limit_code, "limit": _fmt(limit)}
            )
    if errors:
        raise ValidationError(errors)
    return out


def answered(q, answers: Mapping[str, Any]) -> bool:
    """A multiple choice with nothing chosen ("none of these") is an answer too."""
    if q.kind == QuestionKind.MULTIPLE:
        return q.code in answers
    return answers.get(q.code) not in (None, "")


def missing(questions: Sequence[Any], answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """The required questions without an answer (checked on submission)."""
    return {
        q.code: [_("This question needs an answer.")]
        for q in questions
        if q.required and not answered(q, answers)
    }
