"""The network API, part two: the people of an institution, people, their memberships,
parents and sign-in accounts. See ``network.api`` for the rules of answers."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status
from ninja.pagination import paginate

from setka.core.api_errors import Id, errors_for
from setka.core.clock import today
from setka.core.permissions import get_for_user_or_404

from . import services
from .api import PAGES, Pages, blank_nulls, forbidden, institution_or_404
from .models import Guardianship, Institution, Membership, Municipality, Person
from .schemas import (
    AccountCreateIn,
    AccountOut,
    GuardianCreateIn,
    GuardianshipOut,
    MemberCreateIn,
    MemberFilter,
    MemberOut,
    MembershipCreateIn,
    MembershipOut,
    MembershipPatchIn,
    PersonIn,
    PersonOut,
    PersonPatchIn,
)
from .selectors import person_card

router = Router(tags=["network"])


# --- helpers ------------------------------------------------------------------------------


def _person(request: HttpRequest, person_id: int, *, change: bool = False) -> Person:
    person = get_for_user_or_404(request.user, "network.view_person", Person, pk=person_id)
    if change and not request.user.has_perm("network.change_person", person):
        raise forbidden(_("You cannot change the data of this person."))
    return person


def _referenced_person(request: HttpRequest, person_id: int, field: str) -> Person:
    """A person named in the body: only one the actor already manages (else anyone could
    attach, and then manage, any person of the municipality)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not request.user.has_perm("network.change_person", person):
        raise ValidationError({field: _("There is no such person, or you cannot manage them.")})
    return person


def _new_person(request: HttpRequest, data: PersonIn, municipality_id: int, field: str) -> Person:
    try:
        return services.person_create(
            actor=request.user,
            municipality=Municipality(pk=municipality_id),
            **data.model_dump(),
        )
    except ValidationError as exc:  # name the fields as the client sent them: person.surname
        raise ValidationError(
            {f"{field}.{name}": errors for name, errors in exc.message_dict.items()}
        ) from exc


def _one_of(existing: int | None, new: object, existing_field: str, new_field: str) -> None:
    if (existing is None) == (new is None):
        raise ValidationError(
            {
                new_field: _("Give either %(existing)s or %(new)s, exactly one of them.")
                % {"existing": existing_field, "new": new_field}
            }
        )


def _person_detail(request: HttpRequest, person_id: int) -> Person:
    """The person with what the user may see of them (``selectors.person_card``: the page
    shows the same)."""
    person = Person.objects.get(pk=person_id)
    person.card = person_card(request.user, person)  # type: ignore[attr-defined]
    return person


# --- members of an institution ------------------------------------------------------------


@router.get(
    "/institutions/{institution_id}/members",
    response={200: list[MemberOut], **errors_for(401, 403, 404, 422)},
    summary="The people of an institution",
    description=(
        "Memberships of the institution with their people, by surname: today's (`active`), "
        "ended (`former`) or `all`. For the institution's administrators, the municipal "
        "admins and the methodologists."
    ),
)
@paginate(Pages, **PAGES)
def member_list(
    request: HttpRequest, institution_id: Id, filters: Query[MemberFilter]
) -> QuerySet[Membership]:
    institution = institution_or_404(request, institution_id)
    if not request.user.has_perm("network.view_people", institution):
        raise forbidden(_("You cannot see the people of this institution."))
    qs = Membership.objects.filter(institution=institution).select_related("person")
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.status == "active":
        qs = qs.active()
    elif filters.status == "former":
        qs = qs.filter(ends_on__lt=today())
    for word in filters.q.split()[:8]:
        qs = qs.filter(
            Q(person__surname__icontains=word)
            | Q(person__given_name__icontains=word)
            | Q(person__patronymic__icontains=word)
        )
    return qs.order_by("person__surname", "person__given_name", "person__patronymic", "id")


@router.post(
    "/institutions/{institution_id}/members",
    response={201: MemberOut, **errors_for(401, 403, 404, 422)},
    summary="Add a person to an institution",
    description=(
        "Creates the person (`person`) or takes one you already manage (`person_id`), and "
        "gives them a role in the institution. For its administrators and the municipal admins."
    ),
)
def member_create(request: HttpRequest, institution_id: Id, payload: MemberCreateIn) -> Status[Any]:
    institution = institution_or_404(request, institution_id)
    if not request.user.has_perm("network.manage_people", institution):
        raise forbidden(_("You cannot manage the people of this institution."))
    _one_of(payload.person_id, payload.person, "person_id", "person")
    with transaction.atomic():
        if payload.person_id is not None:
            person = _referenced_person(request, payload.person_id, "person_id")
        else:
            assert payload.person is not None  # noqa: S101 - checked by _one_of
            person = _new_person(request, payload.person, institution.municipality_id, "person")
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


