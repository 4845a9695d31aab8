"""The network programmes' speed at the municipal scale (issue 9, "Speed"). Writes the
`## Network programmes` section of docs/benchmarks.md.

    .venv/bin/python bench/programs.py [--rebuild] [--database-url postgres://…]

The data: `python -m setka demo --scale municipal` in its own PostgreSQL database (default
postgres://root@127.0.0.1:5432/setka_bench_programs), migrated, built and `VACUUM ANALYZE`d
when it has no offers (or with --rebuild): ~1,500 offers of the schools and the institutions
of additional education, ~17,000 applications, the agreements and the resource centres'
bookings of the map.

The measures, each a ratio or a count taken in one run (the machine is shared; absolute times
are reported, never targets):

1. the queries of each page and API call (the query-budget tests hold them constant in the
   size of the data; here: at the municipal scale);
2. the median server time of each page in process (Django's test Client);
3. each page under load — gunicorn with 2 sync workers, 16 concurrent clients (wrk, or a
   Python generator) — next to its floor served by the same server in the same run
   (``bench/programs_floor.py``): each keeps at least half the floor's throughput;
4. the weight of each page over the wire (and gzipped).
"""

from __future__ import annotations

import argparse
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

DEFAULT_URL = "postgres://root@127.0.0.1:5432/setka_bench_programs"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
SECTION = "## Network programmes"
STATIC_ROOT = ROOT / "var" / "bench-static"
RATIO = 0.5
WARM_UP = 3
PAGES = ("catalogue", "search", "fits", "offer", "map")
LABELS = {
    "catalogue": "catalogue with filters (grade 7, free places, taking applications)",
    "search": "catalogue, full-text search",
    "fits": "catalogue, «fits my timetable» (grade 7)",
    "offer": "an offer's page",
    "map": "map of the network (anonymous)",
}


def offers_in(url: str) -> int:
    try:
        with psycopg.connect(libpq_url(url)) as conn:
            return conn.execute("SELECT count(*) FROM programs_offer").fetchone()[0]
    except psycopg.Error:
        return 0


def ensure_database(url: str, rebuild: bool) -> str:
    if not rebuild and offers_in(url):
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
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "setka-bench-programs-not-secret",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "STATIC_ROOT": str(STATIC_ROOT),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    for name in ("SETKA_TESTING", "DEBUG", "CELERY_BROKER_URL"):
        env.pop(name, None)
    return env


# --- in process ---------------------------------------------------------------------------


