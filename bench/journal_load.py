"""The measures of ``bench/journal.py`` against gunicorn: the journal page's throughput next to
the floor (``bench/floor.py``), and marks entered through the API. Imported by
``journal_measures`` once Django is set up."""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
from typing import Any

from bench import loadgen, pyspy
from bench.journal_report import TARGETS, Results
from django.db import connection
from django.utils import timezone

from setka.accounts.services import token_create
from setka.core.models import AuditEntry
from setka.journal.models import Mark, Subject, TeachingAssignment
from setka.journal.services.entry import MAX_MARKS_PER_LESSON
from setka.network.models import Person

WARM_UP_SECONDS = 5
CORES = len(os.sched_getaffinity(0))


def pg_pids() -> list[int]:
    """The PostgreSQL backends connected to the benchmark database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend'"
        )
        return [row[0] for row in cursor.fetchall()]


class Load:
    """wrk when available (installed with apt-get when missing and possible), else Python;
    each run with the CPU time of the server's workers, PostgreSQL and the load generator."""

    def __init__(self, args: argparse.Namespace, server: loadgen.Gunicorn) -> None:
        self.clients = args.clients
        self.server = server
        self.wrk = None if args.python_load else loadgen.find_wrk()
        self.tool = "wrk" if self.wrk else "python"

    def _measured(self, run) -> loadgen.LoadResult:
        self.drain()
        with loadgen.CpuMeter(self.server.worker_pids, pg_pids) as meter:
            own = time.process_time()
            result = run()
            own = time.process_time() - own
        result.cpu_s = meter.result
        if self.tool == "python":  # the generator's threads run in this process
            result.cpu_s["client"] += own
        return result

    def drain(self, timeout: float = 60) -> None:
        """Wait until the workers are idle: requests a previous run left queued (the load
        generator stops waiting for them) are not counted in the next run's CPU time."""
        deadline = time.monotonic() + timeout
        before = sum(loadgen.proc_cpu_map(self.server.worker_pids()).values())
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = sum(loadgen.proc_cpu_map(self.server.worker_pids()).values())
            if now - before < 0.02:
                return
            before = now

    def get(self, url: str, seconds: float, headers: dict[str, str] | None = None):
        if self.wrk:
            wrk = self.wrk
            return self._measured(
                lambda: loadgen.run_wrk(
                    wrk, url, seconds=seconds, clients=self.clients, headers=headers
                )
            )
        return self._measured(
            lambda: loadgen.run_python(url, seconds=seconds, clients=self.clients, headers=headers)
        )

    def post(self, url: str, seconds: float, tokens: list[str], entries: list[tuple]):
        """POST one mark a request: (token index, lesson, student, value) in turn."""
        bodies = [
            (t, json.dumps({"lesson_id": lesson, "student_id": student, "value": value}))
            for t, lesson, student, value in entries
        ]
        return self.post_bodies(url, seconds, tokens, bodies)

    def post_bodies(self, url: str, seconds: float, tokens: list[str], bodies: list[tuple]):
        """POST ready JSON bodies: (token index, body) in turn."""
        if self.wrk:
            wrk, lua = self.wrk, bodies_lua(tokens, bodies)
            return self._measured(
                lambda: loadgen.run_wrk(wrk, url, seconds=seconds, clients=self.clients, lua=lua)
            )
        prepared = [
            (
                {"Authorization": f"Bearer {tokens[t]}", "Content-Type": "application/json"},
                body.encode(),
            )
            for t, body in bodies
        ]
        return self._measured(
            lambda: loadgen.run_python(url, seconds=seconds, clients=self.clients, bodies=prepared)
        )


