"""The targets of issue 3 ("Speed"), the timing helpers of ``bench/journal.py``, and the
`## Journal` section of docs/benchmarks.md it writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

CORES = len(os.sched_getaffinity(0))
TARGETS = {
    "page_queries": 10,
    "page_median_ms": 30.0,
    "throughput_ratio": 0.5,
    "diary_queries": 8,
    "diary_median_ms": 20.0,
    "writes_per_s": 300.0,
    "import_s": 30.0,
}


@dataclass
class Results:
    started: dt.datetime
    data: dict[str, Any] = field(default_factory=dict)
    checks: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def check(self, what: str, target: str, measured: str, ok: bool) -> None:
        self.checks.append((what, target, measured, ok))
        print(f"  {'PASS' if ok else 'FAIL'} {what}: {measured} (target {target})", flush=True)


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def proc_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes (those that exist)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def timings(fn, n: int, backend_pid: int | None = None) -> dict[str, float]:
    """Call ``fn`` n times in a row; milliseconds: median, p95, mean, min, max of the wall
    time, the median CPU time of this process, and the mean CPU time of the PostgreSQL backend
    serving it (``backend_pid``) per call."""
    ms, cpu = [], []
    pg_before = proc_cpu([backend_pid]) if backend_pid else 0.0
    for _ in range(n):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        ms.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    out = {
        "n": n,
        "median": statistics.median(ms),
        "p95": percentile(ms, 95),
        "mean": statistics.fmean(ms),
        "min": min(ms),
        "max": max(ms),
        "cpu": statistics.median(cpu),
    }
    if backend_pid:
        out["pg_cpu"] = (proc_cpu([backend_pid]) - pg_before) * 1000 / n
    return out


def fmt_ms(t: dict[str, float]) -> str:
    return f"median {t['median']:.1f} ms, p95 {t['p95']:.1f} ms (n = {t['n']})"


def _ok(flag: bool) -> str:
    return "**pass**" if flag else "**FAIL**"


def _versions() -> str:
    parts = []
    for name in ("django", "gunicorn", "psycopg"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            parts.append(f"{name.capitalize()} {metadata.version(name)}")
    wrk = shutil.which("wrk")
    if wrk:
        out = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
        first = (out.stdout or out.stderr).split("[")[0].strip()
        if first:
            parts.append(first)
    return ", ".join(parts)


def _load(data: dict[str, Any]) -> str:
    samples = data.get("load") or []
    if not samples:
        return "not sampled"
    at = "; ".join(
        f"{name} {values[0]:.1f}" for name, values in (data.get("load_marks") or {}).items()
    )
    return (
        f"min {min(samples):.1f}, median {statistics.median(samples):.1f}, max {max(samples):.1f} "
        f"(sampled every 5 s; at the start of each measure: {at})"
    )


TIME_HEAD = (
    "| requests | median, ms | p95, ms | mean, ms | min, ms | max, ms | CPU (median), ms "
    "| PostgreSQL CPU (mean), ms |"
)
TIME_RULE = "|---:|---:|---:|---:|---:|---:|---:|---:|"


def _time_cells(t: dict[str, float]) -> str:
    pg = f"{t['pg_cpu']:.1f}" if "pg_cpu" in t else "—"
    return (
        f"| {t['n']} | {t['median']:.1f} | {t['p95']:.1f} | {t['mean']:.1f} | {t['min']:.1f} "
        f"| {t['max']:.1f} | {t['cpu']:.1f} | {pg} |"
    )


def _part_row(name: str, t: dict[str, float]) -> str:
    pg = f"{t['pg_cpu']:.1f}" if "pg_cpu" in t else "—"
    return f"| {name} | {t['median']:.1f} | {t['cpu']:.1f} | {pg} |"


def _cpu_row(name: str, s: dict[str, Any]) -> str:
    c = s["cpu_ms"]
    return (
        f"| {name} | {s['rate']:.1f} | {c['server']:.1f} | {c['postgres']:.1f} "
        f"| {c['client']:.1f} | {sum(c.values()):.1f} | {s['cpu_share'] * 100:.0f} % |"
    )


CPU_HEAD = (
    "| load | requests/s | gunicorn workers, ms | PostgreSQL, ms | load generator, ms "
    "| total, ms | share of the cores used |"
)
CPU_RULE = "|---|---:|---:|---:|---:|---:|---:|"
CPU_NOTE = (
    "CPU time per request, by process (from `/proc`: the two workers, the PostgreSQL backends "
    "of the benchmark database, the load generator); the last column is the CPU time of these "
    "processes over the run's wall time × the cores: what the rest of the machine left free "
    "shows there."
)


def _batch_lines(b: dict[str, Any] | None) -> list[str]:
    if not b:
        return []
    run = b["runs"][0]
    return [
        "",
        f"The same teachers through `POST /api/v1/journal/marks/batch`, {b['batch_size']} marks "
        "a request (the column of a control work: one lesson, 25 students of its group), "
        f"{b['bodies']:,} different requests in turn; {b['warm_up']:,} requests of warm-up "
        f"first. In the database afterwards: {b['written']:,} new marks and {b['audited']:,} "
        "new `journal.mark.create` audit entries. Latency in ms.",
        "",
        "| requests | seconds | requests/s | marks/s | p50 | p90 | p95 | p99 | max |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {run['requests']:,} | {run['seconds']:.1f} | {run['rate']:.1f} "
        f"| **{b['marks_rate']:.0f}** | {_lat(run)} |",
        "",
        CPU_HEAD,
        CPU_RULE,
        _cpu_row("marks API, batches (per request)", b),
    ]


def _profile_lines(profile: dict[str, Any]) -> list[str]:
    if not profile or not profile.get("samples"):
        return []
    lines = [
        "",
        f"Where a worker's time goes: py-spy sampled both workers during {profile['seconds']} s "
        f"more of the same load ({profile['samples']:,} samples of a busy worker; not counted "
        "in the rate above); a sample counts for the innermost step it is in.",
        "",
        "| step of a write | share of the samples | of which waiting for PostgreSQL |",
        "|---|---:|---:|",
    ]
    for name, share, waiting in profile["steps"]:
        lines.append(f"| {name} | {share * 100:.1f} % | {waiting * 100:.1f} % |")
    return lines


def _lat(run: dict[str, Any]) -> str:
    return " | ".join(f"{run[k]:.0f}" for k in ("p50", "p90", "p95", "p99", "max"))


def render_section(results: Results, machine: str, python: str) -> str:
    d = results.data
    c, j, b = d["counts"], d["journal"], d["build"]
    page, diary, thr = d["page"], d["diary"], d["throughput"]
    writes, imp, rep = d["writes"], d["import"], d["reports"]
    took = (dt.datetime.now(dt.UTC) - results.started).total_seconds() / 60
    built = (
        f"built on {b['date']} in {b['seconds'] / 60:.0f} min"
        if b.get("seconds")
        else f"built on {b['date']}"
    )
    lines = [
        "## Journal",
        "",
        "The speed requirements of issue 3, measured by `bench/journal.py` on "
        f"`python -m setka demo --scale {d.get('scale', 'municipal')} --journal-full-year` in "
        "PostgreSQL "
        f"({c['students']:,} students, {c['lessons']:,} lessons, {c['marks']:,} marks, "
        f"{c['attendance']:,} absences; the database {built}, then `VACUUM ANALYZE`). Settings "
        "as in production: `DEBUG` off, `REDIS_URL` set (Redis cache; database sessions read "
        "through it), "
        "`CONN_MAX_AGE` 60 with health checks, the hand-written SQL of the hottest reads "
        "(`setka.core.sqlrows`) prepared on the server after 5 runs on a connection "
        "(`DATABASE_PREPARE_THRESHOLD`), static files collected (manifest storage).",
        "",
        f"- Machine: {machine}; PostgreSQL {d['pg']} on the same machine (default settings), "
        f"Python {python}; {_versions()}",
        f"- Date: {results.started.date().isoformat()} (UTC); the run took {took:.0f} min",
        f"- Load average (1 min) during the run: {_load(d)}. The machine is shared with other "
        "work, and the load generator, gunicorn and PostgreSQL share its cores.",
        f"- The journal measured: {j['label']} — {j['students']} students, {j['lessons']} "
        f"lessons, {j['marks']} marks; signed in as its teacher (`{j['teacher']}`). The class "
        f"closest to 30 students among the {j['classes']:,} classes of grades 2–11 with 20 "
        f"or more students (the largest has {j['largest']}); the first grade has no marks.",
        "",
        "| measure | target | measured | result |",
        "|---|---|---|---|",
    ]
    lines += [f"| {w} | {t} | {m} | {_ok(ok)} |" for w, t, m, ok in results.checks]
    t = page["time"]
    sizes = ", ".join(f"{n} students — {q}" for n, q, _ms in page["by_size"])
    size_times = ", ".join(f"{n} students — {ms:.1f} ms" for n, _q, ms in page["by_size"])
    lines += [
        "",
        "### 1. The journal page, in process",
        "",
        f"`GET {page['url']}` through Django's test `Client` (the whole middleware stack, the "
        "session and the user loaded from the database each time), one request after another, "
        f"after 20 warm-up requests. HTML: {page['bytes']:,} bytes, {page['rows']} rows.",
        "",
        "| queries | queries by class size |",
        "|---:|---|",
        f"| {page['queries']} | {sizes} |",
        "",
        TIME_HEAD,
        TIME_RULE,
        _time_cells(t),
        "",
        "*CPU* is the time this process spent on the CPU for the request (Django and the test "
        "client); *PostgreSQL CPU* that of its database backend. Where the time goes — the "
        "page's big steps timed alone, 50 calls each (the rest of the request — session, "
        "user, period list, the page's Django template, middleware — is what they leave of "
        "the whole):",
        "",
        "| step | median, ms | CPU (median), ms | PostgreSQL CPU (mean), ms |",
        "|---|---:|---:|---:|",
        *(_part_row(name, pt) for name, pt in page["parts"].items()),
        "",
        "The floor of section 2 (`bench/floor.py`: one query and the same grid template, no "
        "sign-in), requested the same way:",
        "",
        TIME_HEAD,
        TIME_RULE,
        _time_cells(page["floor"]),
        "",
        "The class sizes 5 and 35 are made by deleting or adding members (students of a "
        "parallel class, without marks in this journal) in a transaction that is rolled back; "
        f"the median time of 50 requests at each size: {size_times}. The health check of the "
        "persistent connection (`SELECT 1`, `CONN_HEALTH_CHECKS`) is not counted: Django runs "
        "it outside its query log.",
        "",
        "### 2. The journal page under load, next to the floor",
        "",
        f"gunicorn, 2 sync workers; {thr['clients']} concurrent clients ({thr['tool']}, "
        "2 threads, no keep-alive: a sync worker closes the connection after each answer), "
        "each request with the teacher's session cookie; 5 s of warm-up each, then "
        f"{len(thr['page']['runs'])} runs of each, alternated. The floor is `bench/floor.py`: "
        "the same marks (and the students, lessons and attendance of the grid) in one SQL "
        "query, the same Jinja2 grid template, a bare HTML page; no sign-in, no permission "
        "checks, no page layout. Latency in ms.",
        "",
        "| view | run | requests | seconds | requests/s | p50 | p90 | p95 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, key in (("journal page", "page"), ("floor", "floor")):
        for i, run in enumerate(thr[key]["runs"], 1):
            lines.append(
                f"| {name} | {i} | {run['requests']:,} | {run['seconds']:.1f} | "
                f"{run['rate']:.1f} | {_lat(run)} |"
            )
    lines += [
        "",
        f"Throughput over all runs: page {thr['page']['rate']:.1f} requests/s, floor "
        f"{thr['floor']['rate']:.1f} requests/s — **ratio {thr['ratio']:.2f}** (target ≥ "
        f"{TARGETS['throughput_ratio']:.2f}). No request failed. HTML: page "
        f"{thr['page_bytes']:,} bytes (grid {thr['grid_bytes']:,}), floor "
        f"{thr['floor_bytes']:,} bytes (grid {thr['floor_grid_bytes']:,}).",
        "",
        CPU_HEAD,
        CPU_RULE,
        _cpu_row("journal page", thr["page"]),
        _cpu_row("floor", thr["floor"]),
        "",
        CPU_NOTE,
        "",
        "### 3. The diary week, in process",
        "",
        f"The demo's `student`, this week: {diary['lessons']} lessons, {diary['marks']} marks, "
        f"{diary['bytes']:,} bytes of HTML.",
        "",
        f"Queries: {diary['queries']}.",
        "",
        TIME_HEAD,
        TIME_RULE,
        _time_cells(diary["time"]),
        "",
        "| step | median, ms | CPU (median), ms | PostgreSQL CPU (mean), ms |",
        "|---|---:|---:|---:|",
        *(_part_row(name, pt) for name, pt in diary["parts"].items()),
        "",
        "### 4. Marks entered through the API",
        "",
        f"`POST /api/v1/journal/marks` against the same gunicorn (2 sync workers), "
        f"{writes['clients']} concurrent clients ({writes['tool']}), bearer tokens of "
        f"{writes['teachers']} teachers, each request a new mark 2–5 for a student of the "
        "teacher's group on one of its lessons in an open period; "
        f"{writes['warm_up']:,} writes of warm-up first (not counted in the rate). "
        f"In the database afterwards: {writes['written']:,} new marks and "
        f"{writes['audited']:,} new `journal.mark.create` audit entries (the same number: each "
        "write has its audit entry). Latency in ms.",
        "",
        "| run | writes | seconds | writes/s | p50 | p90 | p95 | p99 | max |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, run in enumerate(writes["runs"], 1):
        lines.append(
            f"| {i} | {run['requests']:,} | {run['seconds']:.1f} | {run['rate']:.1f} "
            f"| {_lat(run)} |"
        )
    lines += [
        "",
        f"Overall: **{writes['rate']:.0f} writes/s** (target ≥ {TARGETS['writes_per_s']:.0f}).",
        "",
        CPU_HEAD,
        CPU_RULE,
        _cpu_row("marks API", writes),
        "",
        CPU_NOTE,
        "",
        f"At {TARGETS['writes_per_s']:.0f} writes/s the {CORES} cores give a write at most "
        f"{CORES * 1000 / TARGETS['writes_per_s']:.1f} ms of CPU time in all these processes "
        f"together; a write used {sum(writes['cpu_ms'].values()):.1f} ms.",
        *_profile_lines(writes.get("profile") or {}),
        *_batch_lines(writes.get("batches")),
        "",
        "### 5. Import of marks",
        "",
        f"`setka.journal.importing.marks_import_file` with a CSV file in the exchange format "
        f"(`docs/journal-exchange.md` §7): {imp['rows']:,} rows, {imp['bytes'] / 1e6:.1f} MB, "
        f"new marks for the students of {imp['institution']} on lessons of its open periods "
        "(student code, class, date, lesson number, subject, mark, kind). Timed: reading the "
        "file, checking every row, writing the marks and the audit entry, in one transaction.",
        "",
        "| rows | marks added | skipped | seconds |",
        "|---:|---:|---:|---:|",
        f"| {imp['rows']:,} | {imp['added']:,} | {imp['skipped']} | **{imp['seconds']:.1f}** |",
        "",
        "### 6. Reports of the quarter",
        "",
        "The report pages in process (computing the figures, the SVG charts and the HTML). "
        f"The municipal report ({rep['period']}, {rep['schools']} schools) is kept in the cache "
        "for 10 minutes: *uncached* deletes its cache entry before each request.",
        "",
        "| report | requests | median, ms | p95, ms | min, ms | max, ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in (
        ("class", "class (school admin)"),
        ("school", "school (school admin)"),
        ("municipal_uncached", "municipality, uncached (municipal admin)"),
        ("municipal_cached", "municipality, from the cache"),
    ):
        t = rep[key]
        lines.append(
            f"| {label} | {t['n']} | {t['median']:.0f} | {t['p95']:.0f} | {t['min']:.0f} "
            f"| {t['max']:.0f} |"
        )
    lines += [
        "",
        "### Re-running",
        "",
        "`make bench` runs `bench/demo_build.py`, then `bench/journal.py`, which builds its "
        "database (`setka_bench_journal`, ~15 min) when it is missing or incomplete and reuses "
        "it otherwise; `--rebuild` builds it afresh. "
        "`.venv/bin/python bench/journal.py --reuse` (or `bench/run.py --only journal --reuse`) "
        "measures only, on the existing database. The marks, audit entries, tokens and "
        "sessions a run writes are deleted at its end. Other options: `--help`.",
        "",
    ]
    return "\n".join(lines)
