"""An institution's answers in a campaign: the form (save a draft, submit), read-only for
those who may not change them, reopening on request."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.core.clock import today
from setka.network.models import Municipality

from .. import answers as checks
from .. import gaps, services
from ..access import response_for_user
from ..forms import ReasonForm, ReopenForm
from ..models import Dimension, QuestionKind, Response
from ..participation import lines as participation_lines
from ..participation import participation_of

FIELD = "q-"
SEEN = "seen-"  # a multiple choice on the form: its empty answer is "none of these"


def _posted(request, questions) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for q in questions:
        name = FIELD + q.code
        if q.kind == QuestionKind.MULTIPLE:
            if SEEN + q.code in request.POST:
                values[q.code] = request.POST.getlist(name)
        elif name in request.POST:
            values[q.code] = request.POST.get(name, "")
    return values


def _shown(value: Any) -> Any:
    """A stored value as the form shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return value


def _fields(questions, values: dict[str, Any], errors: dict[str, list[str]]) -> list[dict]:
    """The questions grouped by dimension, each with its value and its error."""
    groups: dict[str, dict] = {
        d.value: {"key": d.value, "label": d.label, "fields": []} for d in Dimension
    }
    for q in questions:
        value = values.get(q.code)
        chosen = value if isinstance(value, list) else [value]
        groups[q.dimension]["fields"].append(
            {
                "q": q,
                "name": FIELD + q.code,
                "value": "" if value is None else _shown(value),
                "chosen": [str(v) for v in chosen if v is not None],
                "error": errors.get(q.code, []),
                "scale": list(range(int(q.min_value or 1), int(q.max_value or 5) + 1)),
            }
        )
    return [g for g in groups.values() if g["fields"]]


def _labels(response: Response, questions) -> list[dict]:
    """The answers for reading: the question and its answer in words."""
    out = []
    for q in questions:
        value = response.answers.get(q.code)
        if isinstance(value, list):
            labels = q.choice_labels
            text = ", ".join(labels.get(v, v) for v in value) or _("none")
        elif isinstance(value, bool):
            text = _("yes") if value else _("no")
        elif q.kind == QuestionKind.SINGLE and value is not None:
            text = q.choice_labels.get(value, value)
        else:
            text = "" if value is None else _shown(value)
        unit = f" {q.unit}" if q.unit and text != "" else ""
        out.append(
            {"q": q, "text": f"{text}{unit}", "answered": checks.answered(q, response.answers)}
        )
    return out


@login_required
def response(request, pk: int):
    found = response_for_user(request.user, pk)
    can_answer = request.user.has_perm("readiness.answer", found.institution)
    editable = can_answer and found.editable_on(today())
    runs = request.user.has_perm(
        "readiness.manage", Municipality(pk=found.campaign.municipality_id)
    )
    questions = list(found.version.questions.all())
    if found.status == Response.Status.PENDING and editable:
        questions = list(services.current_version(found.campaign.questionnaire).questions.all())
    values: dict[str, Any] = dict(found.answers)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        values = _posted(request, questions)
        submit = request.POST.get("action") == "submit"
        try:
            services.response_save(actor=request.user, response=found, values=values,
                                   from_form=True, replace=True, submit=submit)  # fmt: skip
        except ValidationError as exc:
            errors, status = exc.message_dict, 422
        except services.Conflict as exc:
            messages.error(request, exc.message)
            return redirect("readiness:response", found.pk)
        else:
            messages.success(request, _("The answers are submitted. Thank you!") if submit
                             else _("The draft of the answers is saved."))  # fmt: skip
            return redirect("readiness:response", found.pk)
    elif found.status == Response.Status.PENDING and editable:
        values = {**services.prefill(found.institution_id), **values}
    setka_data = participation_of([found.institution_id], found.campaign.deadline)
    context = {
        "response": found,
        "campaign": found.campaign,
        "institution": found.institution,
        "editable": editable,
        "can_answer": can_answer,
        "runs": runs,
        "groups": _fields(questions, values, errors),
        "answers": _labels(found, questions) if not editable else [],
        "errors": errors,
        "gaps": [gaps.describe(g) for g in found.gaps],
        "setka_data": participation_lines(setka_data[found.institution_id]),
        "reason_form": ReasonForm(),
        "reopen_form": ReopenForm(),
        "deadline": found.reopened_until or found.campaign.deadline,
    }
    return render(request, "readiness/response.html", context, status=status)


@login_required
@require_POST
def reopen_request(request, pk: int):
    found = response_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the answers should be reopened."))
        return redirect("readiness:response", found.pk)
    try:
        services.reopen_request(
            actor=request.user, response=found, reason=form.cleaned_data["reason"]
        )
    except services.Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The request is sent to the methodologists."))
    return redirect("readiness:response", found.pk)


@login_required
@require_POST
def reopen_decide(request, pk: int):
    found = response_for_user(request.user, pk)
    form = ReopenForm(request.POST)
    grant = request.POST.get("action") != "refuse"
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("readiness:response", found.pk)
    try:
        services.reopen_decide(actor=request.user, response=found, grant=grant,
                               until=form.cleaned_data["until"],
                               reason=form.cleaned_data["reason"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The answers are reopened.") if grant
                         else _("The request is refused."))  # fmt: skip
    return redirect("readiness:response", found.pk)