def summary(runs: list[loadgen.LoadResult]) -> dict[str, Any]:
    requests = sum(r.requests for r in runs)
    seconds = sum(r.seconds for r in runs)
    cpu = {
        k: sum(r.cpu_s.get(k, 0.0) for r in runs) * 1000 / max(requests, 1)
        for k in ("server", "postgres", "client")
    }
    return {
        "requests": requests,
        "seconds": seconds,
        "rate": requests / seconds if seconds else 0.0,
        "failed": sum(r.failed for r in runs),
        "cpu_ms": cpu,  # CPU time per request, by process
        "cpu_share": sum(sum(r.cpu_s.values()) for r in runs) / (seconds * CORES) if seconds else 0,
        "runs": [
            {"requests": r.requests, "seconds": r.seconds, "rate": r.rate, **r.latency_ms}
            for r in runs
        ],
    }


# --- 2. the journal page under load, next to the floor ---------------------------------------


def measure_throughput(
    server: loadgen.Gunicorn, journal: dict[str, Any], cookie: str, args, results: Results
) -> None:
    from bench.journal_measures import floor_url, journal_url, rows_in

    page_url = server.base + journal_url(journal)
    floor = server.base + floor_url(journal)
    headers = {"Cookie": cookie}
    status, page_html = loadgen.http_get(page_url, headers)
    if status != 200 or rows_in(page_html) != journal["students"]:
        raise RuntimeError(f"gunicorn: the page answered {status} with {rows_in(page_html)} rows")
    status, floor_html = loadgen.http_get(floor)
    if status != 200 or rows_in(floor_html) != journal["students"]:
        raise RuntimeError(f"gunicorn: the floor answered {status} with {rows_in(floor_html)} rows")
    cells = page_html.count(b'role="gridcell"'), floor_html.count(b'role="gridcell"')
    marks = page_html.count(b'class="mk"'), floor_html.count(b'class="mk"')
    if cells[0] != cells[1] or marks[0] != marks[1] or not cells[0]:
        raise RuntimeError(f"the floor's grid differs: cells {cells}, marks {marks}")
    load = Load(args, server)
    print(f"load generator: {load.tool}", flush=True)
    load.get(page_url, WARM_UP_SECONDS, headers)
    load.get(floor, WARM_UP_SECONDS)
    page_runs, floor_runs = [], []
    for _ in range(max(1, args.rounds)):
        page_runs.append(load.get(page_url, args.seconds, headers))
        print(f"  page: {page_runs[-1].rate:.1f} requests/s", flush=True)
        floor_runs.append(load.get(floor, args.seconds))
        print(f"  floor: {floor_runs[-1].rate:.1f} requests/s", flush=True)
    page, floor = summary(page_runs), summary(floor_runs)
    if page["failed"] or floor["failed"]:
        raise RuntimeError(f"failed requests: page {page['failed']}, floor {floor['failed']}")
    ratio = page["rate"] / floor["rate"]
    results.data["throughput"] = {
        "tool": load.tool,
        "clients": args.clients,
        "page": page,
        "floor": floor,
        "ratio": ratio,
        "page_bytes": len(page_html),
        "floor_bytes": len(floor_html),
        "grid_bytes": grid_bytes(page_html),
        "floor_grid_bytes": grid_bytes(floor_html),
    }
    results.check(
        "journal page under load: throughput vs the floor",
        f"≥ {TARGETS['throughput_ratio']:.2f}",
        f"{ratio:.2f} ({page['rate']:.1f} vs {floor['rate']:.1f} requests/s)",
        ratio >= TARGETS["throughput_ratio"],
    )


def grid_bytes(html: bytes) -> int:
    start, end = html.find(b'<div class="table-wrap journal-wrap">'), html.find(b"</table>")
    return end - start if start >= 0 and end > start else 0


# --- 4. marks through the API -----------------------------------------------------------------

BODIES_LUA = r"""
local data = [[
%(data)s
]]
local tokens = {%(tokens)s}
local bodies = {}
local counter = 0
local offset = 0
local threads_seen = 0
function setup(thread)
  thread:set("tid", threads_seen)
  threads_seen = threads_seen + 1
end
function init(args)
  for t, b in string.gmatch(data, "(%%d+) ([^\n]+)") do
    bodies[#bodies + 1] = {tonumber(t), b}
  end
  offset = tid or 0
end
function request()
  local e = bodies[(counter * %(threads)d + offset) %% #bodies + 1]
  counter = counter + 1
  return wrk.format("POST", nil,
    {["Authorization"] = "Bearer " .. tokens[e[1]], ["Content-Type"] = "application/json"}, e[2])
end
"""


