"""«Since the last visit»: what the person's «Сегодня» counts as new.

A *visit* lasts :data:`GAP` from the home page that began it. A home page opened later
begins a new visit: the moment the previous one began becomes ``today_since`` and the new
one's beginning ``today_visit_at`` (one UPDATE, only then; no write on the other pages).
What is new is what was entered after ``today_since``: reloading the page during a visit
keeps showing it, the next morning's visit shows only what came after yesterday's. A first
visit looks back :data:`FIRST_LOOK_BACK`; no visit looks back further than
:data:`LONGEST_LOOK_BACK` (after the
summer holidays «new» would be the whole year).

The API's ``GET /today`` only reads it (a GET changes nothing); its ``since`` overrides it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from setka.core.clock import now

GAP = dt.timedelta(hours=2)
FIRST_LOOK_BACK = dt.timedelta(days=7)
LONGEST_LOOK_BACK = dt.timedelta(days=31)
REQUEST_ATTR = "_setka_today_since"


def bounded(since: dt.datetime | None, moment: dt.datetime) -> dt.datetime:
    if since is None:
        return moment - FIRST_LOOK_BACK
    return max(since, moment - LONGEST_LOOK_BACK)


def since_last_visit(user, *, record: bool) -> dt.datetime:
    """When the person's previous visit began (bounded); ``record`` begins a new visit when
    the current one began more than :data:`GAP` ago."""
    moment = now()
    started = user.today_visit_at
    if started is not None and moment - started < GAP:
        return bounded(user.today_since, moment)
    if not record:
        return bounded(started, moment)
    user.today_since, user.today_visit_at = started, moment
    get_user_model().objects.filter(pk=user.pk).update(today_since=started, today_visit_at=moment)
    return bounded(started, moment)


def since_for_request(request, *, record: bool = True) -> dt.datetime:
    """:func:`since_last_visit` once per request (every block asks it)."""
    found = getattr(request, REQUEST_ATTR, None)
    if found is None:
        found = since_last_visit(request.user, record=record)
        setattr(request, REQUEST_ATTR, found)
    return found
