"""The municipal dashboard of a campaign: its data and drawings are cached per campaign
revision (``dashboard.memo``: one cache read, no query, while nothing changes); the content
is rendered with Jinja2 (``jinja2/readiness/dashboard.html``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import dashboard
from .. import render as html
from ..access import campaign_for_user
from ..models import Campaign, Response
from . import charts


def _page(campaign: Campaign) -> dict[str, Any]:
    """What every view of the dashboard shares: the data, the drawings, the default rows."""
    data = dashboard.data(campaign)
    board = dashboard.build(campaign, cached=data)
    return {
        "data": data,
        "charts": html.charts(charts.for_dashboard(board)),
        "rows": html.board_rows(board.rows),
        "map": html.map_rows(board.all_rows),
    }


def _texts(campaign: Campaign, board: dashboard.Dashboard) -> dict[str, Any]:
    p = board.progress
    title = campaign.questionnaire.title
    return {
        "period": _("From %(start)s to %(end)s · questionnaire «%(title)s»")
        % {"start": date_format(campaign.starts_on, "j E Y"),
           "end": date_format(campaign.deadline, "j E Y"), "title": title},
        "progress": ngettext(
            "%(s)s of %(t)s institution submitted; %(d)s drafts, %(n)s not started.",
            "%(s)s of %(t)s institutions submitted; %(d)s drafts, %(n)s not started.",
            p["total"],
        )
        % {"s": p["submitted"], "t": p["total"], "d": p["draft"], "n": p["pending"]},
        "requests": ngettext("%(n)s request to reopen answers.",
                             "%(n)s requests to reopen answers.", p["reopen_requests"])
        % {"n": p["reopen_requests"]} if p["reopen_requests"] else "",
        "previous": _("In «%(title)s»") % {"title": board.previous["title"]}
        if board.previous else "",
        "ready": [(_("Ready to %(form)s") % {"form": label}, board.levels[key]["ready"])
                  for key, label in dashboard.form_labels()],
        "count": ngettext("%(counter)s institution", "%(counter)s institutions",
                          len(board.rows)) % {"counter": len(board.rows)},
    }  # fmt: skip


@login_required
def campaign(request, pk: int):
    found = campaign_for_user(request.user, pk)
    page = dashboard.memo(found, "page", lambda: _page(found))
    board = dashboard.build(found, dashboard.Filters.parse(request.GET), cached=page["data"])
    sorts = _sort_links(request, board.filters)
    fmt, _mbps = html.formatters()
    context = {
        "campaign": found,
        "status_label": Campaign.Status(found.status).label,
        "board": board,
        "texts": _texts(found, board),
        "charts": page["charts"],
        "table_rows": page["rows"]
        if board.filters == dashboard.Filters()
        else html.board_rows(board.rows),
        "map_rows": page["map"],
        "dimensions": dashboard.dimension_labels(),
        "forms": dashboard.form_labels(),
        "levels": dashboard.level_labels(),
        "groups": charts.GROUPS,
        "statuses": Response.Status.choices,
        "query": request.GET.urlencode(),
        "sorts": sorts,
        "dimension_columns": [(label, sorts[key]) for key, label in dashboard.dimension_labels()],
        "competence_rows": [
            (label, list(board.competence.by_skill[key].values()))
            for key, label in dashboard.skill_labels()
        ],
        "fmt": fmt,
    }
    body = get_template("readiness/dashboard.html", using="jinja2").render(context, request)
    # the board also goes to the page's context: tests and the debug toolbar read it there
    return render(request, "readiness/campaign.html", {
        "campaign": found, "board": board, "body": mark_safe(body)})  # fmt: skip


def _sort_links(request, filters: dashboard.Filters) -> dict[str, dict[str, str]]:
    """Each sortable column's address (the other direction when it is the current one) and
    its ``aria-sort``."""
    out = {}
    for key in dashboard.SORTS:
        query = request.GET.copy()
        current = filters.sort == key
        descending = not filters.desc if current else key in dashboard.NUMERIC
        query["sort"] = key
        query["order"] = "desc" if descending else "asc"
        state = ("descending" if filters.desc else "ascending") if current else "none"
        out[key] = {"href": f"?{query.urlencode()}", "state": state}
    return out