def bodies_lua(tokens: list[str], bodies: list[tuple[int, str]]) -> str:
    return BODIES_LUA % {
        "data": "\n".join(f"{t + 1} {body}" for t, body in bodies),
        "tokens": ", ".join(loadgen.lua_string(t) for t in tokens),
        "threads": 2,
    }


BATCH_SIZE = 25
# A student has at most four marks a lesson (journal.services.entry): the writes go where there
# is room, so that a database reused by many runs keeps answering 201.
MOST = MAX_MARKS_PER_LESSON


def batch_bodies(tokens: list[str], names: list[str], per_teacher: int) -> list[tuple[int, str]]:
    """Bodies of ``POST /journal/marks/batch``: for each teacher (by the token's user), lessons
    of theirs in open periods, held by today (marks are not taken ahead of a lesson), whose
    group has at least 25 members that day, each with a mark for 25 of them — the column of a
    control work."""
    today = timezone.localdate()
    rng = random.Random(5)
    lists = []
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(
                """
                SELECT l.id, array_agg(gm.student_id ORDER BY gm.student_id)
                FROM accounts_user u
                JOIN network_person t ON t.user_id = u.id
                JOIN journal_teachingassignment ta ON ta.teacher_id = t.id
                     AND ta.starts_on <= %(d)s AND (ta.ends_on IS NULL OR ta.ends_on >= %(d)s)
                JOIN journal_subject s ON s.id = ta.subject_id AND s.grading = 'marks'
                JOIN journal_lesson l ON l.group_id = ta.group_id AND l.subject_id = ta.subject_id
                JOIN journal_period p ON p.id = l.period_id AND NOT p.is_closed
                JOIN journal_groupmember gm ON gm.group_id = l.group_id
                     AND gm.starts_on <= l.date AND (gm.ends_on IS NULL OR gm.ends_on >= l.date)
                WHERE u.username = %(u)s AND l.status <> 'cancelled' AND l.date <= %(d)s
                  AND (SELECT count(*) FROM journal_mark m WHERE m.lesson_id = l.id
                       AND m.student_id = gm.student_id AND NOT m.is_deleted) < %(most)s
                GROUP BY l.id, l.date
                HAVING count(*) >= %(size)s
                ORDER BY md5(l.id::text)
                LIMIT %(n)s
                """,
                {"u": name, "d": today, "n": per_teacher, "size": BATCH_SIZE, "most": MOST},
            )
            lists.append(cursor.fetchall())
    bodies = []
    for i in range(max((len(x) for x in lists), default=0)):
        for t, lessons in enumerate(lists):
            if i < len(lessons):
                lesson, students = lessons[i]
                marks = [
                    {"lesson_id": lesson, "student_id": s, "value": rng.choice((5, 4, 4, 3, 2))}
                    for s in students[:BATCH_SIZE]
                ]
                bodies.append((t, json.dumps({"marks": marks}, separators=(",", ":"))))
    if not bodies:
        raise RuntimeError("no lesson of the teachers has a group of 25 students")
    return bodies


