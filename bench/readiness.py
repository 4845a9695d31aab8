"""The readiness survey's speed at the municipal scale (issue 11, "Speed"). Writes the
`## Readiness` section of docs/benchmarks.md.

    .venv/bin/python bench/readiness.py [--rebuild] [--database-url postgres://…]

The data: `python -m setka demo --scale municipal` in its own PostgreSQL database (default
postgres://root@127.0.0.1:5432/setka_bench_readiness): a copy of another bench database with
the municipal demo when one exists and is free (migrated, with the readiness demo step run on
it), built otherwise; then the
current campaign is topped up to 2,000 teachers' self-assessments (the municipal demo has
fewer teachers: the extra ones are bench-only people of its schools). The measures, each a
ratio or a count taken in one run (absolute times are reported, never targets):

1. the SQL queries of the dashboard (page and API) and of an institution's page — the same
   for the municipal campaign and for a campaign of a single institution;
2. the median server time of each in process (Django's test Client);
3. each under load — gunicorn with 2 sync workers, 16 concurrent clients — next to its floor
   served by the same server in the same run (``bench/readiness_floor.py``): each keeps at
   least half the floor's throughput;
4. the weight of each page over the wire (and gzipped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import sys
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
from bench.events import _count, _median_ms, load, served  # noqa: E402

DEFAULT_URL = "postgres://root@127.0.0.1:5432/setka_bench_readiness"
SOURCES = [  # bench databases with the municipal demo, tried in turn (one may be in use)
    "postgres://root@127.0.0.1:5432/setka_bench_events",
    "postgres://root@127.0.0.1:5432/setka_bench_resources",
]
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
SECTION = "## Readiness"
STATIC_ROOT = ROOT / "var" / "bench-static"
RATIO = 0.5
TEACHERS = 2000


def ensure_database(url: str, rebuild: bool) -> str:
    if not rebuild and _count(url, "SELECT count(*) FROM readiness_selfassessment") >= TEACHERS:
        setka(["migrate", "--no-input", "-v", "0"], url)  # the code may be newer than the data
        return "reused"
    how = ""
    for source_url in [] if rebuild else SOURCES:
        if _count(source_url, "SELECT count(*) FROM network_institution") <= 40:
            continue
        server, name = server_url(url)
        _server, source = server_url(source_url)
        try:
            with psycopg.connect(libpq_url(server), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        except psycopg.errors.ObjectInUse:
            continue  # another benchmark is using it
        how = f"copied from {source}"
        break
    if not how:
        recreate_database(url)
        how = "built"
    print(f"readiness database: {how}; migrating and running the demo…", flush=True)
    setka(["migrate", "--no-input", "-v", "0"], url)
    seconds, _out = setka(["demo", "--scale", "municipal", "--no-progress"], url)
    return f"{how}, demo in {seconds / 60:.0f} min"


def top_up() -> int:
    """The current campaign's self-assessments up to :data:`TEACHERS`: extra teachers (bench
    only) in its schools, each with a submitted self-assessment. Answers how many were added."""
    import random

    from django.db import transaction

    from setka.core.clock import now, today
    from setka.network.models import Membership, Person
    from setka.readiness import scoring
    from setka.readiness.models import Campaign, SelfAssessment, Skill

    campaign = Campaign.objects.filter(closed_at__isnull=True).order_by("-starts_on").first()
    if campaign is None:
        raise RuntimeError("no open campaign: run the demo")
    missing = TEACHERS - campaign.self_assessments.count()
    if missing <= 0:
        return 0
    rng = random.Random(11)
    schools = list(campaign.responses.filter(institution__kind="school")
                   .values_list("institution_id", flat=True))  # fmt: skip
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(municipality_id=campaign.municipality_id, surname="Бенчмаркова",
                   given_name=f"Учительница {n}")
            for n in range(missing)
        )  # fmt: skip
        Membership.objects.bulk_create(
            Membership(person=p, institution_id=schools[n % len(schools)], role="teacher",
                       starts_on=today() - dt.timedelta(days=400))
            for n, p in enumerate(people)
        )  # fmt: skip
        SelfAssessment.objects.bulk_create(
            SelfAssessment(campaign=campaign, municipality_id=campaign.municipality_id,
                           person=p, status="submitted", submitted_at=now(),
                           **{s: rng.randint(0, 3) for s in Skill.values})
            for p in people
        )  # fmt: skip
        scoring.recompute_campaign(campaign)
    return missing


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "setka-bench-readiness-not-secret",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "STATIC_ROOT": str(STATIC_ROOT),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    }
    for name in ("SETKA_TESTING", "DEBUG", "CELERY_BROKER_URL"):
        env.pop(name, None)
    return env


def in_process(n: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from setka.network.models import Institution
    from setka.readiness.models import Campaign, Response, SelfAssessment

    users = get_user_model().objects
    campaign = Campaign.objects.filter(closed_at__isnull=True).order_by("-starts_on").first()
    school = Institution.objects.get(slug="school-3")
    metodist, director = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    metodist.force_login(users.get(username="metodist"))
    director.force_login(users.get(username="director"))
    pages = {
        "dashboard": (metodist, f"/readiness/campaigns/{campaign.pk}/",
                      f"/bench/readiness/dashboard/{campaign.pk}/"),
        "institution": (director, "/readiness/institutions/school-3/",
                        f"/bench/readiness/institution/{school.pk}/"),
        "api": (metodist, f"/api/v1/readiness/campaigns/{campaign.pk}/dashboard",
                f"/bench/readiness/api/{campaign.pk}/"),
    }  # fmt: skip
    out: dict[str, Any] = {
        "sessions": {"metodist": metodist.session.session_key,
                     "director": director.session.session_key},
        "institutions": campaign.responses.count(),
        "self_assessments": SelfAssessment.objects.filter(campaign=campaign).count(),
        "all_self_assessments": SelfAssessment.objects.count(),
        "campaign": campaign.title,
    }  # fmt: skip
    floor = Client(HTTP_HOST="127.0.0.1")
    rendered = override_settings(PAGE_CACHE=False)  # the pages rendered: their own cost
    rendered.enable()

    def count(who, url: str) -> tuple[int, int]:
        """Queries of the first request after the cache is emptied, and of the next one."""
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert who.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as warm:
            assert who.get(url).status_code == 200, url
        return len(cold.captured_queries), len(warm.captured_queries)

    for name, (who, url, floor_url) in pages.items():
        cold, warm = count(who, url)
        response = who.get(url)
        assert response.status_code == 200, (url, response.status_code)
        floor_response = floor.get(floor_url)
        assert floor_response.status_code == 200, (floor_url, floor_response.status_code)
        out[name] = {
            "url": url, "floor_url": floor_url, "queries": warm, "cold": cold,
            "bytes": len(response.content), "gzip": len(gzip.compress(response.content)),
            "ms": _median_ms(who, url, n), "floor_bytes": len(floor_response.content),
            "floor_ms": _median_ms(floor, floor_url, n),
        }  # fmt: skip
    # The same pages for a campaign of one institution: the same number of queries.
    with transaction.atomic():
        small = Campaign.objects.create(
            municipality=campaign.municipality, title="one", questionnaire=campaign.questionnaire,
            starts_on=campaign.starts_on, deadline=campaign.deadline,
        )  # fmt: skip
        first = campaign.responses.get(institution=school)
        Response.objects.create(
            campaign=small, institution=school, version=first.version, status="submitted",
            answers=first.answers, index=first.index,
        )  # fmt: skip
        urls = {"dashboard": f"/readiness/campaigns/{small.pk}/",
                "api": f"/api/v1/readiness/campaigns/{small.pk}/dashboard"}  # fmt: skip
        for name, url in urls.items():
            out[name]["small_cold"], out[name]["small_queries"] = count(metodist, url)
        transaction.set_rollback(True)
    out["institution"]["small_queries"] = out["institution"]["queries"]  # one school either way
    out["institution"]["small_cold"] = out["institution"]["cold"]
    rendered.disable()
    who, url, _floor = pages["institution"]  # served again from the cache (core.pagecache)
    page = who.get(url).content
    with CaptureQueriesContext(connection) as ctx:
        again = who.get(url)
    assert loadgen.same_page(again.content, page), f"{url}: cached differs"
    out["institution"]["served_queries"] = len(ctx.captured_queries)
    out["institution"]["served_ms"] = _median_ms(who, url, n)
    return out


def measure(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.sessions.models import Session

    added = top_up()
    proc = in_process(args.requests)
    loads = {}
    with loadgen.Gunicorn(env, workers=2) as server:
        for name, who in (("dashboard", "metodist"), ("institution", "director"),
                          ("api", "metodist")):  # fmt: skip
            print(f"{name} under load:", flush=True)
            cookie = loadgen.browser_cookie(proc["sessions"][who])
            page, floor = server.base + proc[name]["url"], server.base + proc[name]["floor_url"]
            loads[name] = load(args, page, floor, cookie)
    Session.objects.filter(session_key__in=proc["sessions"].values()).delete()
    return {"proc": proc, "loads": loads, "added": added}


LABELS = {
    "dashboard": "the municipal dashboard (page)",
    "institution": "an institution's page (school №3)",
    "api": "the dashboard's data (API)",
}


def render(data: dict[str, Any], args: argparse.Namespace) -> str:
    p, loads = data["proc"], data["loads"]
    rows = [(f"{label}: SQL queries, {p['institutions']} institutions vs one "
             "(the cache emptied; then again)", "the same",
             f"{p[n]['cold']} vs {p[n]['small_cold']}; {p[n]['queries']} vs "
             f"{p[n]['small_queries']}",
             (p[n]["cold"], p[n]["queries"]) == (p[n]["small_cold"], p[n]["small_queries"]))
            for n, label in LABELS.items()]  # fmt: skip
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
    return f"""{SECTION}

