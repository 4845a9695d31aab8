"""The journal's speed at the municipal scale (issue 3, "Speed"). Writes the `## Journal`
section of docs/benchmarks.md.

    .venv/bin/python bench/journal.py [--reuse | --rebuild] [--database-url postgres://…]

The data: `python -m setka demo --scale municipal --journal-full-year` in its own PostgreSQL
database (default postgres://root@127.0.0.1:5432/setka_bench_journal, created through the
server's `postgres` database), migrated, built and then `VACUUM ANALYZE`d when missing or
incomplete (or with --rebuild; --reuse refuses to build). The measures:

1. the journal page of a ~30-student class, one subject, one quarter, in process (Django's
   test Client signed in as its teacher): SQL queries (also for 5 and 35 students, by changing
   the members in a rolled-back transaction) and the server time of ≥ 200 requests;
2. the same page under load — gunicorn, 2 sync workers, 16 concurrent clients (wrk, or a
   Python generator when wrk is unavailable) — against a floor served in the same run by the
   same server: `bench/floor.py`, one query and the same grid template;
3. the diary week of a student, in process: queries and time;
4. marks entered through `POST /api/v1/journal/marks` with teachers' bearer tokens against
   the same gunicorn, 16 concurrent clients, ≥ 10,000 writes, each with its audit entry;
5. the import of 100,000 marks in the exchange format (`marks_import_file`);
6. the class, school and municipal reports of the quarter (the municipal one with and without
   its cache).

The marks, audit entries, tokens and sessions the run writes are deleted at the end, so the
database stays as built and a re-run measures the same data. Exit status: 0 when every target
is met, 1 when the run failed or a target was missed (the doc is written in both cases).
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # import bench.* as a package; keep bench/journal.py off the path

import psycopg  # noqa: E402
from bench import loadgen  # noqa: E402
from bench.demo_build import (  # noqa: E402
    DOC,
    libpq_url,
    machine,
    postgres_version,
    recreate_database,
    server_url,
    setka,
    write_section,
)
from bench.journal_report import Results, render_section  # noqa: E402
from psycopg import sql  # noqa: E402

DEFAULT_URL = "postgres://root@127.0.0.1:5432/setka_bench_journal"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
SECTION = "## Journal"
MARKER = "setka bench journal: {scale}, full year"
STATIC_ROOT = ROOT / "var" / "bench-static"


class LoadSampler(threading.Thread):
    """The 1-minute load average every 5 s during the run (the machine is shared)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.marks: dict[str, list[float]] = {}
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(5)

    def stop(self) -> None:
        self._stop.set()

    def note(self, name: str) -> None:
        self.marks.setdefault(name, []).append(os.getloadavg()[0])


# --- the database ---------------------------------------------------------------------------


def database_state(url: str) -> tuple[bool, str]:
    admin, name = server_url(url)
    with psycopg.connect(admin) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
    return row is not None, (row[0] or "") if row else ""


def build_database(url: str, scale: str) -> dict[str, Any]:
    """A fresh database with the municipal demo and a full year of journal; `VACUUM ANALYZE`
    afterwards (a production database has its statistics); then the marker comment."""
    print(
        f"building {url.rsplit('/', 1)[-1]}: `setka demo --scale {scale} --journal-full-year` "
        "(municipal: ~15 min)…",
        flush=True,
    )
    recreate_database(url)
    setka(["migrate", "--no-input", "-v", "0"], url)
    seconds, out = setka(["demo", "--scale", scale, "--journal-full-year", "--no-progress"], url)
    print(out.strip().splitlines()[0] if out.strip() else "", flush=True)
    started = time.perf_counter()
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    vacuum = time.perf_counter() - started
    admin, name = server_url(url)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name),
                sql.Literal(f"{MARKER.format(scale=scale)}; built {today} in {seconds:.0f} s"),
            )
        )
    return {"seconds": seconds, "vacuum": vacuum, "date": today}


def ensure_database(url: str, *, scale: str, rebuild: bool, reuse: bool) -> dict[str, Any]:
    exists, comment = database_state(url)
    complete = exists and comment.startswith(MARKER.format(scale=scale))
    if rebuild or not complete:
        if reuse:
            sys.exit(
                f"{url} is missing or incomplete: run without --reuse to build it"
                if not rebuild
                else "--reuse and --rebuild contradict each other"
            )
        info = build_database(url, scale)
    else:
        match = re.search(r"built (\S+) in (\d+) s", comment)
        info = {"seconds": float(match[2]) if match else None, "date": match[1] if match else "?"}
        info["reused"] = True
    setka(["migrate", "--no-input", "-v", "0"], url)  # a no-op unless the code has new ones
    return info


