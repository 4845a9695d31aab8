"""What the routers of the builder's API share: the 403 and 409 answers."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from setka.core.api import forbidden
from setka.core.api_errors import PROBLEM, ApiProblem

from ..access import builder_municipality


def forbid(exc: PermissionDenied) -> ApiProblem:
    return forbidden(str(exc) or "")


def municipality_or_403(request: HttpRequest) -> int:
    try:
        return builder_municipality(request.user)
    except PermissionDenied as exc:
        raise forbidden(_("Only the municipality's methodologists build its schedules.")) from exc


def conflict(request: HttpRequest, detail: str, about: dict[str, Any]) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": _("Conflict"),
        "status": 409,
        "detail": detail,
        "instance": request.path,
        "conflict": about,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str), status=409, content_type=PROBLEM
    )


def busy(request: HttpRequest, exc) -> HttpResponse:
    schedule = exc.schedule
    run = schedule.runs.order_by("-number").first()
    return conflict(
        request,
        str(exc),
        {"schedule_id": schedule.pk, "state": schedule.state, "run_id": run.pk if run else None},
    )
