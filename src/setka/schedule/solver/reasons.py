"""Why an item was not placed, in words a methodologist can act on.

A reason is stored as ``{"code": ..., "params": {...}}`` (names already in the params, so
that showing it asks nothing of the database) and worded in the reader's language by
:func:`text`. The loader finds the reasons of items without any candidate (who teaches,
which venue cannot take it); :func:`after_solving` those of items whose candidates all clash
with the placed ones, or that the time limit left out."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .problem import Board, Problem, Spec

MAX_NAMES = 3

WHAT = {
    "host": gettext_lazy("receive remote observers (a videoconference room and enough upload)"),
    "join": gettext_lazy("join a webinar (a videoconference kit or room and enough bandwidth)"),
}


def reason(code: str, **params: Any) -> dict[str, Any]:
    return {"code": code, "params": params}


def _names(values: list[str]) -> str:
    shown = ", ".join(values[:MAX_NAMES])
    if len(values) > MAX_NAMES:
        shown += " " + _("and %(n)s more") % {"n": len(values) - MAX_NAMES}
    return shown


def _quoted(values: list[str]) -> str:
    return _names([f"«{v}»" for v in values])


def text(value: dict[str, Any] | None) -> str:
    """The reason in the current language ("" for none)."""
    if not value:
        return ""
    code, p = value.get("code", ""), value.get("params") or {}
    try:
        return _text(code, p)
    except (KeyError, TypeError, ValueError):
        return _("It could not be placed.")


def _text(code: str, p: dict[str, Any]) -> str:
    if code == "no_days":
        return _("The period has no allowed day: change the period or the allowed days.")
    if code == "too_long":
        return _(
            "It lasts longer than the allowed hours of a day (%(minutes)s min): shorten it or "
            "widen the hours."
        ) % {"minutes": p["minutes"]}
    if code == "fixed_outside":
        return _(
            "Its fixed time (%(when)s) is outside the allowed days and hours of the schedule."
        ) % {"when": p["when"]}
    if code == "no_venue":
        return _(
            "No venue can %(what)s: %(venues)s. Choose another school or ask it to complete the "
            "readiness survey."
        ) % {"what": WHAT.get(p["what"], p["what"]), "venues": _names(p["venues"])}
    if code == "host_busy":
        return _("The host, %(name)s, teaches at every allowed time.") % {"name": p["name"]}
    if code == "class_busy":
        return _("The class %(name)s has other lessons at every allowed time.") % {
            "name": p["name"]
        }
    if code == "targets_busy":
        return _(
            "Teachers who must attend teach at every allowed time: %(names)s. Take them off the "
            "list or widen the days and hours."
        ) % {"names": _names(p["names"])}
    if code == "no_common_time":
        return _(
            "There is no allowed time when the host, the class and the teachers who must "
            "attend are all free (most often busy: %(names)s)."
        ) % {"names": _names(p["names"])}
    if code == "venue_taken":
        return _(
            "Whenever everybody is free, the venue is taken by other events or bookings, or "
            "closed: %(venues)s."
        ) % {"venues": _names(p["venues"])}
    if code == "fixed_busy":
        return _("At its fixed time (%(when)s) %(names)s teach.") % {
            "when": p["when"],
            "names": _names(p["names"]),
        }
    if code == "fixed_venue":
        return _("At its fixed time (%(when)s) no venue has a free room: %(venues)s.") % {
            "when": p["when"],
            "venues": _names(p["venues"]),
        }
    if code == "clash_audience":
        return _(
            "Every free time clashes with another item of the same host, class or audience: "
            "%(titles)s."
        ) % {"titles": _quoted(p["titles"])}
    if code == "clash_venue":
        return _("At every free time the venue's rooms are taken by %(titles)s.") % {
            "titles": _quoted(p["titles"])
        }
    if code == "unsurveyed":
        return _(
            "Never surveyed for readiness, so whether it can take remote participation is not "
            "known: %(venues)s."
        ) % {"venues": _names(p["venues"])}
    if code == "now_busy":
        return _("Since publication the timetable has changed: now %(names)s teach then.") % {
            "names": _names(p["names"])
        }
    if code == "time_limit":
        return _(
            "The builder ran out of time before it could place it: raise the time limit and "
            "run it again."
        )
    return _("It could not be placed.")


def after_solving(problem: Problem, board: Board, spec: Spec) -> dict:
    """Why ``spec`` (which has candidates) stayed unplaced, given the placed items."""
    titles = {s.item: s.title for s in problem.specs}
    audience: Counter[int] = Counter()
    venue: Counter[int] = Counter()
    free = False
    for i in spec.candidates:
        clashes = board.clashes(spec, problem.candidates[i])
        if not clashes:
            free = True
            break
        for what, other in clashes:
            if other is None:
                continue
            (venue if what == "venue" else audience)[other] += 1
    if free:
        return reason("time_limit")
    if audience:
        return reason("clash_audience", titles=[titles[i] for i, _n in audience.most_common()])
    if venue:
        return reason("clash_venue", titles=[titles[i] for i, _n in venue.most_common()])
    names = sorted({problem.venues[problem.candidates[i].venue].name for i in spec.candidates})
    return reason("venue_taken", venues=names)
