"""Whether an item may stand at a time in a venue (the methodologist's adjustment): the same
hard rules as the builder's, read the same way (``solver.loader``), against every other item
placed now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from setka.core.clock import now
from setka.network.models import Institution

from ..models import Item, Schedule
from ..solver.candidates import masks, venue_key
from ..solver.loader import Loader, build
from ..solver.problem import DAY, Board, Candidate
from ..solver.reasons import WHAT
from .validation import within_schedule


class Clash(Exception):  # noqa: N818 - a 409 answer naming the other item
    def __init__(self, other: Item) -> None:
        super().__init__(
            _("At that time «%(title)s» holds the same host, class, audience or venue.")
            % {"title": other.title}
        )
        self.other = other


@dataclass
class Spot:
    institution_id: int
    resource_id: int | None
    warnings: list[dict[str, Any]] = field(default_factory=list)


def placed_candidate(loader: Loader, item: Item) -> Candidate | None:
    key = venue_key(item)
    point = loader.point(item.starts_at) if item.starts_at else None
    if point is None or key not in loader.venues:
        return None
    day, minute = point
    return Candidate(-1, item.pk, day, day * DAY + minute, day * DAY + minute + item.duration, key)


def _venue_key(loader: Loader, item: Item, venue, resource_id, options: list[str]) -> str:
    allowed = {v.pk for v in item.venues.all()}
    if resource_id:
        key = f"r{resource_id}"
        if key not in loader.venues or loader.venues[key].institution_id not in allowed:
            raise ValidationError({"resource_id": _("This kit is not at a venue of the item.")})
    elif venue is not None:
        if venue.pk not in allowed:
            raise ValidationError({"venue_id": _("Choose one of the item's venues.")})
        key = f"i{venue.pk}"
    else:
        current = venue_key(item)
        key = current if current in options else (options[0] if options else "")
    if key not in options:
        what = "join" if item.kind == Item.Kind.VIEWING else "host"
        raise ValidationError({"venue_id": _("This venue cannot %(what)s.") % {"what": WHAT[what]}})
    return key


def check_place(
    schedule: Schedule,
    item: Item,
    starts_at: dt.datetime,
    venue: Institution | None,
    resource_id: int | None,
) -> Spot:
    outside = within_schedule(schedule, starts_at, item.duration)
    if outside:
        raise ValidationError({"starts_at": outside})
    if starts_at <= now():
        raise ValidationError({"starts_at": _("Choose a time that has not passed.")})
    problem, loader = build(schedule)
    mine = next(i for i in loader.items if i.pk == item.pk)
    key = _venue_key(loader, mine, venue, resource_id, loader.options(mine))
    point = loader.point(starts_at)
    if point is None:
        raise ValidationError({"starts_at": _("This day is not allowed in the schedule.")})
    day, minute = point
    host, klass, targets = masks(loader, mine, day, np.array([minute], dtype=np.int64))
    names = loader.names(mine)
    busy = [names[mine.host_id]] if mine.host_id and not host[0] else []
    if mine.group_id and not klass[0]:
        busy.append(_("the class %(name)s") % {"name": mine.group.name})  # type: ignore[union-attr]
    busy += [names[pid] for pid, mask in targets.items() if not mask[0]]
    if busy:
        raise ValidationError(
            {
                "starts_at": _("At that time these have lessons: %(names)s")
                % {"names": ", ".join(busy)}
            }
        )
    if not loader.venue_free(key, day, minute, minute + mine.duration, mine):
        raise ValidationError(
            {
                "venue_id": _(
                    "At that time the venue has no free room (other events or bookings), "
                    "or it is closed."
                )
            }
        )
    board = Board(problem)
    by_id = {i.pk: i for i in loader.items}
    for spec in problem.specs:
        if spec.item == mine.pk:
            continue
        placed = placed_candidate(loader, by_id[spec.item])
        if placed is not None:
            board.place(spec, placed)
    spec = problem.spec(mine.pk)
    wanted = Candidate(
        -1, mine.pk, day, day * DAY + minute, day * DAY + minute + mine.duration, key
    )
    for _what, other in board.clashes(spec, wanted):
        raise (
            Clash(by_id[other])
            if other is not None
            else ValidationError({"venue_id": _("At that time the venue has no free room.")})
        )
    return Spot(loader.venues[key].institution_id, loader.venues[key].resource_id, spec.warnings)
