"""One item's candidate placements: every allowed start of every allowed day (or its fixed
time, or where the methodologist put it) at which its host, its class and the teachers who
must attend are free and one of its venues can take it; scored by the soft preferences, and
pruned to the best ones spread over the days. When none is left, the reason says which rule
left none."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from ..models import Item
from .loader import (
    MAX_CANDIDATES,
    SCORE_AUDIENCE,
    SCORE_KNOWN_VENUE,
    SCORE_OWN_LESSON,
    SCORE_PREFERRED,
    Loader,
)
from .problem import DAY, Candidate, Spec
from .reasons import reason


@dataclass(frozen=True, slots=True)
class Option:
    day: int
    start: int  # minute of the day
    venue: str
    score: int


def venue_key(item: Item) -> str | None:
    if item.resource_id:
        return f"r{item.resource_id}"
    return f"i{item.venue_id}" if item.venue_id else None


def spec_of(loader: Loader, item: Item, out: list[Candidate]) -> Spec:
    spec = Spec(item.pk, item.title, item.subject_id, loader.keys(item), item.needs_room)
    if not loader.days:
        spec.reason = reason("no_days")
        return spec
    options = loader.options(item)
    if item.needs_room:
        unknown = [loader.venues[k].name for k in options if not loader.known[k]]
        if unknown:
            spec.warnings.append({"code": "unsurveyed", "params": {"venues": unknown}})
        if not options:
            what = "join" if item.kind == Item.Kind.VIEWING else "host"
            names = [v.short_name for v in item.venues.all()]
            spec.reason = reason("no_venue", what=what, venues=names)
            return spec
    if item.event_id and item.starts_at and item.ends_at:
        return _published(loader, item, spec)
    points: dict[int, list[int]] = {}
    if item.pinned and item.starts_at:
        key = venue_key(item)
        options = [key] if key in loader.venues else []
        point = loader.point(item.starts_at)
        if point is None or not options or not loader.within_hours(point[1], item.duration):
            spec.reason = reason("fixed_outside", when=_local(item.starts_at))
            return spec
        points[point[0]] = [point[1]]
    elif item.fixed_start:
        point = loader.point(item.fixed_start)
        if point is None or not loader.within_hours(point[1], item.duration):
            spec.reason = reason("fixed_outside", when=_local(item.fixed_start))
            return spec
        points[point[0]] = [point[1]]
    else:
        if item.duration > loader.day_ends - loader.day_starts:
            spec.reason = reason("too_long", minutes=loader.day_ends - loader.day_starts)
            return spec
        last = loader.day_ends - item.duration
        grid = list(range(loader.day_starts, last + 1, loader.schedule.step_minutes))
        for day in range(len(loader.days)):
            own = [s for s in loader.own_starts(item, day) if loader.day_starts <= s <= last]
            points[day] = sorted(set(grid) | set(own))
    found, stats = _options(loader, item, spec, options, points)
    if not found:
        fixed = bool(item.fixed_start or (item.pinned and item.starts_at))
        spec.reason = _why_none(loader, item, options, points, stats, fixed=fixed)
        return spec
    for o in _prune(found, item.duration):
        c = Candidate(
            len(out),
            item.pk,
            o.day,
            o.day * DAY + o.start,
            o.day * DAY + o.start + item.duration,
            o.venue,
            o.score,
        )
        out.append(c)
        spec.candidates.append(c.index)
    return spec


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"


@dataclass
class Stats:
    host: bool = False
    klass: bool = False
    common: bool = False
    target_free: set[int] | None = None
    busy: Counter[int] | None = None


def masks(loader: Loader, item: Item, day: int, starts: np.ndarray):
    ends = starts + item.duration
    ones = np.ones(len(starts), dtype=bool)
    host = loader.person_free(item.host_id, day, starts, ends, item) if item.host_id else ones
    klass = loader.group_free(day, starts, ends, item) if item.group_id else ones
    targets = {p.pk: loader.person_free(p.pk, day, starts, ends, item) for p in item.targets.all()}
    return host, klass, targets


def _options(loader, item, spec, options, points) -> tuple[list[Option], Stats]:
    stats = Stats(target_free=set(), busy=Counter())
    invited = loader.invited_of(item)
    preferred = set(loader.schedule.preferred_weekdays or [])
    found: list[Option] = []
    for day, minutes in points.items():
        starts = np.array(minutes, dtype=np.int64)
        host, klass, targets = masks(loader, item, day, starts)
        combined = host & klass
        for pid, mask in targets.items():
            combined &= mask
            if mask.any():
                stats.target_free.add(pid)  # type: ignore[union-attr]
            stats.busy[pid] += int((~mask & host & klass).sum())  # type: ignore[index]
        if item.host_id:
            stats.busy[item.host_id] += int((~host).sum())  # type: ignore[index]
        stats.host |= bool(host.any())
        stats.klass |= bool(klass.any())
        stats.common |= bool(combined.any())
        if not combined.any():
            continue
        ends = starts + item.duration
        free_count = np.zeros(len(starts), dtype=np.int64)
        for pid in invited:
            free_count += loader.person_free(pid, day, starts, ends, item)
        own = set(loader.own_starts(item, day))
        base = SCORE_PREFERRED if loader.days[day].weekday() in preferred else 0
        for n in np.flatnonzero(combined):
            start = int(starts[n])
            score = base + (
                round(SCORE_AUDIENCE * free_count[n] / len(invited)) if invited else SCORE_AUDIENCE
            )
            if start in own:
                score += SCORE_OWN_LESSON
            for key in options:
                if loader.venue_free(key, day, start, start + item.duration, item):
                    bonus = SCORE_KNOWN_VENUE if loader.known[key] or not item.needs_room else 0
                    found.append(Option(day, start, key, int(score + bonus)))
    return found, stats


def _why_none(loader: Loader, item: Item, options, points, stats: Stats, *, fixed: bool) -> dict:
    names = loader.names(item)
    if fixed:
        day, minutes = next(iter(points.items()))
        when = loader.when_text(day, minutes[0])
        host, klass, targets = masks(loader, item, day, np.array(minutes, dtype=np.int64))
        busy = [names[item.host_id]] if item.host_id and not host[0] else []
        if item.group_id and not klass[0]:
            busy.append(item.group.name)  # type: ignore[union-attr]
        busy += [names[pid] for pid, mask in targets.items() if not mask[0]]
        if busy:
            return reason("fixed_busy", when=when, names=busy)
        return reason("fixed_venue", when=when, venues=[loader.venues[k].name for k in options])
    if item.host_id and not stats.host:
        return reason("host_busy", name=names[item.host_id])
    if item.group_id and not stats.klass:
        return reason("class_busy", name=item.group.name)  # type: ignore[union-attr]
    never = [names[p.pk] for p in item.targets.all() if p.pk not in (stats.target_free or set())]
    if never:
        return reason("targets_busy", names=never)
    if not stats.common:
        ranked = [names[pid] for pid, n in (stats.busy or Counter()).most_common() if n]
        return reason("no_common_time", names=ranked)
    return reason("venue_taken", venues=[loader.venues[k].name for k in options])


def _published(loader: Loader, item: Item, spec: Spec) -> Spec:
    """A published item holds its place; it is only checked again (a changed timetable)."""
    point = loader.point(item.starts_at)  # type: ignore[arg-type]
    key = venue_key(item)
    if point is None or key not in loader.venues:
        return spec  # outside the period now: it holds nothing the builder could use
    day, minute = point
    spec.fixed = Candidate(
        -1, item.pk, day, day * DAY + minute, day * DAY + minute + item.duration, key
    )
    host, klass, targets = masks(loader, item, day, np.array([minute], dtype=np.int64))
    names = loader.names(item)
    busy = [names[item.host_id]] if item.host_id and not host[0] else []
    if item.group_id and not klass[0]:
        busy.append(item.group.name)  # type: ignore[union-attr]
    busy += [names[pid] for pid, mask in targets.items() if not mask[0]]
    if busy:
        spec.warnings.append({"code": "now_busy", "params": {"names": busy}})
    return spec


def _prune(found: list[Option], duration: int) -> list[Option]:
    """At most MAX_CANDIDATES: per day the best first, those not overlapping each other
    before the rest; then round by round over the days, best days first."""
    if len(found) <= MAX_CANDIDATES:
        return sorted(found, key=lambda o: (o.day, o.start, o.venue))
    by_day: dict[int, list[Option]] = defaultdict(list)
    for o in found:
        by_day[o.day].append(o)
    ranked: dict[int, list[Option]] = {}
    for day, options in by_day.items():
        options.sort(key=lambda o: (-o.score, o.start, o.venue))
        spread: list[Option] = []
        rest: list[Option] = []
        taken: list[int] = []
        for o in options:
            at = bisect.bisect_left(taken, o.start)
            near = [taken[i] for i in (at - 1, at) if 0 <= i < len(taken)]
            if all(abs(t - o.start) >= duration for t in near):
                spread.append(o)
                bisect.insort(taken, o.start)
            else:
                rest.append(o)
        ranked[day] = spread + rest
    order = sorted(ranked, key=lambda d: (-ranked[d][0].score, d))
    chosen: list[Option] = []
    level = 0
    while len(chosen) < MAX_CANDIDATES:
        row = [ranked[d][level] for d in order if level < len(ranked[d])]
        if not row:
            break
        chosen += row[: MAX_CANDIDATES - len(chosen)]
        level += 1
    return sorted(chosen, key=lambda o: (o.day, o.start, o.venue))
