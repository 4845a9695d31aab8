"""Fetch-and-authorize for the readiness survey: what a user may not see answers 404, like a
missing object (``rules.py`` says who sees what)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from setka.network.models import Institution
from setka.network.roles import user_roles

from .models import Campaign, Questionnaire, Response


def runs_in(user) -> frozenset[int]:
    """The municipalities whose survey the user runs (methodologist, municipal admin)."""
    roles = user_roles(user)
    return roles.methodologist_of | roles.municipal_admin_of


def campaigns_for_user(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(municipality_id__in=runs_in(user))


def campaign_for_user(user, pk: int) -> Campaign:
    campaign = campaigns_for_user(user).select_related("questionnaire").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def response_for_user(user, pk: int) -> Response:
    """A response of the user's institution, or of a municipality whose survey they run."""
    response = (
        Response.objects.select_related("campaign", "institution", "version").filter(pk=pk).first()
    )
    if response is None or not (
        response.institution_id in user_roles(user).admin_of
        or response.campaign.municipality_id in runs_in(user)
    ):
        raise Http404
    return response


def _institution(user, institution: Institution | None) -> Institution:
    if institution is None or not (
        institution.pk in user_roles(user).admin_of or institution.municipality_id in runs_in(user)
    ):
        raise Http404
    return institution


def institution_for_user(user, slug: str) -> Institution:
    """The user's own institution, or one of a municipality whose survey they run."""
    return _institution(user, Institution.objects.filter(slug=slug).first())


def institution_by_id_for_user(user, pk: int) -> Institution:
    return _institution(user, Institution.objects.filter(pk=pk).first())


def questionnaire_for_user(user, pk: int) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(pk=pk, municipality_id__in=runs_in(user)).first()
    if questionnaire is None:
        raise Http404
    return questionnaire
