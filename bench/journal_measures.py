"""The measures of ``bench/journal.py``, in a process where Django is set up with
``bench.settings`` on the benchmark database (the environment is set by the caller)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

import django

django.setup()

from bench import loadgen  # noqa: E402
from bench.journal_batch import measure_import, measure_reports  # noqa: E402
from bench.journal_load import measure_throughput, measure_writes  # noqa: E402
from bench.journal_report import TARGETS, Results, fmt_ms, timings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from setka.core.models import AuditEntry  # noqa: E402
from setka.journal.access import journal_for_user  # noqa: E402
from setka.journal.diary import diary_week, week_start  # noqa: E402
from setka.journal.models import (  # noqa: E402
    GroupMember,
    Mark,
    Period,
    StudyGroup,
    Subject,
    TeachingAssignment,
)
from setka.journal.periods import current_period  # noqa: E402
from setka.journal.selectors import journal_grid  # noqa: E402
from setka.journal.views.grid import build_rows, grid_table_context  # noqa: E402
from setka.network.roles import forget_roles  # noqa: E402

User = get_user_model()
HOST = "127.0.0.1"


def run_all(args: argparse.Namespace, env: dict[str, str], results: Results, sampler: Any) -> None:
    marks_before = Mark.objects.order_by("-id").values_list("id", flat=True).first() or 0
    audit_before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sessions: list[str] = []
    try:
        journal = choose_journal()
        results.data["journal"] = describe(journal)
        print(f"the journal: {results.data['journal']['label']}", flush=True)
        sampler.note("page")
        teacher_client = measure_page(journal, args, results, sessions)
        sampler.note("diary")
        measure_diary(args, results, sessions)
        sampler.note("reports")
        measure_reports(journal, results, sessions)
        cookie = f"sessionid={teacher_client.cookies['sessionid'].value}"
        connection.close()  # idle while the server works
        with loadgen.Gunicorn(env, workers=2) as server:
            sampler.note("throughput")
            measure_throughput(server, journal, cookie, args, results)
            sampler.note("writes")
            measure_writes(server, args, results)
        sampler.note("import")
        measure_import(journal, args, results)
    finally:
        cleanup(marks_before, audit_before, sessions)


# --- the journal to measure ------------------------------------------------------------------


def choose_journal() -> dict[str, Any]:
    """A real class with about 30 students today (the closest to 30; grades 2–11), a subject
    graded 1–5 whose teacher has an account (the one with most lessons in the quarter), the
    current quarter. The demo's `teacher` (7Б of school №3, maths) when its class has 28–32
    students."""
    today = timezone.localdate()
    active = Q(members__starts_on__lte=today) & (
        Q(members__ends_on__isnull=True) | Q(members__ends_on__gte=today)
    )
    classes = list(
        StudyGroup.objects.filter(
            kind=StudyGroup.Kind.CLASS, year__starts_on__lte=today, year__ends_on__gte=today
        )
        .annotate(n=Count("members__student", filter=active, distinct=True))
        .filter(n__gte=20, grade__gte=2)  # the first grade is taught without marks
        .select_related("year", "institution")
    )
    if not classes:
        raise RuntimeError("no class of the current year: is the database built?")
    largest = max(g.n for g in classes)
    classes.sort(key=lambda g: (abs(g.n - 30), g.institution.slug, g.name))
    demo = User.objects.filter(username="teacher", person__isnull=False).first()
    if demo is not None:
        mine = [g for g in classes if abs(g.n - 30) <= 2 and g.class_teacher_id == demo.person.pk]
        classes = mine + classes
    for group in classes[:300]:
        assignments = list(
            TeachingAssignment.objects.active(today)
            .filter(
                group=group,
                subject__grading=Subject.Grading.MARKS,
                teacher__user__isnull=False,
                teacher__user__is_active=True,
            )
            .select_related("subject", "teacher__user")
            .annotate(
                lessons=Count(
                    "group__lessons",
                    filter=Q(group__lessons__subject_id=F("subject_id"))
                    & Q(group__lessons__date__gte=today - dt.timedelta(days=30)),
                )
            )
            .order_by("-lessons", "subject__order", "subject_id")
        )
        if not assignments:
            continue
        chosen = next(
            (a for a in assignments if demo is not None and a.teacher_id == demo.person.pk),
            assignments[0],
        )
        periods = list(Period.objects.filter(year=group.year).order_by("number"))
        period = current_period(periods, today)
        if period is None:
            continue
        return {
            "group": group,
            "subject": chosen.subject,
            "teacher": chosen.teacher.user,
            "period": period,
            "students": group.n,
            "largest": largest,
            "classes": len(classes),
        }
    raise RuntimeError("no class of ~30 students has a teacher with an account")


def describe(journal: dict[str, Any]) -> dict[str, Any]:
    group, subject, period = journal["group"], journal["subject"], journal["period"]
    lessons = group.lessons.filter(subject=subject, period=period).count()
    marks = Mark.objects.filter(
        group=group,
        subject=subject,
        date__gte=period.starts_on,
        date__lte=period.ends_on,
        is_deleted=False,
    ).count()
    return {
        "label": f"{group.name}, {group.institution.short_name}; {subject.name}; {period.name} "
        f"({period.starts_on:%d.%m}–{period.ends_on:%d.%m.%Y})",
        "students": journal["students"],
        "lessons": lessons,
        "marks": marks,
        "teacher": journal["teacher"].username,
        "largest": journal["largest"],
        "classes": journal["classes"],
    }


def signed_in(user, sessions: list[str]) -> Client:
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    sessions.append(client.session.session_key or "")
    return client


def get_ok(client: Client, url: str, marker: bytes = b"") -> bytes:
    response = client.get(url)
    if response.status_code != 200 or (marker and marker not in response.content):
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response.content


def backend_pid() -> int:
    """The PostgreSQL backend of this process's connection (it persists: CONN_MAX_AGE)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def count_queries(fn) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


