"""What the readiness endpoints share: a state conflict as a 409 problem naming the response,
and the shapes of results and gaps."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from setka.core.api_errors import PROBLEM

from .. import gaps
from ..models import Response
from ..selectors import DIMENSION_FIELDS, FORM_FIELDS, Distribution
from ..services import Conflict

SCORES = ["index", *DIMENSION_FIELDS]


def conflict(request: HttpRequest, exc: Conflict, response: Response | None = None) -> HttpResponse:
    """A 409 problem document; ``response``: the answers whose state refused the action."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _("Conflict"),
        "status": 409,
        "detail": exc.message,
        "instance": request.path,
    }
    if response is not None:
        body["response"] = {
            "id": response.pk,
            "status": response.status,
            "deadline": response.campaign.deadline.isoformat(),
            "reopened_until": response.reopened_until.isoformat()
            if response.reopened_until
            else None,
            "campaign_closed": response.campaign.closed_at is not None,
        }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=409, content_type=PROBLEM)


def scores(obj: Any) -> dict[str, float | None] | None:
    get = obj.get if isinstance(obj, dict) else lambda k: getattr(obj, k)
    if get("index") is None:
        return None
    return {k: get(k) for k in SCORES}


def levels(response: Response) -> dict[str, str]:
    return {f: getattr(response, f) for f in FORM_FIELDS if getattr(response, f)}


def described(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [vars(gaps.describe(g)) for g in stored]


def result_row(r: dict[str, Any]) -> dict[str, Any]:
    """A dashboard row as ``ReadinessResultOut``."""
    lat, lon = r["institution__latitude"], r["institution__longitude"]
    return {
        **{k: r[k] for k in SCORES},
        **{k: r[k] for k in FORM_FIELDS},
        "response_id": r["pk"],
        "institution_id": r["institution_id"],
        "institution": r["institution__short_name"],
        "slug": r["institution__slug"],
        "kind": r["institution__kind"],
        "status": r["status"],
        "can_join": r["can_join"],
        "can_host": r["can_host"],
        "bandwidth_mbps": r["bandwidth_mbps"],
        "upload_mbps": r["upload_mbps"],
        "vc_rooms": r["vc_rooms"],
        "teachers_total": r["teachers_total"],
        "teachers_assessed": r["teachers_assessed"],
        "submitted_at": r["submitted_at"],
        "reopen_requested": r["reopen_requested_at"] is not None,
        "latitude": None if lat is None else float(lat),
        "longitude": None if lon is None else float(lon),
    }


def competence_out(d: Distribution) -> dict[str, Any]:
    from ..models import Skill

    return {
        "total": d.total,
        "skills": [
            {"skill": s.value, "label": str(s.label), "levels": list(d.by_skill[s.value].values())}
            for s in Skill
        ],
    }
