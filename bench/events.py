"""The municipal calendar's speed at the municipal scale (issue 10, "Speed"). Writes the
`## Events` section of docs/benchmarks.md.

    .venv/bin/python bench/events.py [--rebuild] [--database-url postgres://…]

The data: `python -m setka demo --scale municipal` in its own PostgreSQL database (default
postgres://root@127.0.0.1:5432/setka_bench_events): made from the resource centres' bench
database when that exists (a copy, migrated, with the events demo step run on it), built
otherwise; ~3,000 events in the school year. The measures, each a ratio or a count taken in
one run (absolute times are reported, never targets):

1. the SQL queries of the month view, the list with filters, an event page, the municipal
   feed and a personal feed — the month for its busiest month and for a month without
   events: the same number;
2. the median server time of each in process (Django's test Client);
3. each under load — gunicorn with 2 sync workers, 16 concurrent clients — next to its floor
   served by the same server in the same run (``bench/events_floor.py``): each keeps at
   least half the floor's throughput;
4. the weight of each page over the wire (and gzipped).
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
    server_url,
    setka,
)

DEFAULT_URL = "postgres://root@127.0.0.1:5432/setka_bench_events"
SOURCE_URL = "postgres://root@127.0.0.1:5432/setka_bench_resources"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
SECTION = "## Events"
STATIC_ROOT = ROOT / "var" / "bench-static"
RATIO = 0.5
WARM_UP = 3


def _count(url: str, sql: str) -> int:
    try:
        with psycopg.connect(libpq_url(url)) as conn:
            return conn.execute(sql).fetchone()[0]
    except psycopg.Error:
        return 0


def ensure_database(url: str, rebuild: bool) -> str:
    if not rebuild and _count(url, "SELECT count(*) FROM events_event") > 1000:
        setka(["migrate", "--no-input", "-v", "0"], url)  # the code may be newer than the data
        return "reused"
    source_has_demo = _count(SOURCE_URL, "SELECT count(*) FROM network_institution") > 40
    if source_has_demo and not rebuild:
        server, name = server_url(url)
        _server, source = server_url(SOURCE_URL)
        with psycopg.connect(libpq_url(server), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        how = "copied from the resource centres' bench database"
    else:
        recreate_database(url)
        how = "built"
    print(f"events database: {how}; migrating and running the demo…", flush=True)
    setka(["migrate", "--no-input", "-v", "0"], url)
    seconds, _out = setka(["demo", "--scale", "municipal", "--no-progress"], url)
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return f"{how}, demo in {seconds / 60:.0f} min"


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "setka-bench-events-not-secret",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "STATIC_ROOT": str(STATIC_ROOT),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    for name in ("SETKA_TESTING", "DEBUG", "CELERY_BROKER_URL"):
        env.pop(name, None)
    return env


# --- in process ---------------------------------------------------------------------------


def choose(today: dt.date) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from setka.core.clock import now
    from setka.events.models import Event
    from setka.events.services import feed_token_of

    user = get_user_model().objects.select_related("person").get(username="teacher")
    event = (
        Event.objects.filter(status="published", starts_at__gt=now())
        .annotate(n=Count("registrations"))
        .order_by("-n", "starts_at")
        .first()
    )
    if event is None:
        raise RuntimeError("no events: build the demo")
    busiest = (
        Event.objects.filter(starts_at__year=today.year)
        .values_list("starts_at__month")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    month = dt.date(today.year, busiest[0] if busiest else today.month, 1)
    return {
        "user": user,
        "event": event,
        "month": month,
        "quiet": dt.date(today.year - 3, 7, 1),
        "token": feed_token_of(user.person.pk).token,
    }


def _median_ms(client, url: str, n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


#: The pages served again from the cache of ``core.pagecache`` (the feeds have their own).
CACHED = ("month", "list", "event")


def served(row: dict[str, Any], key: str, unit: str = "") -> str:
    """«rendered / served again» for a page of the page cache, the rendered figure otherwise."""
    fmt = (lambda v: f"{v:.1f}{unit}") if unit else str
    if f"served_{key}" not in row:
        return fmt(row[key])
    return f"{fmt(row[key])} / {fmt(row[f'served_{key}'])}"


def in_process(pick: dict[str, Any], n: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(pick["user"])
    anonymous = Client(HTTP_HOST="127.0.0.1")
    month, event = pick["month"], pick["event"]
    pages = {
        "month": (client, f"/events/month/?m={month:%Y-%m}"),
        "quiet": (client, f"/events/month/?m={pick['quiet']:%Y-%m}"),
        "list": (client, "/events/?audience=teachers"),
        "event": (client, f"/events/{event.pk}/"),
        "feed": (anonymous, "/events/feed.ics"),
        "personal": (anonymous, f"/events/feed/{pick['token']}.ics"),
    }
    floors = {
        "month": f"/bench/events/month/{month.year}/{month.month}/",
        "list": "/bench/events/list/",
        "event": f"/bench/events/{event.pk}/",
        "feed": "/bench/events/feed.ics",
        "personal": f"/bench/events/personal/{pick['user'].person.pk}.ics",
    }
    out: dict[str, Any] = {"session": client.session.session_key}
    for name, (who, url) in pages.items():
        with override_settings(PAGE_CACHE=False):  # the page rendered: its own cost
            who.get(url)
            with CaptureQueriesContext(connection) as ctx:
                response = who.get(url)
            assert response.status_code == 200, (url, response.status_code)
            out[name] = {
                "url": url,
                "queries": len(ctx.captured_queries),
                "bytes": len(response.content),
                "gzip": len(gzip.compress(response.content)),
                "ms": _median_ms(who, url, n if name != "quiet" else 1),
                "body": response.content,
            }
        if name in CACHED:  # served again from the cache (core.pagecache)
            who.get(url)
            with CaptureQueriesContext(connection) as ctx:
                again = who.get(url)
            assert loadgen.same_page(again.content, response.content), f"{url}: cached differs"
            out[name]["served_queries"] = len(ctx.captured_queries)
            out[name]["served_ms"] = _median_ms(who, url, n)
    floor = Client(HTTP_HOST="127.0.0.1")
    for name, url in floors.items():
        response = floor.get(url)
        out[name]["floor_url"] = url
        out[name]["floor_bytes"] = len(response.content)
        out[name]["floor_body"] = response.content
        out[name]["floor_ms"] = _median_ms(floor, url, n)
    return out


def check_same(proc: dict[str, Any]) -> None:
    """The floors show what the pages show (the same events)."""
    for name in ("feed", "personal"):
        page = proc[name]["body"].count(b"BEGIN:VEVENT")
        floor = proc[name]["floor_body"].count(b"BEGIN:VEVENT")
        # a series is one VEVENT in the municipal feed (with its exceptions), each occurrence
        # one in the floor: the page may have fewer, never more
        if page > floor or page == 0:
            raise RuntimeError(f"{name}: the page has {page} events, the floor {floor}")
    month = proc["month"]["body"].count(b'href="/events/')
    floor = proc["month"]["floor_body"].count(b'href="/events/')
    if month < floor or floor == 0:
        raise RuntimeError(f"month: the page links {month} events, the floor {floor}")


# --- under load -----------------------------------------------------------------------------


def _drain(url: str, attempts: int = 5) -> None:
    """Wait (up to five minutes) until the server answers its health check again."""
    scheme, _, host, _path = url.split("/", 3)
    for _ in range(attempts):
        try:
            loadgen.http_get(f"{scheme}//{host}/healthz")
            return
        except TimeoutError:
            continue


def load(args, page: str, floor: str, headers: dict[str, str]) -> dict:
    wrk = None if args.python_load else loadgen.find_wrk()

    def run(url: str, seconds: float, extra: dict[str, str] | None) -> loadgen.LoadResult:
        if wrk:
            found = loadgen.run_wrk(wrk, url, seconds=seconds, clients=args.clients, headers=extra)
        else:
            found = loadgen.run_python(url, seconds=seconds, clients=args.clients, headers=extra)
        # The requests still queued when the run ends (a feed's floor takes seconds each) would
        # be served during the next run and starve it: wait until the server has caught up.
        _drain(url)
        return found

    # One request each first, alone: what a page keeps in its cache (the municipal feed: a
    # year of events, seconds to write) is made once, not by sixteen clients at once.
    loadgen.http_get(page, headers)
    loadgen.http_get(floor)
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
    check_same(proc)
    loads = {}
    with loadgen.Gunicorn(env, workers=2) as server:
        cookie = loadgen.browser_cookie(proc["session"])
        for name in ("month", "list", "event", "feed", "personal"):
            print(f"{name} under load:", flush=True)
            headers = cookie if name in ("month", "list", "event") else {}
            page, floor = server.base + proc[name]["url"], server.base + proc[name]["floor_url"]
            loads[name] = load(args, page, floor, headers)
    Session.objects.filter(session_key=proc["session"]).delete()
    from setka.events.models import Event

    return {
        "proc": {
            k: (
                {kk: vv for kk, vv in v.items() if not kk.endswith("body")}
                if isinstance(v, dict)
                else v
            )
            for k, v in proc.items()
        },
        "loads": loads,
        "events": Event.objects.count(),
        "event": pick["event"].title,
        "month": f"{pick['month']:%m.%Y}",
    }


# --- the report -----------------------------------------------------------------------------

LABELS = {
    "month": "month view",
    "list": "list with a filter (for teachers)",
    "event": "an event page",
    "feed": "the municipal iCalendar feed",
    "personal": "a personal iCalendar feed",
}


def render(data: dict[str, Any], args: argparse.Namespace) -> str:
    p, loads = data["proc"], data["loads"]
    rows = [("month view: SQL queries, busiest month vs a month without events", "the same",
             f"{p['month']['queries']} vs {p['quiet']['queries']}",
             p["month"]["queries"] == p["quiet"]["queries"])]  # fmt: skip
    for name, label in LABELS.items():
        m = loads[name]
        rows.append((f"{label} under load: throughput vs the floor", f"≥ {RATIO:.2f}",
                     f"{m['ratio']:.2f} ({m['rate']:.1f} vs {m['floor_rate']:.1f} requests/s)",
                     m["ratio"] >= RATIO))  # fmt: skip
    data["passed"] = all(r[3] for r in rows)
    table = "\n".join(
        f"| {name} | {target} | {got} | **{'pass' if ok else 'FAIL'}** |"
        for name, target, got, ok in rows
    )
    kb = 1024
    pages = "\n".join(
        f"| {LABELS[n]} | {served(p[n], 'queries')} | {served(p[n], 'ms', ' ms')} | "
        f"{p[n]['floor_ms']:.1f} ms | "
        f"{loads[n]['p50']:.0f} ms | {loads[n]['floor_p50']:.0f} ms | "
        f"{p[n]['bytes'] / kb:.1f} KB | {p[n]['gzip'] / kb:.1f} KB | "
        f"{p[n]['floor_bytes'] / kb:.1f} KB |"
        for n in LABELS
    )
    tool = loads["month"]["tool"]
    return f"""{SECTION}