# --- 1. the journal page ---------------------------------------------------------------------


def journal_url(journal: dict[str, Any]) -> str:
    url = reverse("journal:grid", args=[journal["group"].pk, journal["subject"].pk])
    return f"{url}?period={journal['period'].pk}"


def floor_url(journal: dict[str, Any]) -> str:
    return reverse(
        "bench_floor",
        args=[journal["group"].pk, journal["subject"].pk, journal["period"].pk],
    )


def rows_in(html: bytes) -> int:
    return html.count(b"<tr data-student=")


def measure_page(journal: dict[str, Any], args, results: Results, sessions: list[str]) -> Client:
    client = signed_in(journal["teacher"], sessions)
    url = journal_url(journal)
    html = get_ok(client, url, b'id="journal-grid"')
    for _ in range(20):  # warm-up: templates compiled, connection open, caches filled
        get_ok(client, url)
    page: dict[str, Any] = {"url": url, "bytes": len(html), "rows": rows_in(html)}
    page["queries"], page["sql"] = count_queries(lambda: get_ok(client, url))
    page["by_size"] = queries_by_size(journal, client, url)
    page["time"] = timings(lambda: get_ok(client, url), max(200, args.requests), backend_pid())
    page["parts"] = page_parts(journal)
    floor = floor_url(journal)
    for _ in range(10):
        get_ok(client, floor)
    page["floor"] = timings(lambda: get_ok(client, floor), 100, backend_pid())
    results.data["page"] = page
    sizes = ", ".join(f"{n} students: {q}" for n, q, _ms in page["by_size"])
    same = len({q for _n, q, _ms in page["by_size"]}) == 1
    results.check(
        "journal page: SQL queries",
        f"≤ {TARGETS['page_queries']}, the same for 5 and 35 students",
        f"{page['queries']} ({sizes})",
        page["queries"] <= TARGETS["page_queries"] and same,
    )
    results.check(
        "journal page: median server time",
        f"≤ {TARGETS['page_median_ms']:.0f} ms",
        fmt_ms(page["time"]),
        page["time"]["median"] <= TARGETS["page_median_ms"],
    )
    return client


