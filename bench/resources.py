"""The resource centres' speed at the municipal scale (issue 9, "Speed"). Writes the
`## Resource centres` section of docs/benchmarks.md.

    .venv/bin/python bench/resources.py [--rebuild] [--database-url postgres://…]

The data: `python -m setka demo --scale municipal` in its own PostgreSQL database (default
postgres://root@127.0.0.1:5432/setka_bench_resources), migrated, built and `VACUUM
ANALYZE`d when it has no bookings (or with --rebuild): ten resources of three resource
centres booked for four months around the build's day, several times a day.

The measures, each a ratio or a count taken in one run (the machine is shared and its speed
varies from day to day; absolute times are reported, never targets):

1. queries of a resource's month calendar (signed in as an administrator of its centre,
   who sees every detail) and of its iCalendar feed (anonymous), for the busiest resource
   of this month and for a month without bookings: the same number;
2. the median server time of each in process (Django's test Client), for the report;
3. each under load — gunicorn with 2 sync workers, 16 concurrent clients (wrk, or a Python
   generator when wrk is unavailable) — next to its floor served by the same server in the
   same run (``bench/resources_floor.py``): the month page keeps at least half the floor's
   throughput, and so does the feed;
4. the weight of each page over the wire (and gzipped, as a proxy would send it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import bench.* as a package

import psycopg  # noqa: E402
from bench import loadgen  # noqa: E402
from bench.demo_build import (  # noqa: E402
    libpq_url,
    machine,
    recreate_database,
    setka,
)

DEFAULT_URL = "postgres://root@127.0.0.1:5432/setka_bench_resources"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
SECTION = "## Resource centres"
STATIC_ROOT = ROOT / "var" / "bench-static"
RATIO = 0.5
WARM_UP = 3


def bookings_in(url: str) -> int:
    try:
        with psycopg.connect(libpq_url(url)) as conn:
            return conn.execute("SELECT count(*) FROM resources_booking").fetchone()[0]
    except psycopg.Error:
        return 0


def ensure_database(url: str, rebuild: bool) -> str:
    if not rebuild and bookings_in(url):
        setka(["migrate", "--no-input", "-v", "0"], url)  # the code may be newer than the data
        return "reused"
    print("building: `setka demo --scale municipal` (~15 min)…", flush=True)
    recreate_database(url)
    setka(["migrate", "--no-input", "-v", "0"], url)
    seconds, _out = setka(["demo", "--scale", "municipal", "--no-progress"], url)
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return f"built in {seconds / 60:.0f} min"


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "setka-bench-resources-not-secret",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "STATIC_ROOT": str(STATIC_ROOT),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    for name in ("SETKA_TESTING", "DEBUG", "CELERY_BROKER_URL"):
        env.pop(name, None)
    return env


# --- in process ---------------------------------------------------------------------------


def choose(today: dt.date) -> dict[str, Any]:
    """The busiest resource of this month, its month, and a month without bookings."""
    from django.db.models import Count, Q

    from setka.network.models import Membership
    from setka.resources.models import ACTIVE, Resource

    first = today.replace(day=1)
    this_month = Q(bookings__status__in=ACTIVE, bookings__starts_at__date__gte=first)
    resource = (
        Resource.objects.annotate(n=Count("bookings", filter=this_month))
        .select_related("institution")
        .order_by("-n", "id")
        .first()
    )  # fmt: skip
    if resource is None:
        raise RuntimeError("no resources: build the demo")
    admin = (
        Membership.objects.active(today)
        .filter(institution=resource.institution, role=Membership.Role.INSTITUTION_ADMIN)
        .exclude(person__user=None)
        .select_related("person__user")
        .first()
    )
    if admin is None:
        raise RuntimeError(f"{resource.institution} has no administrator with an account")
    quiet = (first - dt.timedelta(days=200)).replace(day=1)
    return {"resource": resource, "user": admin.person.user, "month": first, "quiet": quiet}


def _median(client, url: str, n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def in_process(pick: dict[str, Any], n: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    resource = pick["resource"]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(pick["user"])
    anonymous = Client(HTTP_HOST="127.0.0.1")
    month = f"/resources/{resource.pk}/month/?month={pick['month']:%Y-%m}"
    quiet = f"/resources/{resource.pk}/month/?month={pick['quiet']:%Y-%m}"
    feed = f"/resources/{resource.pk}/feed.ics"
    out: dict[str, Any] = {
        "session": client.session.session_key,
        "month_url": month,
        "feed_url": feed,
    }
    for name, who, url in (
        ("month", client, month),
        ("quiet", client, quiet),
        ("feed", anonymous, feed),
    ):
        with override_settings(PAGE_CACHE=False):  # the page rendered: its own cost
            who.get(url)
            with CaptureQueriesContext(connection) as ctx:
                response = who.get(url)
            assert response.status_code == 200, (url, response.status_code)
            out[f"{name}_queries"] = len(ctx.captured_queries)
            out[f"{name}_bytes"] = len(response.content)
            out[f"{name}_gzip"] = len(gzip.compress(response.content))
            out[f"{name}_body"] = response.content
            out[f"{name}_ms"] = _median(who, url, n if name != "quiet" else 1)
        if name == "month":  # served again from the cache (core.pagecache)
            who.get(url)
            with CaptureQueriesContext(connection) as ctx:
                again = who.get(url)
            assert loadgen.same_page(again.content, response.content), f"{url}: cached differs"
            out["served_queries"] = len(ctx.captured_queries)
            out["served_ms"] = _median(who, url, n)
    for name, url in (("bell", "/notifications/bell/"), ("layout", "/notifications/")):
        client.get(url)  # a signed-in answer's fixed cost: without the layout; with it
        times = []
        for _ in range(n):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        out[f"{name}_ms"] = statistics.median(times)
    floor = Client(HTTP_HOST="127.0.0.1")
    floor_url = f"/bench/resources/{resource.pk}/month/{pick['month'].year}/{pick['month'].month}/"
    times = []
    for _ in range(n):
        started = time.perf_counter()
        floor.get(floor_url)
        times.append((time.perf_counter() - started) * 1000)
    out["floor_ms"] = statistics.median(times)
    out["month_slots"] = out["month_body"].count(b'<li class="slot')
    out["feed_events"] = out["feed_body"].count(b"BEGIN:VEVENT")
    return out


# --- under load -----------------------------------------------------------------------------


def load(args, server: loadgen.Gunicorn, page: str, floor: str, headers: dict[str, str]) -> dict:
    wrk = None if args.python_load else loadgen.find_wrk()

    def run(url: str, seconds: float, extra: dict[str, str] | None) -> loadgen.LoadResult:
        if wrk:
            return loadgen.run_wrk(wrk, url, seconds=seconds, clients=args.clients, headers=extra)
        return loadgen.run_python(url, seconds=seconds, clients=args.clients, headers=extra)

    run(page, WARM_UP, headers)
    run(floor, WARM_UP, None)
    pages, floors = [], []
    for _ in range(args.rounds):
        pages.append(run(page, args.seconds, headers))
        floors.append(run(floor, args.seconds, None))
        print(f"  {pages[-1].rate:.1f} vs floor {floors[-1].rate:.1f} requests/s", flush=True)
    failed = sum(r.failed for r in pages + floors)
    if failed:
        raise RuntimeError(f"{failed} requests failed under load")
    rate = sum(r.requests for r in pages) / sum(r.seconds for r in pages)
    floor_rate = sum(r.requests for r in floors) / sum(r.seconds for r in floors)
    return {
        "tool": "wrk" if wrk else "python",
        "rate": rate,
        "floor_rate": floor_rate,
        "ratio": loadgen.ratio(rate, floor_rate),
        "p50": statistics.median(r.latency_ms.get("p50", 0) for r in pages),
        "floor_p50": statistics.median(r.latency_ms.get("p50", 0) for r in floors),
    }


def measure(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.sessions.models import Session

    from setka.core.clock import today

    pick = choose(today())
    proc = in_process(pick, args.requests)
    resource = pick["resource"]
    month = pick["month"]
    with loadgen.Gunicorn(env, workers=2) as server:
        cookie = loadgen.browser_cookie(proc["session"])
        floor_month = (
            f"{server.base}/bench/resources/{resource.pk}/month/{month.year}/{month.month}/"
        )
        floor_feed = f"{server.base}/bench/resources/{resource.pk}/feed.ics"
        _status, floor_html = loadgen.http_get(floor_month)
        _status, floor_ics = loadgen.http_get(floor_feed)
        if floor_html.count(b"<li>") != proc["month_slots"]:
            raise RuntimeError(f"the floor's month has {floor_html.count(b'<li>')} bookings")
        if floor_ics.count(b"BEGIN:VEVENT") != proc["feed_events"]:
            raise RuntimeError("the floor's feed has other events")
        print("month calendar under load:", flush=True)
        month_load = load(args, server, server.base + proc["month_url"], floor_month, cookie)
        print("iCalendar feed under load:", flush=True)
        feed_load = load(args, server, server.base + proc["feed_url"], floor_feed, {})
    Session.objects.filter(session_key=proc["session"]).delete()
    return {
        "resource": f"{resource.name}, {resource.institution.short_name}",
        "month": f"{month:%m.%Y}",
        "proc": {k: v for k, v in proc.items() if not k.endswith("_body")},
        "floor_bytes": len(floor_html),
        "floor_feed_bytes": len(floor_ics),
        "month_load": month_load,
        "feed_load": feed_load,
    }


# --- the report -----------------------------------------------------------------------------


def render(data: dict[str, Any], args: argparse.Namespace) -> str:
    p, m, f = data["proc"], data["month_load"], data["feed_load"]
    rows = [
        ("month calendar: SQL queries, busiest month vs a month without bookings",
         "the same", f"{p['month_queries']} ({p['month_slots']} bookings) vs {p['quiet_queries']}",
         p["month_queries"] == p["quiet_queries"]),
        ("month calendar under load: throughput vs the floor", f"≥ {RATIO:.2f}",
         f"{m['ratio']:.2f} ({m['rate']:.1f} vs {m['floor_rate']:.1f} requests/s)",
         m["ratio"] >= RATIO),
        ("iCalendar feed under load: throughput vs the floor", f"≥ {RATIO:.2f}",
         f"{f['ratio']:.2f} ({f['rate']:.1f} vs {f['floor_rate']:.1f} requests/s)",
         f["ratio"] >= RATIO),
    ]  # fmt: skip
    data["passed"] = all(r[3] for r in rows)
    table = "\n".join(
        f"| {name} | {target} | {got} | **{'pass' if ok else 'FAIL'}** |"
        for name, target, got, ok in rows
    )
    kb = 1024
    return f"""{SECTION}

