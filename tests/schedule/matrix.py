"""The schedule builder in the permission matrix: only the municipality's methodologist and
its municipal administrator reach it (a list answers 403 to anyone else, a schedule 404).
The rows' schedule: a week after next with one group viewing at school №3, made by the
methodologist."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from setka.journal.services import structure
from setka.schedule import services
from setka.schedule.models import Item

from ..clock import at, d, iso
from ..matrix import Row

A = "/api/v1"
BUILDERS = "L 200 200 403 403 403 403 403 403 403"
OWN = "L 200 200 404 404 404 404 404 404 404"
OWN_R = "L R R 404 404 404 404 404 404 404"
API_BUILDERS = "401 200 200 403 403 403 403 403 403 403"
API_OWN = "401 200 200 404 404 404 404 404 404 404"


def _schedule(w, j=None):
    return services.schedule_create(
        actor=w.users["metodist"], municipality=w.municipality, title="Вебинары декабря",
        first_day=d(2026, 11, 30), last_day=d(2026, 12, 4), day_starts=dt.time(8),
        day_ends=dt.time(18), time_limit=2,
    )  # fmt: skip


def _item(w, j=None):
    schedule = _schedule(w)
    maths = structure.subject_get_or_create(w.municipality, "Математика", "мат")
    return services.item_create(
        actor=w.users["metodist"], schedule=schedule, kind=Item.Kind.VIEWING,
        subject_id=maths.pk, venue_ids=[w.school.pk],
    )  # fmt: skip


def _run(w, j=None):
    item = _item(w)
    return services.run_request(actor=w.users["metodist"], schedule=item.schedule)


def _s(name, make=_schedule, query=""):
    return lambda w, j: reverse(f"schedule:{name}", args=[make(w).pk]) + query


def _i(name):
    return lambda w, j: reverse(f"schedule:{name}", args=[_item(w).pk])


PAGES = [
    Row("schedule:list", lambda w, j: reverse("schedule:list"), BUILDERS),
    Row("schedule:create", lambda w, j: reverse("schedule:create"), BUILDERS),
    Row("schedule:detail", _s("detail"), OWN),
    Row("schedule:edit", _s("edit"), OWN),
    Row("schedule:status", _s("status"), OWN),
    Row("schedule:changes", _s("changes"), OWN),
    Row("schedule:run", _s("run", lambda w: _item(w).schedule), OWN_R, method="post"),
    Row("schedule:publish", _s("publish"), OWN_R, method="post"),
    Row("schedule:item_create", _s("item_create", query="?kind=viewing"), OWN),
    Row("schedule:item_edit", _i("item_edit"), OWN),
    Row("schedule:item_adjust", _i("item_adjust"), OWN),
    Row("schedule:item_delete", _i("item_delete"), OWN_R, method="post"),
]

API_ROWS = [
    Row("GET /schedules", lambda w, j: f"{A}/schedules", API_BUILDERS),
    Row("POST /schedules", lambda w, j: f"{A}/schedules",
        "401 201 201 403 403 403 403 403 403 403", method="post",
        data={"title": "Открытые уроки", "first_day": iso(2026, 11, 30),
              "last_day": iso(2026, 12, 11)}),
    Row("GET /schedules/{schedule_id}", lambda w, j: f"{A}/schedules/{_schedule(w).pk}", API_OWN),
    Row("PATCH /schedules/{schedule_id}", lambda w, j: f"{A}/schedules/{_schedule(w).pk}",
        API_OWN, method="patch", data={"time_limit": 20}),
    Row("POST /schedules/{schedule_id}/publish",
        lambda w, j: f"{A}/schedules/{_schedule(w).pk}/publish",
        "401 422 422 404 404 404 404 404 404 404", method="post"),
    Row("GET /schedules/{schedule_id}/versions",
        lambda w, j: f"{A}/schedules/{_schedule(w).pk}/versions", API_OWN),
    Row("GET /schedules/{schedule_id}/changes",
        lambda w, j: f"{A}/schedules/{_schedule(w).pk}/changes", API_OWN),
    Row("GET /schedules/{schedule_id}/items",
        lambda w, j: f"{A}/schedules/{_item(w).schedule_id}/items", API_OWN),
    Row("POST /schedules/{schedule_id}/items",
        lambda w, j: f"{A}/schedules/{_schedule(w).pk}/items",
        "401 422 422 404 404 404 404 404 404 404", method="post",
        data={"kind": "viewing", "subject_id": 1}),
    Row("PATCH /schedule-items/{item_id}", lambda w, j: f"{A}/schedule-items/{_item(w).pk}",
        API_OWN, method="patch", data={"duration": 60}),
    Row("POST /schedule-items/{item_id}/move",
        lambda w, j: f"{A}/schedule-items/{_item(w).pk}/move",
        API_OWN, method="post", data={"starts_at": at(d(2026, 11, 30), 15).isoformat()}),
    Row("DELETE /schedule-items/{item_id}", lambda w, j: f"{A}/schedule-items/{_item(w).pk}",
        API_OWN, method="delete"),
    Row("POST /schedules/{schedule_id}/runs",
        lambda w, j: f"{A}/schedules/{_item(w).schedule_id}/runs",
        "401 202 202 404 404 404 404 404 404 404", method="post"),
    Row("GET /schedules/{schedule_id}/runs",
        lambda w, j: f"{A}/schedules/{_schedule(w).pk}/runs", API_OWN),
    Row("GET /schedule-runs/{run_id}", lambda w, j: f"{A}/schedule-runs/{_run(w).pk}", API_OWN),
]  # fmt: skip