def counts(url: str) -> dict[str, int]:
    queries = {
        "students": "SELECT count(DISTINCT person_id) FROM network_membership "
        "WHERE role = 'student' AND ends_on IS NULL",
        "lessons": "SELECT count(*) FROM journal_lesson",
        "marks": "SELECT count(*) FROM journal_mark",
        "attendance": "SELECT count(*) FROM journal_attendance WHERE code <> ''",
    }
    with psycopg.connect(libpq_url(url)) as conn:
        return {k: conn.execute(q).fetchone()[0] for k, q in queries.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_JOURNAL_DATABASE_URL") or DEFAULT_URL,
        help="The benchmark's own PostgreSQL database (not DATABASE_URL: demo_build drops it).",
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or DEFAULT_REDIS)
    parser.add_argument("--reuse", action="store_true", help="Never build the database.")
    parser.add_argument(
        "--scale",
        choices=["municipal", "demo"],
        default="municipal",
        help="demo: a small database to try the script quickly (not the benchmark).",
    )
    parser.add_argument("--rebuild", action="store_true", help="Build the database afresh.")
    parser.add_argument("--requests", type=int, default=300, help="In-process requests per page.")
    parser.add_argument("--seconds", type=float, default=20, help="Each load run (seconds).")
    parser.add_argument("--rounds", type=int, default=2, help="Page/floor load runs, alternated.")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--writes", type=int, default=10_000, help="API writes, at least.")
    parser.add_argument("--import-marks", type=int, default=100_000)
    parser.add_argument("--python-load", action="store_true", help="Do not use wrk.")
    parser.add_argument(
        "--py-spy",
        default=None,
        help="py-spy to sample the workers during extra API writes (default: py-spy on the "
        "PATH, if any; it is not a dependency of the project).",
    )
    parser.add_argument("--no-write", action="store_true", help="Print, do not write the doc.")
    args, unknown = parser.parse_known_args()
    if unknown:  # `bench/run.py` passes its extra arguments to every script
        print(f"bench/journal.py ignores {' '.join(unknown)}", file=sys.stderr)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")

    atexit.register(loadgen.stop_all)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, _on_signal)

    results = Results(started=dt.datetime.now(dt.UTC))
    sampler = LoadSampler()
    sampler.start()
    try:
        results.data["build"] = ensure_database(
            args.database_url, scale=args.scale, rebuild=args.rebuild, reuse=args.reuse
        )
        results.data["scale"] = args.scale
        results.data["counts"] = counts(args.database_url)
        env = server_env(args)
        os.environ.update(env)
        subprocess.run(
            [sys.executable, "-m", "setka", "collectstatic", "--no-input", "-v", "0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        from bench import journal_measures as measures  # Django is set up in there

        measures.run_all(args, env, results, sampler)
    except BaseException as exc:
        loadgen.stop_all()
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        import traceback

        traceback.print_exc()
        results.data["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        sampler.stop()
        loadgen.stop_all()
    results.data["load"] = sampler.samples
    results.data["load_marks"] = sampler.marks
    results.data["pg"] = postgres_version(args.database_url)
    if "error" in results.data:
        print(f"the benchmark failed: {results.data['error']}", file=sys.stderr)
        return 1
    section = render(results)
    print(section)
    if not args.no_write:
        write_section(section, SECTION)
        print(f"written to {DOC.relative_to(ROOT)}")
    missed = [c[0] for c in results.checks if not c[3]]
    if missed:
        print("targets missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


def _on_signal(signum: int, _frame: Any) -> None:
    loadgen.stop_all()
    sys.exit(128 + signum)


def server_env(args: argparse.Namespace) -> dict[str, str]:
    key_file = ROOT / "var" / "secret_key"
    secret = os.environ.get("SECRET_KEY") or (
        key_file.read_text().strip() if key_file.exists() else secrets.token_urlsafe(50)
    )
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": secret,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "STATIC_ROOT": str(STATIC_ROOT),
        "PYTHONPATH": str(ROOT),
    }
    for name in ("SETKA_TESTING", "DEBUG", "CELERY_BROKER_URL"):
        env.pop(name, None)
    return env


# --- the report -------------------------------------------------------------------------------


def render(results: Results) -> str:
    return render_section(results, machine(), platform.python_version())


if __name__ == "__main__":
    sys.exit(main())
