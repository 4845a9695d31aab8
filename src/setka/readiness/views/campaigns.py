"""The readiness hub, campaigns (start, change, close, remind, recompute) and the municipal
dashboard of a campaign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setka.core.clock import today
from setka.network.models import Municipality
from setka.network.roles import user_roles

from .. import services
from ..access import campaign_for_user, campaigns_for_user, runs_in
from ..forms import CampaignForm
from ..models import Questionnaire, Response
from . import form_errors


@login_required
def index(request):
    """What the user does in the survey: run it, answer for their institution, assess
    themself."""
    roles = user_roles(request.user)
    municipalities = runs_in(request.user)
    context: dict = {"runs": bool(municipalities), "asking": None}
    if municipalities:
        context["campaigns"] = list(
            campaigns_for_user(request.user).select_related("questionnaire")
        )
        context["questionnaires_exist"] = Questionnaire.objects.filter(
            municipality_id__in=municipalities
        ).exists()
    if roles.admin_of:
        context["responses"] = list(
            Response.objects.filter(institution_id__in=roles.admin_of)
            .select_related("campaign", "institution")
            .order_by("institution__short_name", "-campaign__starts_on")
        )
    if roles.teacher_of:
        context["asking"] = list(services.campaigns_asking(roles.teacher_of)[:3])
    if not (municipalities or roles.admin_of or roles.teacher_of):
        raise PermissionDenied
    context["today"] = today()
    return render(request, "readiness/index.html", context)


def _municipality_or_403(request) -> Municipality:
    municipalities = sorted(runs_in(request.user))
    if not municipalities:
        raise PermissionDenied
    return Municipality.objects.get(pk=municipalities[0])


@login_required
def campaign_create(request):
    municipality = _municipality_or_403(request)
    form = CampaignForm(request.POST or None, municipality_id=municipality.pk)
    first = not form.fields["questionnaire"].queryset.exists()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the first questionnaire only with its campaign
                questionnaire = data["questionnaire"] or _first_questionnaire(request, municipality)
                campaign = services.campaign_create(
                    actor=request.user,
                    municipality=municipality,
                    title=data["title"],
                    questionnaire=questionnaire,
                    starts_on=data["starts_on"],
                    deadline=data["deadline"],
                    kinds=data["kinds"],
                    teachers_asked=data["teachers_asked"],
                )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The campaign is started."))
            return redirect("readiness:campaign", campaign.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "first": first}
    return render(request, "readiness/campaign_form.html", context, status=status)


def _first_questionnaire(request, municipality: Municipality) -> Questionnaire:
    """No questionnaire chosen: Setka's default, when the municipality has none yet."""
    if Questionnaire.objects.filter(municipality=municipality).exists():
        raise ValidationError({"questionnaire": [_("Choose a questionnaire.")]})
    title = _("Readiness for network interaction")
    return services.questionnaire_create(actor=request.user, municipality=municipality, title=title)


@login_required
def campaign_edit(request, pk: int):
    campaign = campaign_for_user(request.user, pk)
    initial = {f: getattr(campaign, f) for f in services.campaigns.CAMPAIGN_FIELDS}
    form = CampaignForm(
        request.POST or None,
        initial=initial,
        municipality_id=campaign.municipality_id,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("readiness:campaign", campaign.pk)
    context = {"form": form, "campaign": campaign}
    return render(
        request, "readiness/campaign_form.html", context, status=422 if form.errors else 200
    )


@login_required
@require_POST
def campaign_close(request, pk: int):
    campaign = campaign_for_user(request.user, pk)
    closing = request.POST.get("action") != "reopen"
    services.campaign_close(actor=request.user, campaign=campaign, closed=closing)
    messages.success(
        request, _("The campaign is closed.") if closing else _("The campaign is open again.")
    )
    return redirect("readiness:campaign", campaign.pk)


@login_required
@require_POST
def campaign_remind(request, pk: int):
    campaign = campaign_for_user(request.user, pk)
    try:
        told = services.campaign_remind(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            ngettext("%(n)s person is reminded.", "%(n)s people are reminded.", told) % {"n": told},
        )
    return redirect("readiness:campaign", campaign.pk)


@login_required
@require_POST
def campaign_recompute(request, pk: int):
    campaign = campaign_for_user(request.user, pk)
    n = services.campaign_recompute(actor=request.user, campaign=campaign)
    messages.success(
        request,
        ngettext("The index of %(n)s institution is recomputed.",
                 "The index of %(n)s institutions is recomputed.", n) % {"n": n},
    )  # fmt: skip
    return redirect("readiness:campaign", campaign.pk)
