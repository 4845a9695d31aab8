"""A guardianship: its end."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from setka.core.api import forbidden
from setka.core.api_errors import Id, errors_for

from .. import services
from ..access import guardianship_for_user
from ..models import Guardianship
from ..schemas import GuardianshipOut

router = Router(tags=["network"])


@router.post(
    "/guardianships/{guardianship_id}/end",
    response={200: GuardianshipOut, **errors_for(401, 403, 404, 422)},
    summary="End a guardianship",
    description="From today the parent no longer sees the student. The history stays.",
)
def guardianship_end(request: HttpRequest, guardianship_id: Id) -> Guardianship:
    guardianship = guardianship_for_user(request.user, guardianship_id)
    if not request.user.has_perm("network.change_person", guardianship.student):
        raise forbidden(_("You cannot change the parents of this student."))
    return services.guardianship_end(actor=request.user, guardianship=guardianship)
