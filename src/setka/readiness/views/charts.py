"""The dashboard's charts from its data (``charts.py`` has the geometry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from setka.network.models import KindGroup

from .. import charts as c
from ..dashboard import CAN_HOST, CAN_JOIN, CANNOT, NO_DATA, Dashboard
from ..models import Dimension, Form, Level, Response, Skill, SkillLevel
from ..selectors import DIMENSION_FIELDS

GROUPS = KindGroup.choices
LEVEL_FILLS = {Level.READY: c.READY, Level.PARTLY: c.PARTLY, Level.NOT_READY: c.NOT_READY}
MAP_FILLS = {"host": c.READY, "join": c.PARTLY, "not": c.NOT_READY, "none": c.NO_DATA}
BANDS = ((70, 101), (40, 70), (0, 40))


def map_legend() -> list[tuple[str, str]]:
    return [(str(CAN_HOST), c.READY), (str(CAN_JOIN), c.PARTLY), (str(CANNOT), c.NOT_READY),
            (str(NO_DATA), c.NO_DATA)]  # fmt: skip


def for_dashboard(board: Dashboard) -> dict[str, Any]:
    rows = board.all_rows
    previous = board.previous
    series = [(board.campaign.title, c.SERIES[0])]
    if previous:
        series.append((previous["title"], c.SERIES[1]))
    dims = [(str(d.label), [board.averages.get(d.value), *([previous.get(d.value)] if previous
             else [])]) for d in Dimension]  # fmt: skip
    band_names = [_("70–100"), _("40–69"), _("below 40")]
    fills = [c.READY, c.PARTLY, c.NOT_READY]
    bands = []
    for d in Dimension:
        values = [r[d.value] for r in rows if r[d.value] is not None]
        counts = [sum(1 for v in values if low <= v < high) for low, high in BANDS]
        bands.append((str(d.label), list(zip(band_names, counts, fills, strict=True))))
    levels = [
        (str(Form(f).label),
         [(str(Level(lv).label), board.levels[f][lv], LEVEL_FILLS[lv]) for lv in Level.values])
        for f in Form.values
    ]  # fmt: skip
    skills = [
        (str(s.label), [(str(SkillLevel(lv).label).split(":")[0], board.competence.by_skill[s][lv],
                         c.LEVEL_FILLS[lv]) for lv in SkillLevel.values])
        for s in Skill
    ]  # fmt: skip
    trend = board.trend
    columns = [t["title"] for t in trend]
    lines = [(_("readiness index"), [t.get("index") for t in trend])]
    lines += [(str(Dimension(d).label), [t.get(d) for t in trend]) for d in DIMENSION_FIELDS]
    points = [
        c.MapPoint(r["name"], _f(r["institution__latitude"]), _f(r["institution__longitude"]),
                   MAP_FILLS[r["readiness"]], r["readiness_label"],
                   r["url"])
        for r in rows
    ]  # fmt: skip
    done = board.progress
    statuses = ((Response.Status.SUBMITTED, c.READY), (Response.Status.DRAFT, c.PARTLY),
                (Response.Status.PENDING, c.NO_DATA))  # fmt: skip
    progress = [
        (
            board.campaign.title,
            [(str(Response.Status(s).label), done[s], fill) for s, fill in statuses],
        )
    ]
    return {
        "dimensions": c.bars("chart-dimensions", _("Mean score by dimension"), dims, series),
        "bands": c.stacked("chart-bands", _("Institutions by score in each dimension"), bands),
        "forms": c.stacked("chart-forms", _("Readiness for each network form"), levels),
        "skills": c.stacked("chart-skills", _("Teachers' ICT competence by skill"), skills),
        "trend": c.line("chart-trend", _("The trend across campaigns"), columns, lines)
        if trend
        else None,
        "map": c.scatter_map("chart-map", _("Institutions by readiness"), points, map_legend()),
        "progress": c.stacked("chart-progress", _("Progress of the campaign"), progress),
    }


def _f(value: Any) -> float | None:
    return None if value is None else float(value)
