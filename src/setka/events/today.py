"""«Сегодня»: the person's upcoming events (registered, waiting, hosting)."""

from __future__ import annotations

from setka.core import today

from .selectors import upcoming_for


@today.block(order=70)
def upcoming_events(request, roles) -> today.Block | None:
    if roles.person_id is None:
        return None
    events = upcoming_for(roles.person_id)
    if not events:
        return None
    rows = []
    for event in events:
        mine = event.mine[0] if event.mine else None
        rows.append({"event": event, "registration": mine})
    return today.Block("events-upcoming", "events/today/upcoming.html", {"rows": rows})
