"""Questionnaires (their questions and versions) and the index settings, for the people who
run the survey."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.network.models import Municipality

from .. import services
from ..access import questionnaire_for_user, runs_in
from ..forms import QuestionForm, SettingsForm
from ..index import KEY_CODES, scorable
from ..models import Dimension, Question, Questionnaire
from ..scoring import settings_for
from . import form_errors


def _municipality(request) -> Municipality:
    ids = sorted(runs_in(request.user))
    if not ids:
        raise PermissionDenied
    return Municipality.objects.get(pk=ids[0])


@login_required
def questionnaires(request):
    municipality = _municipality(request)
    if request.method == "POST":
        try:
            created = services.questionnaire_create(
                actor=request.user, municipality=municipality, title=request.POST.get("title", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The questionnaire is created from Setka's default."))
            return redirect("readiness:questionnaire", created.pk)
    found = Questionnaire.objects.filter(municipality=municipality).annotate(
        n_versions=Count("versions", distinct=True), n_campaigns=Count("campaigns", distinct=True)
    )
    return render(request, "readiness/questionnaires.html", {"questionnaires": found})


@login_required
def questionnaire(request, pk: int):
    found = questionnaire_for_user(request.user, pk)
    versions = list(found.versions.annotate(n_responses=Count("responses")).order_by("-number"))
    current = versions[0] if versions else services.current_version(found)
    try:
        number = int(request.GET.get("version") or current.number)
    except ValueError:
        number = current.number
    shown = next((v for v in versions if v.number == number), current)
    questions = list(shown.questions.all())
    groups = [
        (d.label, [(q, scorable(q), q.code in KEY_CODES) for q in questions if q.dimension == d])
        for d in Dimension
    ]
    context = {
        "questionnaire": found,
        "versions": versions,
        "shown": shown,
        "is_current": shown.pk == current.pk,
        "groups": [g for g in groups if g[1]],
        "answered": bool(current.responses.exclude(status="pending").exists()),
    }
    return render(request, "readiness/questionnaire.html", context)


def _question_page(request, found: Questionnaire, question: Question | None):
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(actor=request.user, questionnaire=found,
                                   data=form.data_for_service(),
                                   code=question.code if question else None)  # fmt: skip
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("readiness:questionnaire", found.pk)
    context = {"questionnaire": found, "form": form, "question": question,
               "key": bool(question and question.code in KEY_CODES)}  # fmt: skip
    return render(request, "readiness/question_form.html", context,
                  status=422 if form.errors else 200)  # fmt: skip


@login_required
def question_add(request, pk: int):
    return _question_page(request, questionnaire_for_user(request.user, pk), None)


@login_required
def question_edit(request, pk: int, code: str):
    found = questionnaire_for_user(request.user, pk)
    question = services.current_version(found).questions.filter(code=code).first()
    if question is None:
        from django.http import Http404

        raise Http404
    return _question_page(request, found, question)


@login_required
@require_POST
def question_remove(request, pk: int, code: str):
    found = questionnaire_for_user(request.user, pk)
    try:
        services.question_remove(actor=request.user, questionnaire=found, code=code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The question is removed."))
    return redirect("readiness:questionnaire", found.pk)


@login_required
def index_settings(request):
    municipality = _municipality(request)
    current = settings_for(municipality.pk)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(actor=request.user, municipality=municipality,
                                     **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The settings are saved; the index is recomputed."))
            return redirect("readiness:settings")
    return render(request, "readiness/settings.html", {"form": form},
                  status=422 if form.errors else 200)  # fmt: skip
