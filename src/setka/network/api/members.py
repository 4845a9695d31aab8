"""The people of an institution: the list, and adding a person with a role."""

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages, forbidden
from setka.core.api_errors import Id, errors_for
from setka.core.clock import today

from .. import services
from ..access import institution_for_user
from ..models import Membership
from ..schemas import MemberCreateIn, MemberFilter, MemberOut
from .common import existing_or_new

router = Router(tags=["network"])


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
    institution = institution_for_user(request.user, pk=institution_id)
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
        "gives them a role in the institution. Details of someone the network already knows "
        "(the same e-mail and name, or the same full name and date of birth) take that person "
        "instead of a duplicate, as the page does; another person's e-mail is a 422. For the "
        "institution's administrators and the municipal admins."
    ),
)
def member_create(request: HttpRequest, institution_id: Id, payload: MemberCreateIn) -> Status[Any]:
    institution = institution_for_user(request.user, pk=institution_id)
    if not request.user.has_perm("network.manage_people", institution):
        raise forbidden(_("You cannot manage the people of this institution."))
    with transaction.atomic():
        person = existing_or_new(
            request,
            payload.person_id,
            payload.person,
            institution.municipality_id,
            ("person_id", "person"),
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