The speed requirements of issue 11 for the readiness survey, measured by `bench/readiness.py` on `python -m setka demo --scale municipal` in PostgreSQL: the current campaign «{p["campaign"]}» with {p["institutions"]} institutions and {p["self_assessments"]} teachers' self-assessments ({p["all_self_assessments"]} in both campaigns; {data["added"]} bench-only teachers added to the demo's in this run); database {data["database"]}. Settings as in production: `DEBUG` off, `REDIS_URL` set, `CONN_MAX_AGE` 60, static files collected. Targets are ratios and counts measured in one run; the absolute times are for the record only (the machine is shared and its speed varies).

- Machine: {machine()}; PostgreSQL {data["pg"]} on the same machine, Python {sys.version.split()[0]}
- Date: {data["date"]} (UTC); load generator: {loads["dashboard"]["tool"]}, {args.clients} concurrent clients against gunicorn with 2 sync workers, {args.rounds} rounds of {args.seconds:.0f} s for each page and its floor in turn
- Measured: the dashboard of the campaign (signed in as the demo `metodist`), school №3's page (as `director`), `GET /api/v1/readiness/campaigns/{{id}}/dashboard` (as `metodist`, with the session)
- Floors (`bench/readiness_floor.py`, served by the same gunicorn): the same rows read in one query (the aggregates as CTEs) and rendered as plain Jinja2 tables without layout or charts; for the API, the same data as JSON

| measure | target | measured | result |
|---|---|---|---|
{table}

| page | queries: rendered / served again | median in process: rendered / served again | floor in process | p50 under load | floor p50 | weight | gzipped | floor weight |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
{pages}

{loadgen.SERVED} The dashboard and its API are rendered every time.

The queries are constant in the size of the data (also held by `tests/readiness/test_budgets.py`: 3 and 10 institutions, the same count). A page carries the site's layout, its session, user and roles reads, the bell and the server-drawn SVG charts (the map, the trend, five distributions), which its floor does not.
"""  # noqa: E501


def main() -> int:
    return loadgen.module_main(sys.modules[__name__], name="readiness", requests=30)


if __name__ == "__main__":
    sys.exit(main())
