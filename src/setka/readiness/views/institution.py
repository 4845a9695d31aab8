"""An institution's own readiness page: its latest scores and statuses, the gaps and
recommendations, its teachers' competence, the history across campaigns and its bandwidth
checks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from setka.core.clock import today
from setka.core.pagecache import cached_page

from .. import charts as c
from .. import gaps, selectors
from .. import render as html
from ..access import institution_for_user
from ..models import Dimension, Form, Level, Skill, SkillLevel, SpeedTest
from .charts import LEVEL_FILLS

HISTORY_CHECKS = 5


@cached_page("readiness", "network", "programs", "events", "journal", "resources")
@login_required
def institution(request, slug: str):
    found = institution_for_user(request.user, slug)
    history = selectors.institution_history(found.pk)
    scored = [r for r in history if r.index is not None]
    latest = scored[0] if scored else None
    current = next((r for r in history if r.editable_on(today())), None)
    distribution = selectors.competence(latest.campaign, found.pk) if latest else None
    checks = list(SpeedTest.objects.filter(institution=found)[:HISTORY_CHECKS])
    charts = {}
    if latest is not None:
        rows = [(str(d.label), [getattr(latest, d.value)]) for d in Dimension]
        charts["dimensions"] = c.bars("inst-dimensions", _("Scores by dimension"), rows,
                                      [(latest.campaign.title, c.SERIES[0])])  # fmt: skip
        oldest_first = list(reversed(scored))
        charts["trend"] = c.line(
            "inst-trend", _("The index across campaigns"),
            [r.campaign.title for r in oldest_first],
            [(_("readiness index"), [r.index for r in oldest_first])]
            + [(str(d.label), [getattr(r, d.value) for r in oldest_first]) for d in Dimension],
        ) if len(oldest_first) > 1 else None  # fmt: skip
    if distribution is not None and distribution.total:
        charts["skills"] = c.stacked("inst-skills", _("Teachers' ICT competence by skill"), [
            (str(s.label), [(str(SkillLevel(lv).label).split(":")[0], distribution.by_skill[s][lv],
                             c.LEVEL_FILLS[lv]) for lv in SkillLevel.values])
            for s in Skill
        ])  # fmt: skip
    forms = []
    if latest is not None:
        for f in Form:
            level = getattr(latest, f.value)
            forms.append({"label": f.label, "level": level,
                          "level_label": Level(level).label if level else "",
                          "fill": LEVEL_FILLS.get(level, c.NO_DATA)})  # fmt: skip
    context = {
        "institution": found,
        "history": history,
        "latest": latest,
        "current": current,
        "forms": forms,
        "gaps": [gaps.describe(g) for g in latest.gaps] if latest else [],
        "distribution": distribution,
        "checks": checks,
        "charts": html.charts(charts),
        "dimensions": [(d.value, d.label) for d in Dimension],
        "can_answer": request.user.has_perm("readiness.answer", found),
    }
    return render(request, "readiness/institution.html", context)
