"""A person: their card, their data, a new role, a new parent and a sign-in account."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Router, Status

from setka.core.api import blank_nulls, forbidden
from setka.core.api_errors import Id, errors_for

from .. import services
from ..models import Institution, Person
from ..schemas import (
    AccountCreateIn,
    AccountOut,
    GuardianCreateIn,
    GuardianshipOut,
    MembershipCreateIn,
    MembershipOut,
    PersonOut,
    PersonPatchIn,
)
from .common import existing_or_new, person_detail_of, person_or_404

router = Router(tags=["network"])


@router.get(
    "/people/{person_id}",
    response={200: PersonOut, **errors_for(401, 404, 422)},
    summary="One person",
    description=(
        "The person, their memberships, parents and children, and the changes of their e-mail "
        "address, as far as you may see them. Visible to themselves, their parents, their "
        "institutions' administrators, colleagues (for employees) and the municipal admins."
    ),
)
def person_detail(request: HttpRequest, person_id: Id) -> Person:
    person = person_or_404(request, person_id)
    return person_detail_of(request, person.pk)


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, **errors_for(401, 403, 404, 422)},
    summary="Change a person's data",
    description=(
        "Only the fields sent change. For their administrators and the municipal admins. The "
        "e-mail of a person with an account is the account's sign-in address: only someone who "
        "manages every role of the account (every institution, the municipal roles, the "
        "children's institutions) may change it, others get 403; the old address is told of "
        "the change."
    ),
)
def person_update(request: HttpRequest, person_id: Id, payload: PersonPatchIn) -> Person:
    person = person_or_404(request, person_id, change=True)
    data = blank_nulls(payload.model_dump(exclude_unset=True), Person)
    try:
        services.person_update(actor=request.user, person=person, **data)
    except PermissionDenied as exc:  # the sign-in address of an account (``sign_in_email``)
        raise forbidden(str(exc)) from exc
    return person_detail_of(request, person.pk)


@router.post(
    "/people/{person_id}/memberships",
    response={201: MembershipOut, **errors_for(401, 403, 404, 422)},
    summary="Give a person a role in an institution",
    description="You must manage both the person and the people of the institution.",
)
def membership_create(
    request: HttpRequest, person_id: Id, payload: MembershipCreateIn
) -> Status[Any]:
    person = person_or_404(request, person_id, change=True)
    institution = Institution.objects.filter(pk=payload.institution_id).first()
    if institution is None or not request.user.has_perm("network.manage_people", institution):
        raise ValidationError(
            {"institution_id": _("There is no such institution, or you cannot manage its people.")}
        )
    membership = services.membership_create(
        actor=request.user,
        person=person,
        institution=institution,
        role=payload.role,
        position=payload.position,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, membership)


@router.post(
    "/people/{person_id}/guardians",
    response={201: GuardianshipOut, **errors_for(401, 403, 404, 422)},
    summary="Link a parent to a student",
    description=(
        "Creates the parent (`guardian`) or takes one you already manage (`guardian_id`, "
        "e.g. the parent of a brother or sister) and links them to the student. Details of "
        "someone the network already knows (the same e-mail and name, or the same full name "
        "and date of birth) take that person instead of a duplicate, as the page does."
    ),
)
def guardian_create(request: HttpRequest, person_id: Id, payload: GuardianCreateIn) -> Status[Any]:
    student = person_or_404(request, person_id, change=True)
    with transaction.atomic():
        guardian = existing_or_new(
            request,
            payload.guardian_id,
            payload.guardian,
            student.municipality_id,
            ("guardian_id", "guardian"),
        )
        guardianship = services.guardianship_create(
            actor=request.user, guardian=guardian, student=student, kind=payload.kind
        )
    return Status(201, guardianship)


@router.post(
    "/people/{person_id}/account",
    response={201: AccountOut, **errors_for(401, 403, 404, 422)},
    summary="Create a sign-in account for a person",
    description=(
        "Makes a login from the person's name and, if they have an e-mail address, sends them "
        "a link to set their own password."
    ),
)
def account_create(
    request: HttpRequest, person_id: Id, payload: Body[AccountCreateIn | None] = None
) -> Status[Any]:
    person = person_or_404(request, person_id, change=True)
    send = payload.send_invitation if payload is not None else True
    user = services.person_account_create(actor=request.user, person=person, send_invitation=send)
    body = {
        "person_id": person.pk,
        "username": user.username,
        "invitation_sent": bool(send and person.email),
    }
    return Status(201, body)
