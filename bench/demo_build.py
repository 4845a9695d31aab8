"""How long `python -m setka demo` takes, at the demo and at the municipal (benchmark)
scale, and what it creates. Writes the `## Demo data` section of docs/benchmarks.md.

    .venv/bin/python bench/demo_build.py [--database-url postgres://…] [--no-sqlite]

Each scale is built into a freshly created PostgreSQL database (DATABASE_URL, default
postgres://root@127.0.0.1:5432/setka_bench; the script creates and drops it through the
server's `postgres` database), after `migrate`, which is not timed. The command is then
run a second time to time the idempotent re-run. Unless --no-sqlite is given, the same is
measured on SQLite (what `make demo` uses) in a temporary directory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
DEFAULT_URL = "postgres://root@127.0.0.1:5432/setka_bench"
SECTION = "## Demo data"
DOC_HEADER = (
    "# Benchmarks\n\n"
    "Measured numbers only. Each section is written by its script under `bench/` "
    "(`make bench`); the machine and the date are given with each.\n"
)
COUNTS = {
    "institutions": "SELECT count(*) FROM network_institution",
    "people": "SELECT count(*) FROM network_person",
    "students": "SELECT count(DISTINCT person_id) FROM network_membership "
    "WHERE role = 'student' AND ends_on IS NULL",
    "teachers": "SELECT count(DISTINCT person_id) FROM network_membership "
    "WHERE role = 'teacher' AND ends_on IS NULL",
    "parents": "SELECT count(DISTINCT guardian_id) FROM network_guardianship",
    "memberships": "SELECT count(*) FROM network_membership",
    "guardianships": "SELECT count(*) FROM network_guardianship",
    "accounts": "SELECT count(*) FROM accounts_user",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--no-sqlite", action="store_true", help="Measure PostgreSQL only.")
    parser.add_argument("--no-write", action="store_true", help="Print, do not write the doc.")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")

    rows = []
    for scale in ("demo", "municipal"):
        rows.append(measure_postgres(args.database_url, scale))
    if not args.no_sqlite:
        for scale in ("demo", "municipal"):
            rows.append(measure_sqlite(scale))
    section = render(rows, postgres_version(args.database_url))
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"written to {DOC.relative_to(ROOT)}")


# --- running the command ------------------------------------------------------------------


def setka(args: list[str], database_url: str) -> tuple[float, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "DJANGO_SETTINGS_MODULE": "setka.config.settings",
    }
    env.pop("SETKA_TESTING", None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "setka", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"`setka {' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def build_twice(scale: str, database_url: str) -> dict:
    setka(["migrate", "--no-input", "-v", "0"], database_url)
    command = ["demo", "--scale", scale, "--no-progress"]
    wall, out = setka(command, database_url)
    match = re.search(
        r"Built \d+ institutions in ([\d.]+) s \(generate ([\d.]+) s, write ([\d.]+) s\)", out
    )
    if match is None:
        sys.exit(f"unexpected output of `setka demo`:\n{out}")
    again, out_again = setka(command, database_url)
    if "nothing to do" not in out_again:
        sys.exit(f"the second run was not a no-op:\n{out_again}")
    return {
        "scale": scale,
        "build": float(match[1]),
        "generate": float(match[2]),
        "write": float(match[3]),
        "wall": wall,
        "again": again,
    }


def measure_postgres(url: str, scale: str) -> dict:
    print(f"PostgreSQL, {scale}…", flush=True)
    recreate_database(url)
    try:
        row = build_twice(scale, url)
        with psycopg.connect(libpq_url(url)) as conn:
            row["counts"] = {k: conn.execute(q).fetchone()[0] for k, q in COUNTS.items()}
    finally:
        drop_database(url)
    row["database"] = "PostgreSQL"
    return row


def measure_sqlite(scale: str) -> dict:
    print(f"SQLite, {scale}…", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        row = build_twice(scale, f"sqlite:///{path}")
        with sqlite3.connect(path) as conn:
            row["counts"] = {k: conn.execute(q).fetchone()[0] for k, q in COUNTS.items()}
        conn.close()
    row["database"] = "SQLite"
    return row


# --- PostgreSQL ----------------------------------------------------------------------------


def libpq_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def server_url(url: str) -> tuple[str, str]:
    """(the URL of the server's `postgres` database, the benchmark database's name)."""
    parts = urlsplit(libpq_url(url))
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(url: str) -> None:
    admin, name = server_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    admin, name = server_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def postgres_version(url: str) -> str:
    admin, _ = server_url(url)
    with psycopg.connect(admin) as conn:
        return conn.execute("SHOW server_version").fetchone()[0].split()[0]


# --- the report ----------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram = 0.0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            ram = int(line.split()[1]) / 1024 / 1024
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores, {ram:.0f} GiB RAM, {platform.system()} {platform.release()}"


def render(rows: list[dict], pg_version: str) -> str:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    lines = [
        SECTION,
        "",
        "`python -m setka demo` creates the demo municipality (Шелеховский район); "
        "`--scale municipal` the benchmark scale. Measured by `bench/demo_build.py`: each "
        "scale is built into a fresh, migrated database with `--no-progress`, then the "
        "command is run again (idempotent: nothing to do).",
        "",
        f"- Machine: {machine()}",
        f"- PostgreSQL {pg_version} (same machine), Python {platform.python_version()}",
        f"- Date: {today}; load average when the run ended: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        + " (the machine was shared with other work)",
        "",
        "| database | scale | institutions | people | students | teachers | parents "
        "| memberships | guardianships | accounts | generate, s | write, s | build, s "
        "| command, s | second run, s |",
        "|---|---|" + "---:|" * 13,
    ]
    for r in rows:
        c = r["counts"]
        cells = [
            r["database"],
            r["scale"],
            *(f"{c[k]:,}" for k in COUNTS),
            f"{r['generate']:.1f}",
            f"{r['write']:.1f}",
            f"{r['build']:.1f}",
            f"{r['wall']:.1f}",
            f"{r['again']:.1f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "*build* is the time `build_demo()` reports, in one transaction: *generate* (the "
        "people as unsaved model instances, in memory) plus *write* (`bulk_create` in "
        "batches of 2,000) plus the commit; *command* is the wall-clock time of the "
        "whole `python -m setka demo` process, including starting Python and Django and "
        "printing the summary; *second run* is the same command on the built database. "
        "Students, teachers and parents are distinct people (a student who also attends "
        "the ДДТ counts once); memberships include additional education and staff.",
        "",
    ]
    return "\n".join(lines)


def write_section(section: str, heading: str = SECTION) -> None:
    """Put ``section`` in docs/benchmarks.md in place of the one under ``heading`` (up to the
    next ``## ``), or at the end."""
    text = DOC.read_text() if DOC.exists() else DOC_HEADER
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