The speed requirements of issue 9 for the resource centres, measured by `bench/resources.py` on `python -m setka demo --scale municipal` in PostgreSQL (10 resources of 3 resource centres, booked for four months around the day of the build; database {data["database"]}). Settings as in production: `DEBUG` off, `REDIS_URL` set, `CONN_MAX_AGE` 60, static files collected. Targets are ratios and counts measured in one run; the absolute times are for the record only (the machine is shared and varies 2× from day to day).

- Machine: {machine()}; PostgreSQL {data["pg"]} on the same machine, Python {sys.version.split()[0]}
- Date: {data["date"]} (UTC); load generator: {m["tool"]}, {args.clients} concurrent clients against gunicorn with 2 sync workers, {args.rounds} rounds of {args.seconds:.0f} s for each page and its floor in turn
- Measured: the month calendar of «{data["resource"]}» for {data["month"]} ({p["month_slots"]} bookings, signed in as an administrator of its centre: every detail shown) and its iCalendar feed (anonymous; {p["feed_events"]} events, a month back and a year ahead)
- Floors (`bench/resources_floor.py`, served by the same gunicorn): the same bookings of the same weeks read in one query and rendered as a plain Jinja2 table; the same events written by the `icalendar` library from one query

| measure | target | measured | result |
|---|---|---|---|
{table}