def measure_batches(
    load: Load, server: loadgen.Gunicorn, tokens: list[str], names: list[str], seconds: float
) -> dict[str, Any]:
    """The same teachers through ``POST /journal/marks/batch``, 25 marks a request."""
    bodies = batch_bodies(tokens, names, per_teacher=400)
    connection.close()
    url = server.base + "/api/v1/journal/marks/batch"
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM journal_mark")
        before = cursor.fetchone()[0] or 0
        cursor.execute("SELECT max(id) FROM core_auditentry")
        audit_before = cursor.fetchone()[0] or 0
    connection.close()
    warm = load.post_bodies(url, WARM_UP_SECONDS, tokens, bodies)
    run = load.post_bodies(url, seconds, tokens, bodies)
    if warm.failed or run.failed:
        raise RuntimeError(f"{warm.failed + run.failed} batches failed")
    load.drain()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM journal_mark WHERE id > %s),"
            " (SELECT count(*) FROM core_auditentry WHERE id > %s"
            " AND action = 'journal.mark.create')",
            [before, audit_before],
        )
        written, audited = cursor.fetchone()
    answered = (warm.requests + run.requests) * BATCH_SIZE
    if written != audited or not answered <= written <= answered + BATCH_SIZE * load.clients * 2:
        raise RuntimeError(
            f"{answered} marks answered 201, {written} marks, {audited} audit entries"
        )
    total = summary([run])
    return {
        **total,
        "batch_size": BATCH_SIZE,
        "bodies": len(bodies),
        "marks_rate": total["rate"] * BATCH_SIZE,
        "written": written,
        "audited": audited,
        "warm_up": warm.requests,
    }


def write_entries(clients: int, total: int) -> tuple[list[str], list[tuple], list[str]]:
    """Tokens of up to ``clients`` teachers of subjects graded 1–5, and ``total`` (teacher,
    lesson, student, value) writes spread over their lessons in open periods held by today
    (marks are not taken ahead of a lesson) and the students of each lesson's group that day,
    the teachers in turn."""
    today = timezone.localdate()
    ids = sorted(
        set(
            TeachingAssignment.objects.active(today)
            .filter(subject__grading=Subject.Grading.MARKS, teacher__user__is_active=True)
            .values_list("teacher_id", flat=True)
        )
    )
    rng = random.Random(4)
    chosen = rng.sample(ids, min(clients, len(ids)))
    if not chosen:
        raise RuntimeError("no teacher with an account teaches a subject graded 1–5")
    people = {p.pk: p for p in Person.objects.filter(pk__in=chosen).select_related("user")}
    per_teacher = math.ceil(total / len(chosen))
    tokens, names, lists = [], [], []
    with connection.cursor() as cursor:
        for pid in chosen:
            cursor.execute(
                """
                SELECT l.id, gm.student_id
                FROM journal_teachingassignment ta
                JOIN journal_subject s ON s.id = ta.subject_id AND s.grading = 'marks'
                JOIN journal_lesson l ON l.group_id = ta.group_id AND l.subject_id = ta.subject_id
                JOIN journal_period p ON p.id = l.period_id AND NOT p.is_closed
                JOIN journal_groupmember gm ON gm.group_id = l.group_id
                     AND gm.starts_on <= l.date AND (gm.ends_on IS NULL OR gm.ends_on >= l.date)
                WHERE ta.teacher_id = %(t)s AND ta.starts_on <= %(d)s
                  AND (ta.ends_on IS NULL OR ta.ends_on >= %(d)s) AND l.status <> 'cancelled'
                  AND l.date <= %(d)s
                  AND (SELECT count(*) FROM journal_mark m WHERE m.lesson_id = l.id
                       AND m.student_id = gm.student_id AND NOT m.is_deleted) < %(most)s
                ORDER BY md5(l.id::text || ':' || gm.student_id::text)
                LIMIT %(n)s
                """,
                {"t": pid, "d": today, "n": per_teacher, "most": MOST},
            )
            pairs = cursor.fetchall()
            if not pairs:
                continue
            _token, raw = token_create(actor=people[pid].user, name="setka-bench")
            tokens.append(raw)
            names.append(people[pid].user.username)
            lists.append(pairs)
    entries = []
    for i in range(max(len(x) for x in lists)):
        for t, pairs in enumerate(lists):
            if i < len(pairs):
                entries.append((t, *pairs[i], rng.choice((5, 4, 4, 3, 2))))
    return tokens, entries, names


