"""Fetch-and-authorize for the programmes: an object the user may not see answers 404, like a
missing one."""

from __future__ import annotations

from django.http import Http404

from setka.network.models import Institution
from setka.network.roles import user_roles

from . import rules
from .models import Agreement, AgreementParty, AgreementScan, Application, Offer


def offer_for_user(user, pk: int) -> Offer:
    """An offer of the catalogue (anyone), or a draft or archived one (its provider)."""
    offer = (
        Offer.objects.select_related(
            "institution", "venue_institution", "subject", "credited_subject", "agreement", "group"
        )
        .filter(pk=pk)
        .first()
    )
    if offer is None or not rules.views_offer(user, offer):
        raise Http404
    return offer


def offer_to_manage(user, pk: int) -> Offer:
    """An offer its provider's administrators manage; anyone else: 404."""
    offer = offer_for_user(user, pk)
    if not rules.manages_offer(user, offer):
        raise Http404
    return offer


def provider_for_user(user, pk: int) -> Institution:
    """An institution whose offers the user manages."""
    if pk not in user_roles(user).admin_of:
        raise Http404
    return Institution.objects.get(pk=pk)


def application_for_user(user, pk: int) -> Application:
    application = (
        Application.objects.select_related(
            "offer__institution",
            "offer__agreement",
            "student",
            "applicant",
            "home_institution",
            "member",
        )
        .filter(pk=pk)
        .first()
    )
    if application is None or not user.has_perm("programs.view_application", application):
        raise Http404
    return application


def agreement_for_user(user, pk: int) -> Agreement:
    agreement = (
        Agreement.objects.select_related("institution", "municipality").filter(pk=pk).first()
    )
    if agreement is None:
        raise Http404
    parties = list(agreement.parties.select_related("institution"))
    rules.remember_party_ids(agreement, [p.institution_id for p in parties])
    if not rules.reads_agreement(user, agreement):
        raise Http404
    agreement.party_list = parties  # type: ignore[attr-defined]
    return agreement


def parties_of(agreement: Agreement) -> list[AgreementParty]:
    """The parties read by :func:`agreement_for_user` (with their institutions)."""
    return agreement.party_list  # type: ignore[attr-defined]


def scan_for_user(user, pk: int) -> AgreementScan:
    scan = AgreementScan.objects.select_related("agreement").filter(pk=pk).first()
    if scan is None or not rules.reads_scans(user, scan.agreement):
        raise Http404
    return scan