| page | queries: rendered / served again | median in process: rendered / served again | median under load (p50) | floor p50 | weight | gzipped | floor weight |
|---|---:|---:|---:|---:|---:|---:|---:|
| month calendar | {p["month_queries"]} / {p["served_queries"]} | {p["month_ms"]:.1f} ms / {p["served_ms"]:.1f} ms | {m["p50"]:.0f} ms | {m["floor_p50"]:.0f} ms | {p["month_bytes"] / kb:.1f} KB | {p["month_gzip"] / kb:.1f} KB | {data["floor_bytes"] / kb:.1f} KB |
| iCalendar feed | {p["feed_queries"]} | {p["feed_ms"]:.1f} ms | {f["p50"]:.0f} ms | {f["floor_p50"]:.0f} ms | {p["feed_bytes"] / kb:.1f} KB | {p["feed_gzip"] / kb:.1f} KB | {data["floor_feed_bytes"] / kb:.1f} KB |

{loadgen.SERVED}

The month page's queries (rendered): the session, the user, the roles, the resource with its centre and municipality, its hours, the bookings of the weeks (with the institution that holds each), and the bell; the feed's: the resource, its hours and its events. The page weighs what its HTML weighs (its CSS is cached after the first visit).

In process, for scale: the month floor {p["floor_ms"]:.1f} ms; a signed-in answer without the site's layout (the bell fragment: session, user, roles, unread count) {p["bell_ms"]:.1f} ms; a light signed-in page of the site's layout (the notification list, a few rows) {p["layout_ms"]:.1f} ms; the month calendar {p["month_ms"]:.1f} ms rendered, {p["served_ms"]:.1f} ms served again. A signed-in page carries its session, user and roles reads, its permission checks and the site's layout (menu, bell, language switch), which the floor does not: the light signed-in page alone costs {p["layout_ms"] / p["floor_ms"]:.1f}× the whole floor, and the calendar costs {p["month_ms"] - p["layout_ms"]:+.1f} ms next to it. The feed, whose floor writes the same events with the same library, keeps the floor's pace.
"""  # noqa: E501


def main() -> int:
    return loadgen.module_main(sys.modules[__name__], name="resources", requests=100)


if __name__ == "__main__":
    sys.exit(main())
