"""Who may do what with offers, applications and agreements.

- An institution's administrators manage its offers and decide the applications to them
  (the provider); the home school's administrators confirm the applications of their
  students to the offers of network programmes.
- A student applies for themselves, a parent only for their own children; each withdraws
  their own application; the provider may also end an enrolment.
- An agreement is seen by its parties: a draft only by the parties' administrators, an
  agreed or active one also by the parties' employees and the municipality's administrators
  and methodologists. The base institution's administrators edit a draft, put it in force
  and end it; every party's administrators approve it and attach signed copies.
"""

from __future__ import annotations

import rules

from setka.network.roles import user_roles

from .models import Agreement, Application, Offer

PARTY_IDS_ATTR = "_party_ids"


def party_ids(agreement: Agreement) -> frozenset[int]:
    """The institutions of the agreement's parties (read once and kept on the object)."""
    cached = getattr(agreement, PARTY_IDS_ATTR, None)
    if cached is None:
        cached = frozenset(agreement.parties.values_list("institution_id", flat=True))
        setattr(agreement, PARTY_IDS_ATTR, cached)
    return cached


def remember_party_ids(agreement: Agreement, ids) -> None:
    setattr(agreement, PARTY_IDS_ATTR, frozenset(ids))


def _municipal_reader(roles, municipality_id: int) -> bool:
    return municipality_id in (roles.municipal_admin_of | roles.methodologist_of)


@rules.predicate
def manages_institution(user, institution) -> bool:
    if institution is None:
        return bool(user_roles(user).admin_of)
    return institution.pk in user_roles(user).admin_of


@rules.predicate
def manages_offer(user, offer: Offer | None) -> bool:
    return offer is not None and offer.institution_id in user_roles(user).admin_of


@rules.predicate
def views_offer(user, offer: Offer | None) -> bool:
    if offer is None:
        return False
    if offer.status == Offer.Status.PUBLISHED:
        return True
    roles = user_roles(user)
    return offer.institution_id in roles.admin_of or _municipal_reader(roles, offer.municipality_id)


@rules.predicate
def decides_application(user, application: Application | None) -> bool:
    return application is not None and application.institution_id in user_roles(user).admin_of


@rules.predicate
def confirms_application(user, application: Application | None) -> bool:
    return application is not None and application.home_institution_id in user_roles(user).admin_of


@rules.predicate
def owns_application(user, application: Application | None) -> bool:
    """The student, the person who applied, or a parent of the student."""
    if application is None:
        return False
    roles = user_roles(user)
    return roles.person_id is not None and (
        roles.person_id in (application.student_id, application.applicant_id)
        or application.student_id in roles.children
    )


@rules.predicate
def applies_for(user, person) -> bool:
    roles = user_roles(user)
    return person is not None and (
        (person.pk == roles.person_id and bool(roles.student_of)) or person.pk in roles.children
    )


@rules.predicate
def party_admin(user, agreement: Agreement | None) -> bool:
    if agreement is None:
        return False
    return bool(party_ids(agreement) & user_roles(user).admin_of)


@rules.predicate
def base_admin(user, agreement: Agreement | None) -> bool:
    return agreement is not None and agreement.institution_id in user_roles(user).admin_of


@rules.predicate
def reads_agreement(user, agreement: Agreement | None) -> bool:
    if agreement is None:
        return False
    roles = user_roles(user)
    if party_ids(agreement) & roles.admin_of:
        return True
    if agreement.status == Agreement.Status.DRAFT:
        return False
    return bool(party_ids(agreement) & roles.employee_of) or _municipal_reader(
        roles, agreement.municipality_id
    )


@rules.predicate
def reads_scans(user, agreement: Agreement | None) -> bool:
    if agreement is None:
        return False
    roles = user_roles(user)
    return bool(party_ids(agreement) & roles.admin_of) or (
        agreement.status != Agreement.Status.DRAFT
        and agreement.municipality_id in roles.municipal_admin_of
    )


rules.add_perm("programs.manage_offers", manages_institution)
rules.add_perm("programs.change_offer", manages_offer)
rules.add_perm("programs.view_offer", views_offer)
rules.add_perm("programs.apply_for", applies_for)
rules.add_perm("programs.decide_application", decides_application)
rules.add_perm("programs.confirm_application", confirms_application)
rules.add_perm("programs.withdraw_application", owns_application | decides_application)
rules.add_perm(
    "programs.view_application", owns_application | decides_application | confirms_application
)
rules.add_perm("programs.add_agreement", manages_institution)
rules.add_perm("programs.view_agreement", reads_agreement)
rules.add_perm("programs.change_agreement", base_admin)
rules.add_perm("programs.approve_agreement", party_admin)
rules.add_perm("programs.view_scans", reads_scans)
rules.add_perm("programs.add_scan", party_admin)