# --- people -------------------------------------------------------------------------------


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
    person = _person(request, person_id)
    return _person_detail(request, person.pk)


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
    person = _person(request, person_id, change=True)
    data = blank_nulls(payload.model_dump(exclude_unset=True), Person)
    try:
        services.person_update(actor=request.user, person=person, **data)
    except PermissionDenied as exc:  # the sign-in address of an account (``sign_in_email``)
        raise forbidden(str(exc)) from exc
    return _person_detail(request, person.pk)


@router.post(
    "/people/{person_id}/memberships",
    response={201: MembershipOut, **errors_for(401, 403, 404, 422)},
    summary="Give a person a role in an institution",
    description="You must manage both the person and the people of the institution.",
)
def membership_create(
    request: HttpRequest, person_id: Id, payload: MembershipCreateIn
) -> Status[Any]:
    person = _person(request, person_id, change=True)
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


@router.patch(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **errors_for(401, 403, 404, 422)},
    summary="Change or end a membership",
    description=(
        "Set the position or the end date (`ends_on`; `null` reopens it). Nothing is deleted: "
        "the history stays. For those who manage the people of its institution."
    ),
)
def membership_update(
    request: HttpRequest, membership_id: Id, payload: MembershipPatchIn
) -> Membership:
    membership = (
        Membership.objects.select_related("institution", "person").filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404
    if not request.user.has_perm("network.manage_people", membership.institution):
        if request.user.has_perm("network.view_person", membership.person):
            raise forbidden(_("You cannot manage the people of this institution."))
        raise Http404
    data = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    if data.get("position") is not None:
        changes["position"] = data["position"]
    if "ends_on" in data:
        changes["ends_on"] = data["ends_on"]
    return services.membership_update(actor=request.user, membership=membership, **changes)


# --- guardianship and accounts ------------------------------------------------------------


@router.post(
    "/people/{person_id}/guardians",
    response={201: GuardianshipOut, **errors_for(401, 403, 404, 422)},
    summary="Link a parent to a student",
    description=(
        "Creates the parent (`guardian`) or takes one you already manage (`guardian_id`, "
        "e.g. the parent of a brother or sister) and links them to the student."
    ),
)
def guardian_create(request: HttpRequest, person_id: Id, payload: GuardianCreateIn) -> Status[Any]:
    student = _person(request, person_id, change=True)
    _one_of(payload.guardian_id, payload.guardian, "guardian_id", "guardian")
    with transaction.atomic():
        if payload.guardian_id is not None:
            guardian = _referenced_person(request, payload.guardian_id, "guardian_id")
        else:
            assert payload.guardian is not None  # noqa: S101 - checked by _one_of
            guardian = _new_person(request, payload.guardian, student.municipality_id, "guardian")
        guardianship = services.guardianship_create(
            actor=request.user, guardian=guardian, student=student, kind=payload.kind
        )
    return Status(201, guardianship)


@router.post(
    "/guardianships/{guardianship_id}/end",
    response={200: GuardianshipOut, **errors_for(401, 403, 404, 422)},
    summary="End a guardianship",
    description="From today the parent no longer sees the student. The history stays.",
)
def guardianship_end(request: HttpRequest, guardianship_id: Id) -> Guardianship:
    guardianship = (
        Guardianship.objects.select_related("guardian", "student")
        .filter(pk=guardianship_id)
        .first()
    )
    if guardianship is None:
        raise Http404
    if not request.user.has_perm("network.change_person", guardianship.student):
        if request.user.has_perm("network.view_person", guardianship.student):
            raise forbidden(_("You cannot change the parents of this student."))
        raise Http404
    return services.guardianship_end(actor=request.user, guardianship=guardianship)


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
    person = _person(request, person_id, change=True)
    send = payload.send_invitation if payload is not None else True
    user = services.person_account_create(actor=request.user, person=person, send_invitation=send)
    body = {
        "person_id": person.pk,
        "username": user.username,
        "invitation_sent": bool(send and person.email),
    }
    return Status(201, body)
