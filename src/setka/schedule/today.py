"""«Сегодня» of the methodologists and municipal administrators: the schedules whose builder
is running and the proposals waiting to be published."""

from __future__ import annotations

from setka.core import today

from . import rules, selectors


@today.block(order=75)
def schedule_runs(request, roles) -> today.Block | None:
    if not rules.builds(roles):
        return None
    rows = selectors.waiting(roles)
    if not rows:
        return None
    return today.Block("schedule-runs", "schedule/today/runs.html", {"schedules": rows})
