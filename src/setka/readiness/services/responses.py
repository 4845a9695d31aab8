"""An institution's answers: save a draft, submit, ask to reopen, reopen or refuse; and the
bandwidth check's measurements, recorded with the answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.core.clock import now, today
from setka.network.models import Institution, Membership, Municipality
from setka.network.roles import user_roles

from .. import answers as checks
from .. import index as ix
from .. import notify, revision, scoring
from ..models import Response, SpeedTest
from .questionnaires import current_version

MAX_REASON = 1000
MAX_MBPS = 100_000.0
MAX_REOPEN_DAYS = 90


class Conflict(Exception):  # noqa: N818 - an answer to the user, not a failure of the code
    """The action does not fit the state of the object (a passed deadline, a closed campaign).
    The API answers 409, a page shows the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _editable(response: Response) -> None:
    campaign = response.campaign
    day = today()
    if campaign.closed_at is not None:
        raise Conflict(_("The campaign is closed: answers can no longer be changed."))
    if campaign.starts_on > day:
        message = _("The campaign opens on %(day)s.")
        raise Conflict(message % {"day": date_format(campaign.starts_on)})
    if response.status == Response.Status.SUBMITTED:
        raise Conflict(_("The answers are submitted. Ask the methodologist to reopen them."))
    if not response.editable_on(day):
        raise Conflict(
            _("The deadline (%(day)s) has passed. Ask the methodologist to reopen the answers.")
            % {"day": date_format(response.reopened_until or campaign.deadline)}
        )