def choose() -> dict[str, Any]:
    """The demo student, the offer with most applications, the pages and their floors."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from setka.core.clock import today
    from setka.programs.models import Offer
    from setka.programs.selectors.catalogue import Filters, catalogue
    from setka.programs.views.catalogue import PAGE_SIZE
    from setka.programs.views.map import school_year

    student = get_user_model().objects.select_related("person").get(username="student")
    offer = Offer.objects.annotate(n=Count("applications")).order_by("-n", "pk").first()
    if offer is None:
        raise RuntimeError("no offers: build the demo")
    municipality = offer.municipality_id
    year = school_year(today())
    queries = {
        "catalogue": ("/programs/?grade=7&free=on&open=on", Filters(grade=7, free=True, open=True)),
        "search": ("/programs/?q=математика", Filters(q="математика")),
        "fits": ("/programs/?grade=7&fits=on", Filters(grade=7, fits=student.person.pk)),
    }
    urls, floors, shown = {}, {}, {}
    for name, (url, filters) in queries.items():
        ids = list(catalogue(filters).values_list("pk", flat=True)[:PAGE_SIZE])
        urls[name] = url
        floors[name] = "/bench/programs/offers/?ids=" + ",".join(map(str, ids))
        shown[name] = len(ids)
    urls["offer"] = f"/programs/offers/{offer.pk}/"
    floors["offer"] = f"/bench/programs/offers/{offer.pk}/"
    urls["map"] = "/programs/map/"
    floors["map"] = f"/bench/programs/map/{municipality}/{year}/"
    return {"user": student, "offer": offer, "urls": urls, "floors": floors, "shown": shown,
            "offers": Offer.objects.count()}  # fmt: skip


def _median_ms(client, url: str, n: int) -> float:
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

    from setka.accounts.services import token_create

    student = Client(HTTP_HOST="127.0.0.1")
    student.force_login(pick["user"])
    anonymous = Client(HTTP_HOST="127.0.0.1")
    out: dict[str, Any] = {"session": student.session.session_key}
    for name in PAGES:
        who = anonymous if name == "map" else student
        url = pick["urls"][name]
        with override_settings(PAGE_CACHE=False):  # the page rendered: its own cost
            who.get(url)
            with CaptureQueriesContext(connection) as ctx:
                response = who.get(url)
            assert response.status_code == 200, (url, response.status_code)
            out[f"{name}_queries"] = len(ctx.captured_queries)
            out[f"{name}_bytes"] = len(response.content)
            out[f"{name}_gzip"] = len(gzip.compress(response.content))
            out[f"{name}_ms"] = _median_ms(who, url, n)
        who.get(url)  # served again from the cache (core.pagecache) while nothing changes
        with CaptureQueriesContext(connection) as ctx:
            again = who.get(url)
        assert loadgen.same_page(again.content, response.content), f"{url}: cached differs"
        out[f"{name}_served_queries"] = len(ctx.captured_queries)
        out[f"{name}_served_ms"] = _median_ms(who, url, n)
        out[f"{name}_floor_ms"] = _median_ms(anonymous, pick["floors"][name], n)
    token = token_create(actor=pick["user"], name="bench")[1]
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    for name, url in (
        ("api_offers", "/api/v1/programs/offers?grade=7&free=true"),
        ("api_map", "/api/v1/programs/network-map"),
    ):
        api.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url)
        assert response.status_code == 200, (url, response.status_code)
        out[f"{name}_queries"] = len(ctx.captured_queries)
        out[f"{name}_ms"] = _median_ms(api, url, n)
    return out


# --- under load -----------------------------------------------------------------------------


def load(args, page: str, floor: str, headers: dict[str, str]) -> dict[str, Any]:
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

    from setka.accounts.models import ApiToken

    pick = choose()
    proc = in_process(pick, args.requests)
    loads = {}
    with loadgen.Gunicorn(env, workers=2) as server:
        cookie = loadgen.browser_cookie(proc["session"])
        for name in PAGES:
            status, body = loadgen.http_get(server.base + pick["floors"][name])
            if status != 200:
                raise RuntimeError(f"the floor of {name} answers {status}")
            proc[f"{name}_floor_bytes"] = len(body)
            print(f"{LABELS[name]} under load:", flush=True)
            loads[name] = load(
                args,
                server.base + pick["urls"][name],
                server.base + pick["floors"][name],
                loadgen.browser_cookie() if name == "map" else cookie,
            )
    Session.objects.filter(session_key=proc["session"]).delete()
    ApiToken.objects.filter(user=pick["user"], name="bench").delete()
    return {
        "offer": f"«{pick['offer'].title}», {pick['offer'].institution.short_name}",
        "offers": pick["offers"],
        "shown": pick["shown"],
        "proc": proc,
        "loads": loads,
    }


# --- the report -----------------------------------------------------------------------------


def render(data: dict[str, Any], args: argparse.Namespace) -> str:
    p, loads = data["proc"], data["loads"]
    rows = [
        (f"{LABELS[name]} under load: throughput vs the floor", f"≥ {RATIO:.2f}",
         f"{loads[name]['ratio']:.2f} ({loads[name]['rate']:.1f} vs "
         f"{loads[name]['floor_rate']:.1f} requests/s)", loads[name]["ratio"] >= RATIO)
        for name in PAGES
    ]  # fmt: skip
    rows.append(
        (
            "map of the network: queries (its selector: a handful of aggregates)",
            "≤ 8",
            str(p["map_queries"]),
            p["map_queries"] <= 8,
        )
    )
    data["passed"] = all(r[3] for r in rows)
    table = "\n".join(
        f"| {name} | {target} | {got} | **{'pass' if ok else 'FAIL'}** |"
        for name, target, got, ok in rows
    )
    kb = 1024
    pages = "\n".join(
        f"| {LABELS[n]} | {p[f'{n}_queries']} / {p[f'{n}_served_queries']} | "
        f"{p[f'{n}_ms']:.1f} ms / {p[f'{n}_served_ms']:.1f} ms | {p[f'{n}_floor_ms']:.1f} ms | "
        f"{loads[n]['p50']:.0f} ms | {loads[n]['floor_p50']:.0f} ms | "
        f"{p[f'{n}_bytes'] / kb:.1f} KB | {p[f'{n}_gzip'] / kb:.1f} KB | "
        f"{p[f'{n}_floor_bytes'] / kb:.1f} KB |"
        for n in PAGES
    )
    tool = loads["catalogue"]["tool"]
    SERVED = loadgen.SERVED  # noqa: N806 - read by the f-string below
    return f"""{SECTION}

The speed requirements of issue 9 for the network programmes, measured by `bench/programs.py` on `python -m setka demo --scale municipal` in PostgreSQL ({data["offers"]:,} offers; database {data["database"]}). Settings as in production: `DEBUG` off, `REDIS_URL` set, static files collected. Targets are ratios and counts measured in one run; the absolute times are for the record only.

- Machine: {machine()}; PostgreSQL {data["pg"]} on the same machine, Python {sys.version.split()[0]}
- Date: {data["date"]} (UTC); load generator: {tool}, {args.clients} concurrent clients against gunicorn with 2 sync workers, {args.rounds} rounds of {args.seconds:.0f} s for each page and its floor in turn
- Measured as the demo `student` (a 7th-grader; the map anonymously): the catalogue pages show {data["shown"]["catalogue"]}, {data["shown"]["search"]} and {data["shown"]["fits"]} offers (a page of at most 24); the offer page is {data["offer"]}
- Floors (`bench/programs_floor.py`, served by the same gunicorn): the same offers of the page read in one query with their providers and times; the offer with its times and teachers in one query; the map's pairs and counts and the institutions outside in one statement — each rendered as a plain Jinja2 table

| measure | target | measured | result |
|---|---|---|---|
{table}

| page | queries: rendered / served again | median in process: rendered / served again | floor in process | median under load (p50) | floor p50 | weight | gzipped | floor weight |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
{pages}

{SERVED}

Through the API (a token): the catalogue `GET /api/v1/programs/offers?grade=7&free=true` {p["api_offers_queries"]} queries, {p["api_offers_ms"]:.1f} ms; the map `GET /api/v1/programs/network-map` {p["api_map_queries"]} queries, {p["api_map_ms"]:.1f} ms (medians in process). The catalogue's queries: the session, the user, the roles, the family (whose timetable), the providers of the filter, the count, the page and its offers' times, the layout's bell and name; «fits my timetable» adds the journal's busy seam (one query for two weeks of the student's lessons) and the times of the matching offers. The map: the municipality, its institutions, the parties of the year's agreements, the enrolments by pair, the bookings by pair (the resource centres' selector: the time zone and the pairs) and the shared offers.
"""  # noqa: E501


def main() -> int:
    return loadgen.module_main(sys.modules[__name__], name="programs", requests=60)


if __name__ == "__main__":
    sys.exit(main())
