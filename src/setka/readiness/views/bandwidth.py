"""The bandwidth check: a page an institution opens from its own network; a download of
incompressible bytes and an upload that is read and thrown away, timed by a small static
script (``readiness/bandwidth.js``: no inline JS), which then records the result with the
institution's answers. Only the institution's administrators record."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from setka.network.roles import user_roles

from .. import services
from ..access import institution_for_user, runs_in
from ..models import SpeedTest

CHUNK = 64 * 1024
MAX_DOWNLOAD_MB = 25
NO_STORE = "no-store, no-transform"


def _may_measure(user) -> bool:
    return bool(user_roles(user).admin_of or runs_in(user))


@login_required
def bandwidth(request, slug: str):
    """GET: the check page. POST: record a result (from the script, or typed in by hand)."""
    institution = institution_for_user(request.user, slug)
    can_record = request.user.has_perm("readiness.answer", institution)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        return _record(request, institution)
    context = {
        "institution": institution,
        "can_record": can_record,
        "checks": list(SpeedTest.objects.filter(institution=institution)[:10]),
        "open_response": services.open_response(institution.pk),
        "upload_limit_mb": (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) // (1024 * 1024),
    }
    return render(request, "readiness/bandwidth.html", context)


def _number(raw: str | None) -> float | None:
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return -1.0  # refused by the service with its message


def _record(request, institution):
    script = request.headers.get("X-Requested-With") == "fetch"
    try:
        test = services.speed_test_record(
            actor=request.user,
            institution=institution,
            download_mbps=_number(request.POST.get("download_mbps")),
            upload_mbps=_number(request.POST.get("upload_mbps")),
            latency_ms=_number(request.POST.get("latency_ms")),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as exc:
        if script:
            return JsonResponse({"errors": exc.message_dict}, status=422)
        messages.error(request, " ".join(exc.messages))
        return redirect("readiness:bandwidth", institution.slug)
    saved = test.response_id is not None
    text = (
        _("The result is saved with the answers of «%(title)s».")
        % {"title": test.response.campaign.title}
        if saved and test.response
        else _("The result is saved. No campaign is open for answers now.")
    )
    if script:
        return JsonResponse({"id": test.pk, "saved_in_answers": saved, "message": text})
    messages.success(request, text)
    return redirect("readiness:bandwidth", institution.slug)


def _random_bytes(size: int) -> Iterator[bytes]:
    left = size
    while left > 0:
        n = min(CHUNK, left)
        yield os.urandom(n)  # incompressible: no proxy can shrink it on the way
        left -= n


@login_required
@require_GET
def download(request):
    """``?size=<MB>`` (0–25) of random bytes, never cached, never compressed."""
    if not _may_measure(request.user):
        raise PermissionDenied
    try:
        size_mb = float(request.GET.get("size", "1"))
    except ValueError:
        size_mb = -1
    if not 0 <= size_mb <= MAX_DOWNLOAD_MB:
        return JsonResponse({"detail": _("Ask for 0 to 25 MB.")}, status=400)
    size = int(size_mb * 1024 * 1024)
    response = StreamingHttpResponse(_random_bytes(size), content_type="application/octet-stream")
    response["Content-Length"] = str(size)
    response["Cache-Control"] = NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def upload(request):
    """Read the body in chunks and throw it away (at most DATA_UPLOAD_MAX_MEMORY_SIZE);
    answer how many bytes came and how long reading them took on the server."""
    if not _may_measure(request.user):
        raise PermissionDenied
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 10 * 1024 * 1024
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _too_big(limit)
    received, started = 0, time.perf_counter()
    while True:
        chunk = request.read(CHUNK)
        if not chunk:
            break
        received += len(chunk)
        if received > limit:
            return _too_big(limit)
    seconds = time.perf_counter() - started
    answer = JsonResponse({"bytes": received, "seconds": round(seconds, 4)})
    answer["Cache-Control"] = NO_STORE
    return answer


def _too_big(limit: int) -> HttpResponse:
    mb = limit // (1024 * 1024)
    return JsonResponse({"detail": _("Send at most %(mb)s MB.") % {"mb": mb}}, status=413)