def prefill(institution_id: int) -> dict[str, int]:
    """What Setka knows already: the institution's students and teachers today."""
    counts = dict(
        Membership.objects.active(today())
        .filter(institution_id=institution_id, role__in=["student", "teacher"])
        .values_list("role")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {ix.STUDENTS: counts.get("student", 0), ix.TEACHERS: counts.get("teacher", 0)}


def _start(response: Response) -> None:
    """A response not started takes the questionnaire's current version (nothing answered
    yet) and what Setka knows already."""
    if response.status != Response.Status.PENDING:
        return
    response.version = current_version(response.campaign.questionnaire)
    response.answers = {**prefill(response.institution_id), **response.answers}
    response.status = Response.Status.DRAFT


@transaction.atomic
def response_save(
    *,
    actor: Any,
    response: Response,
    values: dict[str, Any],
    from_form: bool = False,
    replace: bool = False,
    submit: bool = False,
) -> Response:
    """Store the answers ``values`` (question code -> value; None clears) as a draft, all or
    nothing; ``replace`` drops the answers not given (the page's whole form); ``submit`` also
    submits (every required question answered)."""
    if not actor.has_perm("readiness.answer", response.institution):
        raise PermissionDenied
    response = Response.objects.select_for_update().select_related("campaign").get(pk=response.pk)
    _editable(response)
    _start(response)
    questions = list(response.version.questions.all())
    cleaned = checks.clean(questions, values, from_form=from_form)
    merged = {} if replace else dict(response.answers)
    for code, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            merged.pop(code, None)
    merged.update(cleaned)
    before = response.answers
    response.answers = merged
    response.updated_at = now()
    if submit:
        missing = checks.missing(questions, merged)
        if missing:
            raise ValidationError(missing)
        response.status = Response.Status.SUBMITTED
        response.submitted_at = response.updated_at
        response.submitted_by = actor if getattr(actor, "pk", None) else None
        response.reopen_requested_at = None
        response.reopen_reason = ""
    response.save()
    changed = {k: [before.get(k), merged.get(k)] for k in set(before) | set(merged)
               if before.get(k) != merged.get(k)}  # fmt: skip
    audit_log("readiness.response.submit" if submit else "readiness.response.save",
              actor=actor, obj=response, changes=changed)  # fmt: skip
    if submit:
        scoring.compute_responses(response.campaign, [response])
        notify.submitted(response, actor=actor)
    else:
        revision.changed(response.campaign.municipality_id)
    return response


@transaction.atomic
def reopen_request(*, actor: Any, response: Response, reason: str) -> Response:
    """The institution asks the methodologists to reopen its answers (submitted, or past the
    deadline)."""
    if not actor.has_perm("readiness.answer", response.institution):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationError({"reason": [_("Say why, in at most 1000 characters.")]})
    if response.campaign.closed_at is not None:
        raise Conflict(_("The campaign is closed: answers can no longer be changed."))
    if response.editable_on(today()):
        raise Conflict(_("The answers are open for changes already."))
    response.reopen_requested_at = now()
    response.reopen_reason = reason
    response.save(update_fields=["reopen_requested_at", "reopen_reason"])
    audit_log("readiness.response.reopen_request", actor=actor, obj=response, reason=reason)
    revision.changed(response.campaign.municipality_id)
    notify.reopen_requested(response, actor=actor)
    return response


@transaction.atomic
def reopen_decide(
    *,
    actor: Any,
    response: Response,
    grant: bool,
    until: dt.date | None = None,
    reason: str = "",
) -> Response:
    """A methodologist reopens the answers until ``until`` (a week from today by default),
    or refuses the request with a reason."""
    if not actor.has_perm("readiness.manage", Municipality(pk=response.campaign.municipality_id)):
        raise PermissionDenied
    reason = (reason or "").strip()[:MAX_REASON]
    if response.campaign.closed_at is not None:
        raise Conflict(_("The campaign is closed: reopen the campaign first."))
    if not grant:
        if response.reopen_requested_at is None:
            raise Conflict(_("Nobody has asked to reopen these answers."))
        if not reason:
            raise ValidationError({"reason": [_("Say why the request is refused.")]})
        response.reopen_requested_at = None
        response.save(update_fields=["reopen_requested_at"])
        audit_log("readiness.response.reopen_refuse", actor=actor, obj=response, reason=reason)
        revision.changed(response.campaign.municipality_id)
        notify.reopen_decided(response, actor=actor, granted=False, reason=reason)
        return response
    day = today()
    until = until or max(day + dt.timedelta(days=7), response.campaign.deadline)
    if until < day or (until - day).days > MAX_REOPEN_DAYS:
        raise ValidationError({"until": [_("Reopen until a day from today to 90 days ahead.")]})
    if response.status == Response.Status.SUBMITTED:
        response.status = Response.Status.DRAFT
    response.reopened_until = until
    response.reopen_requested_at = None
    response.save(update_fields=["status", "reopened_until", "reopen_requested_at"])
    audit_log("readiness.response.reopen", actor=actor, obj=response,
              changes={"reopened_until": [None, until.isoformat()]}, reason=reason)  # fmt: skip
    revision.changed(response.campaign.municipality_id)
    notify.reopen_decided(response, actor=actor, granted=True)
    return response


def open_response(institution_id: int) -> Response | None:
    """The institution's response that can take answers today, if any."""
    day = today()
    candidates = (
        Response.objects.filter(
            institution_id=institution_id,
            campaign__closed_at__isnull=True,
            campaign__starts_on__lte=day,
        )
        .exclude(status=Response.Status.SUBMITTED)
        .select_related("campaign")
        .order_by("-campaign__starts_on")
    )
    return next((r for r in candidates if r.editable_on(day)), None)


def _mbps(value: Any, field: str, *, required: bool) -> float | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_MBPS:
        raise ValidationError({field: [_("Give the speed in Mbit/s, from 0 to 100,000.")]})
    return round(float(value), 2)


@transaction.atomic
def speed_test_record(
    *,
    actor: Any,
    institution: Institution,
    download_mbps: Any,
    upload_mbps: Any = None,
    latency_ms: Any = None,
    user_agent: str = "",
) -> SpeedTest:
    """Record a bandwidth check; the measured speeds go into the institution's open answers."""
    if not actor.has_perm("readiness.answer", institution):
        raise PermissionDenied
    download = _mbps(download_mbps, "download_mbps", required=True) or 0.0
    upload = _mbps(upload_mbps, "upload_mbps", required=False)
    if latency_ms is not None and (
        isinstance(latency_ms, bool) or not isinstance(latency_ms, int | float)
        or not 0 <= latency_ms <= 60_000
    ):  # fmt: skip
        raise ValidationError({"latency_ms": [_("Give the latency in milliseconds.")]})
    response = open_response(institution.pk)
    test = SpeedTest.objects.create(
        institution=institution,
        response=response,
        person_id=user_roles(actor).person_id,
        download_mbps=download,
        upload_mbps=upload,
        latency_ms=latency_ms,
        user_agent=(user_agent or "")[:300],
    )
    audit_log("readiness.speed_test", actor=actor, obj=test,
              changes={"download_mbps": download, "upload_mbps": upload})  # fmt: skip
    if response is not None:
        codes = set(response.version.questions.values_list("code", flat=True))
        if response.status == Response.Status.PENDING:
            codes = {ix.MEASURED, ix.UPLOAD}  # the current version has them too (key codes)
        values = {c: v for c, v in ((ix.MEASURED, download), (ix.UPLOAD, upload))
                  if c in codes and v is not None}  # fmt: skip
        if values:
            response_save(actor=actor, response=response, values=values)
    return test
