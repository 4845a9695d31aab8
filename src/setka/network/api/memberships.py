"""A membership: its position and end date."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from setka.core.api import forbidden
from setka.core.api_errors import Id, errors_for

from .. import services
from ..access import membership_for_user
from ..models import Membership
from ..schemas import MembershipOut, MembershipPatchIn

router = Router(tags=["network"])


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
    membership = membership_for_user(request.user, membership_id)
    if not request.user.has_perm("network.manage_people", membership.institution):
        raise forbidden(_("You cannot manage the people of this institution."))
    data = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    if data.get("position") is not None:
        changes["position"] = data["position"]
    if "ends_on" in data:
        changes["ends_on"] = data["ends_on"]
    return services.membership_update(actor=request.user, membership=membership, **changes)
