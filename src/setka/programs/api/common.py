"""What the routers of the programmes' API share: the 409 answer naming the conflicting
object, the 403 and 422 problems, and the lookups of ids sent in a body."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from setka.core.api import forbidden
from setka.core.api_errors import PROBLEM, ApiProblem

from ..services.common import Conflict


def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    obj = exc.obj
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _("Conflict"),
        "status": 409,
        "detail": " ".join(exc.messages),
        "instance": request.path,
        "conflict": {
            "type": obj._meta.model_name,
            "id": obj.pk,
            "status": getattr(obj, "status", ""),
        },
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=409, content_type=PROBLEM)


def forbid(exc: PermissionDenied) -> ApiProblem:
    return forbidden(str(exc) or "")


def invalid(field: str, message: str) -> ApiProblem:
    return ApiProblem(
        422,
        _("Invalid input"),
        _("Some fields are invalid."),
        [{"field": field, "message": message, "code": "invalid"}],
    )


def lookup(model: type[models.Model], pk: int | None, field: str, **scope: Any):
    """The object of an id sent in a body (None stays None); a 422 on ``field`` when there
    is no such object in ``scope``."""
    if pk is None:
        return None
    obj = model._default_manager.filter(pk=pk, **scope).first()
    if obj is None:
        raise invalid(field, _("There is no such object."))
    return obj