def measure_writes(server: loadgen.Gunicorn, args, results: Results) -> None:
    tokens, entries, _teachers = write_entries(args.clients, max(2 * args.writes, 20_000))
    connection.close()
    url = server.base + "/api/v1/journal/marks"
    marks_before = Mark.objects.order_by("-id").values_list("id", flat=True).first() or 0
    audit_before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    connection.close()
    load = Load(args, server)
    warm = load.post(url, WARM_UP_SECONDS, tokens, entries)
    # As long as ≥ args.writes take at the warm-up's rate (+15 %), in runs of at most 15 min.
    seconds = min(900.0, max(args.seconds, math.ceil(1.15 * args.writes / max(warm.rate, 1.0))))
    runs = [load.post(url, seconds, tokens, entries)]
    print(f"  writes: {runs[-1].rate:.1f}/s", flush=True)
    while sum(r.requests for r in runs) < args.writes and len(runs) < 4:
        missing = args.writes - sum(r.requests for r in runs)
        seconds = min(900.0, max(5.0, math.ceil(1.15 * missing / max(runs[-1].rate, 1.0))))
        runs.append(load.post(url, seconds, tokens, entries))
    profile = profile_writes(args, load, url, tokens, entries)
    total = summary(runs)
    sent_ok = sum(r.requests - r.failed for r in [warm, *runs, *profile.pop("runs", [])])
    if total["failed"] or warm.failed:
        raise RuntimeError(f"{total['failed'] + warm.failed} writes failed")
    load.drain()  # the writes wrk stopped waiting for are finished before counting
    with connection.cursor() as cursor:  # both counts in one statement: one snapshot
        cursor.execute(
            "SELECT (SELECT count(*) FROM journal_mark WHERE id > %s),"
            " (SELECT count(*) FROM core_auditentry WHERE id > %s"
            " AND action = 'journal.mark.create')",
            [marks_before, audit_before],
        )
        written, audited = cursor.fetchone()
    in_flight = args.clients * (2 + len(runs))  # answers wrk stopped waiting for
    if written != audited or not sent_ok <= written <= sent_ok + in_flight:
        raise RuntimeError(
            f"{sent_ok} writes answered 201, {written} marks, {audited} audit entries"
        )
    print("  batches of 25 marks…", flush=True)
    batches = measure_batches(load, server, tokens, _teachers, max(args.seconds, 20))
    print(f"  batches: {batches['marks_rate']:.0f} marks/s", flush=True)
    results.data["writes"] = {
        **total,
        "tool": load.tool,
        "clients": args.clients,
        "teachers": len(tokens),
        "written": written,
        "audited": audited,
        "warm_up": warm.requests,
        "profile": profile,
        "batches": batches,
    }
    results.check(
        "marks entered through the API, one mark a request",
        f"≥ {TARGETS['writes_per_s']:.0f} writes/s",
        f"{total['rate']:.0f} writes/s ({total['requests']:,} writes)",
        total["rate"] >= TARGETS["writes_per_s"],
    )
    results.check(
        f"marks entered through the API, {BATCH_SIZE} marks a request (`/journal/marks/batch`)",
        f"≥ {TARGETS['writes_per_s']:.0f} marks/s",
        f"{batches['marks_rate']:.0f} marks/s ({batches['requests']:,} requests, "
        f"{batches['requests'] * BATCH_SIZE:,} marks)",
        batches["marks_rate"] >= TARGETS["writes_per_s"],
    )


def profile_writes(
    args, load: Load, url: str, tokens: list[str], entries: list[tuple]
) -> dict[str, Any]:
    """When the rate is measured and py-spy is at hand: 15 s more of the same load with both
    workers sampled (not counted in the rate), sorted into the steps of a write."""
    py_spy = pyspy.find(args.py_spy)
    if not py_spy:
        return {}
    seconds = 15
    files = pyspy.record(py_spy, load.server.worker_pids(), seconds + 1)
    run = load.post(url, seconds, tokens, entries)
    pyspy.wait()
    return {**pyspy.steps(files, pyspy.WRITE_STEPS), "seconds": seconds, "runs": [run]}
