"""Applications through the API: apply (yourself or your child), the applications you may
see, one application, and its steps: the home school's confirmation, the provider's
decision, withdrawal. A second live application of a student to an offer, or a step the
application is past, is a 409 naming it."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages
from setka.core.api_errors import Id, errors_for
from setka.network.models import Person
from setka.network.roles import user_roles

from .. import access, rules
from ..models import Application
from ..selectors import applications as selectors
from ..services import applications as service
from ..services.common import Conflict
from .common import conflict, forbid, invalid, lookup
from .schemas import (
    ApplicationFilter,
    ApplicationIn,
    ApplicationOut,
    ConfirmIn,
    DecideIn,
    ReasonIn,
)

router = Router(tags=["programs"])


def _answer(request: HttpRequest, application: Application) -> Application:
    """The application as it is now, with what the answer shows of it."""
    return access.application_for_user(request.user, application.pk)


@router.get(
    "/programs/applications",
    response={200: list[ApplicationOut], **errors_for(401, 422)},
    summary="Applications I may see",
    description=(
        "`show=mine` (default): yours and your children's; `decide`: awaiting your "
        "institutions (as the provider or the home school); `all`: every one you may see."
    ),
)
@paginate(Pages, **PAGES)
def application_list(
    request: HttpRequest, filters: Query[ApplicationFilter]
) -> QuerySet[Application]:
    roles = user_roles(request.user)
    if filters.show == "decide":
        return selectors.to_decide(roles)
    if filters.show == "all":
        return selectors.visible_applications(roles)
    return selectors.family_applications(roles)


@router.post(
    "/programs/applications",
    response={201: ApplicationOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Apply to an offer",
    description=(
        "For yourself (a student) or your child. Outside the application window, a grade or "
        "age the offer does not take, or a student of a school outside the offer's agreement: "
        "a 422 naming the field. A second live application of the student to the offer: a 409 "
        "whose problem document has a `conflict` member (`type`, `id`, `status`) naming the "
        "first one. A first-come-first-served offer answers `accepted` while places "
        "last, then `waitlisted`; under an agreement, the home school confirms first "
        "(`home_review`)."
    ),
)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Any:
    offer = access.offer_for_user(request.user, payload.offer_id)
    student = lookup(Person, payload.student_id, "student_id")
    if not rules.applies_for(request.user, student):
        raise invalid("student_id", _("You may apply only for yourself or for your own children."))
    try:
        application = service.application_create(
            actor=request.user, offer=offer, student=student, message=payload.message
        )
    except Conflict as exc:
        return conflict(request, exc)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return Status(201, _answer(request, application))


@router.get(
    "/programs/applications/{application_id}",
    response={200: ApplicationOut, **errors_for(401, 404, 422)},
    summary="One application",
    description="For the family, the provider's and the home school's administrators.",
)
def application_get(request: HttpRequest, application_id: Id) -> Application:
    return access.application_for_user(request.user, application_id)


def _step(request: HttpRequest, application_id: int, act) -> Any:
    application = access.application_for_user(request.user, application_id)
    try:
        done = act(application)
    except Conflict as exc:
        return conflict(request, exc)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return Status(200, _answer(request, done))


STEP_RESPONSES = {200: ApplicationOut, **errors_for(401, 403, 404, 409, 422)}


@router.post(
    "/programs/applications/{application_id}/confirm",
    response=STEP_RESPONSES,
    summary="The home school confirms or declines",
    description=(
        "For the home school's administrators, while the application awaits them "
        "(`home_review`): `approve: true` passes it to the provider, `false` rejects it. "
        "An application past that step: a 409 with `conflict`."
    ),
)
def application_confirm(request: HttpRequest, application_id: Id, payload: ConfirmIn) -> Any:
    return _step(
        request,
        application_id,
        lambda a: service.application_confirm(
            actor=request.user, application=a, approve=payload.approve, reason=payload.reason
        ),
    )


@router.post(
    "/programs/applications/{application_id}/decide",
    response=STEP_RESPONSES,
    summary="The provider decides",
    description=(
        "For the provider's administrators: `accept` takes a place if one is free (else the "
        "application goes to the waiting list: look at `status`), `waitlist`, or `reject`. "
        "An application past that step: a 409 with `conflict`."
    ),
)
def application_decide(request: HttpRequest, application_id: Id, payload: DecideIn) -> Any:
    return _step(
        request,
        application_id,
        lambda a: service.application_decide(
            actor=request.user, application=a, decision=payload.decision, reason=payload.reason
        ),
    )


@router.post(
    "/programs/applications/{application_id}/withdraw",
    response=STEP_RESPONSES,
    summary="Withdraw an application or leave a course",
    description=(
        "For the student, who applied and the student's parents; the provider's "
        "administrators may end an enrolment too. A freed place goes to the first on the "
        "waiting list. An application already closed: a 409 with `conflict`."
    ),
)
def application_withdraw(request: HttpRequest, application_id: Id, payload: ReasonIn) -> Any:
    return _step(
        request,
        application_id,
        lambda a: service.application_withdraw(
            actor=request.user, application=a, reason=payload.reason
        ),
    )
