"""Where a gunicorn worker's time goes, by sampling it with py-spy (not a dependency of the
project: pass ``--py-spy PATH`` to ``bench/journal.py``, or have ``py-spy`` on the PATH;
``pip install py-spy`` in any environment). The samples are sorted into the steps of a request
by the frames they contain; a sample counts for the innermost step it is in."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

# (step, a substring of a frame "function (file:line)"): the innermost frame that names one of
# these steps wins; a sample in none of them goes to the first of GENERIC found (outermost
# code: the transaction's BEGIN/COMMIT, django-ninja, Django), else to gunicorn.
WRITE_STEPS = [
    ("token authentication (1 query)", "token_authenticate ("),
    ("the user's roles (1 query)", "user_roles ("),
    ("the lesson, the student and the access (1 query)", "lesson_for_write ("),
    ("service check: teaches the lesson (1 query)", "can_write_lesson ("),
    ("service check: the student is in the group (1 query)", "check_student_in_group ("),
    ("service: the default mark kind (1 query)", "default_kind ("),
    ("service: the audit entry (INSERT)", "audit_log ("),
    ("service: the mark (INSERT) and the rest of mark_create", "services/records.py:"),
]
GENERIC = [
    ("the transaction: BEGIN and COMMIT", "Atomic."),
    ("django-ninja: parsing, validation, the JSON answer", "(ninja/"),
    ("Django: middleware, session, routing", "(django/"),
]
OTHER = "gunicorn: accepting, reading and writing the connection"
WAIT = "psycopg/connection.py"  # in Connection.wait: waiting for PostgreSQL's answer


def find(path: str | None) -> str | None:
    return path or shutil.which("py-spy")


def record(py_spy: str, pids: list[int], seconds: int, rate: int = 100) -> list[Path]:
    """Start sampling each process; returns the files the samples will be in, once every
    recorder has stopped (they stop by themselves after ``seconds``)."""
    out = Path(tempfile.mkdtemp(prefix="setka-bench-pyspy-"))
    files, procs = [], []
    for pid in pids:
        path = out / f"{pid}.txt"
        files.append(path)
        procs.append(
            subprocess.Popen(
                [py_spy, "record", "--nonblocking", "-d", str(seconds), "-r", str(rate),
                 "--format", "raw", "-o", str(path), "-p", str(pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )  # fmt: skip
    record.procs = procs  # type: ignore[attr-defined]
    return files


def wait() -> None:
    for proc in getattr(record, "procs", []):
        proc.wait(timeout=120)


def steps(files: list[Path], table: list[tuple[str, str]]) -> dict[str, object]:
    """Share of the samples per step, and of each step's samples spent waiting for
    PostgreSQL. ``py-spy record`` without ``--idle`` keeps only the samples of a busy thread."""
    counts: dict[str, int] = {name: 0 for name, _ in [*table, *GENERIC]}
    counts[OTHER] = 0
    waiting: dict[str, int] = dict.fromkeys(counts, 0)
    total = 0
    for path in files:
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            stack, _, n = line.rpartition(" ")
            if not n.isdigit():
                continue
            frames = stack.split(";")
            step = OTHER
            found = False
            for frame in reversed(frames):  # the innermost frame first
                hit = next((name for name, key in table if key in frame), None)
                if hit:
                    step, found = hit, True
                    break
            if not found:
                step = next((name for name, key in GENERIC if any(key in f for f in frames)), OTHER)
            counts[step] += int(n)
            if WAIT in frames[-1] or re.search(r"wait_c|_wait", frames[-1]):
                waiting[step] += int(n)
            total += int(n)
    return {
        "samples": total,
        "steps": [
            (name, counts[name] / total if total else 0.0, waiting[name] / total if total else 0.0)
            for name in counts
        ],
    }