The speed requirements of issue 10 for the municipal calendar, measured by `bench/events.py` on `python -m setka demo --scale municipal` in PostgreSQL ({data["events"]} events in the school year; database {data["database"]}). Settings as in production: `DEBUG` off, `REDIS_URL` set, `CONN_MAX_AGE` 60, static files collected. Targets are ratios and counts measured in one run; the absolute times are for the record only (the machine is shared and its speed varies from day to day).

- Machine: {machine()}; PostgreSQL {data["pg"]} on the same machine, Python {sys.version.split()[0]}
- Date: {data["date"]} (UTC); load generator: {tool}, {args.clients} concurrent clients against gunicorn with 2 sync workers, {args.rounds} rounds of {args.seconds:.0f} s for each page and its floor in turn
- Measured: the month view of {data["month"]} (the busiest month), the list of upcoming events for teachers, the page of «{data["event"]}» (signed in as the demo `teacher`), the municipal feed (anonymous) and the teacher's personal feed (its secret address)
- Floors (`bench/events_floor.py`, served by the same gunicorn): the same rows read in one query and rendered as a plain Jinja2 table; for a feed, the same events written by the `icalendar` library from one query

| measure | target | measured | result |
|---|---|---|---|
{table}

| page | queries: rendered / served again | median in process: rendered / served again | floor in process | p50 under load | floor p50 | weight | gzipped | floor weight |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
{pages}

{loadgen.SERVED}

The pages' queries are constant in the number of events (the query-budget tests of `tests/events/` hold them: 1 and 12 events, the same count). A signed-in page carries the site's layout (menu, bell, language switch) and its session, user and roles reads, which its floor does not. The municipal feed is answered from its cache (kept under a stamp of its events, one aggregate query: `events/views/feeds.py`), while its floor writes the whole year every time; calendar applications also get a 304 by its ETag.
"""  # noqa: E501


def main() -> int:
    return loadgen.module_main(sys.modules[__name__], name="events", requests=50)


if __name__ == "__main__":
    sys.exit(main())
