"""The campaign's XLSX workbook and PDF summary (for the people who run the survey)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .. import dashboard, exports
from ..access import campaign_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _name(campaign, ext: str) -> str:
    return f"readiness-{campaign.pk}-{slugify(campaign.starts_on.isoformat())}.{ext}"


@login_required
@require_GET
def campaign_xlsx(request, pk: int):
    campaign = campaign_for_user(request.user, pk)
    board = dashboard.build(campaign, dashboard.Filters.parse(request.GET))
    content = exports.workbook(board, exports.questions_of(board))
    return _file(content, XLSX, _name(campaign, "xlsx"))


@login_required
@require_GET
def campaign_pdf(request, pk: int):
    campaign = campaign_for_user(request.user, pk)
    board = dashboard.build(campaign, dashboard.Filters.parse(request.GET))
    return _file(exports.summary_pdf(board), "application/pdf", _name(campaign, "pdf"))