def page_parts(journal: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Where the page's time goes: its big steps timed alone (50 calls each): the user's roles
    and access, the grid's queries (``journal_grid``), the rows and cells (``build_rows``), the
    Jinja2 grid."""
    group, subject, period = journal["group"], journal["subject"], journal["period"]
    access = journal_for_user(journal["teacher"], group.pk, subject.pk)
    pid = backend_pid()
    data = journal_grid(group, subject, period)
    context = grid_table_context(access, period, data)
    teacher = journal["teacher"]

    def access_check() -> None:
        forget_roles(teacher)  # as in a new request: the roles are loaded again
        journal_for_user(teacher, group.pk, subject.pk)

    return {
        "roles and access (journal_for_user)": timings(access_check, 50, pid),
        "queries (journal_grid)": timings(lambda: journal_grid(group, subject, period), 50, pid),
        "rows and cells (build_rows)": timings(lambda: build_rows(data, access, period), 50),
        "grid template (Jinja2)": timings(
            lambda: render_to_string("journal/grid_table.html", context, using="jinja2"), 50
        ),
    }


def queries_by_size(
    journal: dict[str, Any], client: Client, url: str
) -> list[tuple[int, int, float]]:
    """The page's queries (and median time) with 5 students, as it is, and with 35: the
    members are changed in a
    transaction that is rolled back (Django's connection-closing signals are off meanwhile, as
    in Django's own TestCase)."""
    group = journal["group"]
    today = timezone.localdate()
    out = []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for size in (5, journal["students"], 35):
            with transaction.atomic():
                current = list(
                    GroupMember.objects.active(today)
                    .filter(group=group)
                    .order_by("student__surname", "student_id")
                )
                if size < len(current):
                    GroupMember.objects.filter(group=group).exclude(
                        pk__in=[m.pk for m in current[:size]]
                    ).delete()
                elif size > len(current):
                    others = (
                        GroupMember.objects.active(today)
                        .filter(
                            group__year=group.year,
                            group__kind=StudyGroup.Kind.CLASS,
                            group__grade=group.grade,
                        )
                        .exclude(group=group)
                        .values_list("student_id", flat=True)[: size - len(current)]
                    )
                    GroupMember.objects.bulk_create(
                        GroupMember(
                            group=group,
                            student_id=sid,
                            home_institution_id=group.institution_id,
                            starts_on=group.year.starts_on,
                        )
                        for sid in others
                    )
                html = get_ok(client, url)
                if rows_in(html) != size:
                    raise RuntimeError(f"{rows_in(html)} rows on the page, {size} expected")
                queries, _sql = count_queries(lambda: get_ok(client, url))
                t = timings(lambda: get_ok(client, url), 50)
                out.append((size, queries, t["median"]))
                transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return out


# --- 3. the diary week ----------------------------------------------------------------------


def measure_diary(args, results: Results, sessions: list[str]) -> None:
    user = User.objects.filter(username="student", person__isnull=False).first()
    if user is None:
        raise RuntimeError("the demo's `student` login is missing")
    client = signed_in(user, sessions)
    url = reverse("journal:diary")
    html = get_ok(client, url, b"diary-day")
    for _ in range(20):
        get_ok(client, url)
    diary: dict[str, Any] = {
        "lessons": html.count(b'<li class="diary-lesson'),
        "marks": html.count(b'<span class="diary-mark'),
        "bytes": len(html),
    }
    diary["queries"], diary["sql"] = count_queries(lambda: get_ok(client, url))
    diary["time"] = timings(lambda: get_ok(client, url), max(200, args.requests), backend_pid())
    student_id, monday = user.person.pk, week_start(timezone.localdate())
    diary["parts"] = {
        "the week (diary_week: 4 queries)": timings(
            lambda: diary_week(student_id, monday), 50, backend_pid()
        )
    }
    results.data["diary"] = diary
    results.check(
        "diary week: SQL queries",
        f"≤ {TARGETS['diary_queries']}",
        str(diary["queries"]),
        diary["queries"] <= TARGETS["diary_queries"],
    )
    results.check(
        "diary week: median server time",
        f"≤ {TARGETS['diary_median_ms']:.0f} ms",
        fmt_ms(diary["time"]),
        diary["time"]["median"] <= TARGETS["diary_median_ms"],
    )


# --- cleaning up -----------------------------------------------------------------------------


def cleanup(marks_before: int, audit_before: int, sessions: list[str]) -> None:
    """Delete what the run wrote: marks, audit entries, API tokens and sessions."""
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM journal_mark WHERE id > %s", [marks_before])
        deleted = cursor.rowcount
        cursor.execute("DELETE FROM core_auditentry WHERE id > %s", [audit_before])
        cursor.execute("DELETE FROM accounts_apitoken WHERE name = %s", ["setka-bench"])
        cursor.execute("DELETE FROM django_session WHERE session_key = ANY(%s)", [sessions])
    print(f"cleaned up: {deleted:,} marks written by the run deleted", flush=True)
