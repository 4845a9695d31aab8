"""Taking part through the API: the join URL, the recording, observation protocols and their
summary, the criteria, certificates and their public check, the personal feed."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from setka.core.api import forbidden
from setka.core.api_auth import PUBLIC, PUBLIC_SECURITY
from setka.core.api_errors import ApiProblem, Id, errors_for
from setka.network.roles import user_roles

from .. import rules, services
from ..access import certificate_by_code, event_for_user, event_to_run
from ..models import Certificate, Criterion, Kind, Protocol
from ..pdf import check_url
from ..selectors_observation import summary
from ..services.registrations import join_refusal
from .common import detail_out, forbid
from .schemas import (
    CertificateOut,
    CriterionOut,
    EventDetailOut,
    FeedOut,
    JoinOut,
    ProtocolIn,
    ProtocolOut,
    RecordingIn,
    SummaryOut,
)

router = Router(tags=["events"])


@router.get(
    "/events/{event_id}/join-url",
    response={200: JoinOut, **errors_for(401, 403, 404, 422)},
    summary="The address of the online room",
    description=(
        "For registered participants (moderator rights for hosts and organisers), from 15 "
        "minutes before the start to the end; records the person's attendance. Not "
        "registered or too early: a 403 saying why. The provider's secret never leaves the "
        "server: the address carries a signed token or checksum for this person only."
    ),
)
def join_url(request: HttpRequest, event_id: Id) -> dict[str, str]:
    event = event_for_user(request.user, event_id)
    roles = user_roles(request.user)
    from .. import selectors

    problem = join_refusal(roles, event, selectors.registration_of(roles.person_id, event))
    if problem:
        raise forbidden(problem)
    return {"url": services.join(actor=request.user, event=event)}


@router.post(
    "/events/{event_id}/recording",
    response={200: EventDetailOut, **errors_for(401, 403, 404, 422)},
    summary="Publish the recording",
    description="The hosts and organisers, after the event; the registered participants are told.",
)
def recording_publish(request: HttpRequest, event_id: Id, payload: RecordingIn) -> Any:
    event = event_to_run(request.user, event_id)
    try:
        services.recording_publish(
            actor=request.user, event=event, url=str(payload.url) if payload.url else ""
        )
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return detail_out(request, event_for_user(request.user, event_id))


@router.put(
    "/events/{event_id}/protocol",
    response={200: ProtocolOut, **errors_for(401, 403, 404, 422)},
    summary="My observation protocol of an open lesson",
    description=(
        "For the registered observers (and the methodologists), from the start of the lesson: "
        "a score 0–2 for every criterion in use (`scores`: criterion id → {value, comment}). "
        "A score out of range or a missing criterion: a 422 naming it (`scores.<id>`)."
    ),
)
def protocol_put(request: HttpRequest, event_id: Id, payload: ProtocolIn) -> dict[str, Any]:
    event = event_for_user(request.user, event_id)
    scores: dict[int, Any] = {}
    for key, score in payload.scores.items():
        if not key.isdigit():
            raise ValidationError({f"scores.{key}": _("There is no such criterion.")})
        scores[int(key)] = (score.value, score.comment)
    try:
        protocol = services.protocol_save(
            actor=request.user, event=event, scores=scores, comment=payload.comment
        )
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return _protocol(protocol)


def _protocol(protocol: Protocol) -> dict[str, Any]:
    return {
        "id": protocol.pk,
        "event_id": protocol.event_id,
        "comment": protocol.comment,
        "scores": {str(s.criterion_id): s.value for s in protocol.scores.all()},
    }


@router.get(
    "/events/{event_id}/protocols",
    response={200: SummaryOut, **errors_for(401, 404, 422)},
    summary="The observation results of an open lesson",
    description=(
        "The host and organisers: the average of each criterion, the comments and the total; "
        "the methodologists also each observer's protocol."
    ),
)
def protocol_summary(request: HttpRequest, event_id: Id) -> dict[str, Any]:
    event = event_to_run(request.user, event_id)
    if event.kind != Kind.OPEN_LESSON:
        raise Http404
    data = summary(event, with_protocols=rules.sees_all_protocols(user_roles(request.user), event))
    return {
        **data,
        "rows": [
            {**row, "average": float(row["average"]) if row["average"] is not None else None}
            for row in data["rows"]
        ],
        "protocols": [
            {"observer": {"id": p["protocol"].observer_id,
                          "name": p["protocol"].observer.full_name},
             "scores": [s.value if s else None for s in p["scores"]]}
            for p in data["protocols"]
        ],
    }  # fmt: skip


@router.get(
    "/event-criteria",
    response={200: list[CriterionOut], **errors_for(401, 403)},
    summary="The criteria of the observation protocol",
    description="Of the signed-in person's municipality (the standard set until it is changed).",
)
def criteria_list(request: HttpRequest) -> list[Criterion]:
    municipality_id = user_roles(request.user).municipality_id
    if municipality_id is None:
        raise forbidden(_("The criteria are for people of the network."))
    services.criteria_ensure(municipality_id)
    return list(Criterion.objects.filter(municipality_id=municipality_id))


def _certificate(request: HttpRequest, certificate: Certificate) -> dict[str, Any]:
    event = certificate.event
    return {
        "code": certificate.code,
        "role": certificate.role,
        "person": certificate.person.full_name,
        "event_id": event.pk,
        "event_title": event.title,
        "event_kind": event.kind,
        "date": timezone.localtime(event.starts_at).date(),
        "hours": float(certificate.hours),
        "organiser": event.institution.short_name,
        "pdf_url": reverse("events:certificate", args=[event.pk]),
        "check_url": check_url(certificate),
    }


@router.post(
    "/events/{event_id}/certificate",
    response={200: CertificateOut, **errors_for(401, 404, 422)},
    summary="My participation certificate",
    description=(
        "For the hosts and for those who attended (checked in or joined online), after the "
        "event: issued once, with a verification code; the PDF is at `pdf_url`."
    ),
)
def certificate_issue(request: HttpRequest, event_id: Id) -> dict[str, Any]:
    event = event_for_user(request.user, event_id)
    certificate = services.certificate_issue(actor=request.user, event=event)
    certificate = Certificate.objects.select_related("event__institution", "person").get(
        pk=certificate.pk
    )
    return _certificate(request, certificate)


@router.get(
    "/certificates/{code}",
    response={200: CertificateOut, **errors_for(404)},
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    summary="Check a certificate",
    description="Public: who got it, for which event, when. An unknown code: a 404.",
)
def certificate_check(request: HttpRequest, code: str) -> dict[str, Any]:
    if len(code) > 16:
        raise Http404
    return _certificate(request, certificate_by_code(code))


def _feed(request: HttpRequest, token: str) -> dict[str, str]:
    url = request.build_absolute_uri(reverse("events:personal_feed", args=[token]))
    return {"url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


@router.get(
    "/event-feed",
    response={200: FeedOut, **errors_for(401, 403)},
    summary="My calendar feed",
    description="The address of the personal iCalendar feed: my registrations and hosted events.",
)
def feed_get(request: HttpRequest) -> dict[str, str]:
    person_id = user_roles(request.user).person_id
    if person_id is None:
        raise ApiProblem(403, _("Forbidden"), _("Personal feeds are for people of the network."))
    return _feed(request, services.feed_token_of(person_id).token)


@router.post(
    "/event-feed/reset",
    response={200: FeedOut, **errors_for(401, 403)},
    summary="A new address for my calendar feed",
    description="The old address stops working at once.",
)
def feed_reset(request: HttpRequest) -> dict[str, str]:
    try:
        token = services.feed_token_reset(actor=request.user)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return _feed(request, token.token)
