"""The reports and the import of marks, measured by ``bench/journal.py`` (imported by
``journal_measures`` once Django is set up)."""

from __future__ import annotations

import csv
import io
import random
import time
from typing import Any

from bench.journal_report import TARGETS, Results, fmt_ms, timings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from setka.core.models import AuditEntry
from setka.journal import reports
from setka.journal.importing import marks_import_file
from setka.journal.models import Mark, MarkKind
from setka.network.models import Membership, MunicipalRole

User = get_user_model()


def _school_admin(institution: Any) -> Any:
    return User.objects.filter(
        person__memberships__institution=institution,
        person__memberships__role=Membership.Role.INSTITUTION_ADMIN,
        person__memberships__starts_on__lte=timezone.localdate(),
        is_active=True,
    ).first()


# --- 6. reports ------------------------------------------------------------------------------


def measure_reports(journal: dict[str, Any], results: Results, sessions: list[str]) -> None:
    from bench.journal_measures import get_ok, signed_in

    group, period = journal["group"], journal["period"]
    institution = group.institution
    admin = _school_admin(institution)
    municipal = User.objects.filter(
        person__municipal_roles__municipality_id=institution.municipality_id,
        person__municipal_roles__role=MunicipalRole.Role.MUNICIPAL_ADMIN,
        is_active=True,
    ).first()
    if admin is None or municipal is None:
        raise RuntimeError("no school admin or municipal admin with an account")
    school_client = signed_in(admin, sessions)
    municipal_client = signed_in(municipal, sessions)
    out: dict[str, Any] = {}
    url = reverse("journal:report_class", args=[group.pk]) + f"?period={period.pk}"
    get_ok(school_client, url)
    out["class"] = timings(lambda: get_ok(school_client, url), 20)
    url = (
        reverse("journal:report_school", args=[institution.slug])
        + f"?year={group.year_id}&period={period.pk}"
    )
    get_ok(school_client, url)
    out["school"] = timings(lambda: get_ok(school_client, url), 10)
    options = reports.municipal_options(institution.municipality)
    option = next(
        o
        for o in options
        if o.number == period.number
        and o.scheme == group.year.period_scheme
        and o.year_name == group.year.name
    )
    url = reverse("journal:report_municipality") + f"?window={option.key}"

    def uncached() -> None:
        for lang in ("ru", "en"):
            cache.delete(
                f"journal:report:municipal:{institution.municipality_id}:{option.key}:{lang}"
            )
        get_ok(municipal_client, url)

    out["municipal_uncached"] = timings(uncached, 3)
    out["municipal_cached"] = timings(lambda: get_ok(municipal_client, url), 20)
    out["period"] = option.label
    out["schools"] = len(reports.municipal_window(institution.municipality, option).institution_ids)
    results.data["reports"] = out
    for name, t in out.items():
        if isinstance(t, dict):
            print(f"  report {name}: {fmt_ms(t)}", flush=True)


# --- 5. the import of marks ------------------------------------------------------------------


def import_rows(journal: dict[str, Any], n: int) -> tuple[Any, Any, list[list[str]]]:
    """``n`` new marks for the students of one school (the journal's), on lessons of its open
    periods held by today (the import takes no mark ahead of a lesson), each with a (value,
    kind) the student does not have yet on that lesson — so none is skipped as a repeat."""
    year = journal["group"].year
    institution = journal["group"].institution
    actor = _school_admin(institution)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT l.id, gm.student_id, l.date, l.number, s.name, g.name
            FROM journal_lesson l
            JOIN journal_period p ON p.id = l.period_id AND NOT p.is_closed
            JOIN journal_subject s ON s.id = l.subject_id AND s.grading = 'marks'
            JOIN journal_studygroup g ON g.id = l.group_id
            JOIN journal_groupmember gm ON gm.group_id = l.group_id AND gm.starts_on <= l.date
                 AND (gm.ends_on IS NULL OR gm.ends_on >= l.date)
            WHERE l.year_id = %s AND l.status <> 'cancelled' AND l.date <= %s
            ORDER BY md5(l.id::text || ':' || gm.student_id::text)
            LIMIT %s
            """,
            [year.pk, timezone.localdate(), n],
        )
        pairs = cursor.fetchall()
        cursor.execute(
            "SELECT m.lesson_id, m.student_id, m.value, m.kind_id FROM journal_mark m "
            "JOIN journal_lesson l ON l.id = m.lesson_id WHERE l.year_id = %s",
            [year.pk],
        )
        existing: dict[tuple[int, int], set[tuple[int, int]]] = {}
        for lesson_id, student_id, value, kind_id in cursor.fetchall():
            existing.setdefault((lesson_id, student_id), set()).add((value, kind_id))
    if len(pairs) < n:
        raise RuntimeError(f"only {len(pairs)} student-lessons to import marks on")
    kinds = list(MarkKind.objects.filter(institution=institution, is_active=True))
    rng = random.Random(3)
    rows = [["Код ученика", "Класс", "Дата", "Номер урока", "Предмет", "Оценка", "Вид оценки"]]
    for lesson_id, student_id, date, number, subject, group in pairs:
        taken = existing.get((lesson_id, student_id), set())
        free = [(v, k) for v in (5, 4, 3, 2) for k in kinds if (v, k.pk) not in taken]
        value, kind = rng.choice(free)
        rows.append(
            [
                str(student_id),
                group,
                f"{date:%d.%m.%Y}",
                str(number),
                subject,
                str(value),
                kind.name,
            ]
        )
    return actor, year, rows


def measure_import(journal: dict[str, Any], args, results: Results) -> None:
    actor, year, rows = import_rows(journal, args.import_marks)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8-sig")
    audit_before = AuditEntry.objects.filter(action="journal.marks.import").count()
    marks_before = Mark.objects.count()
    started = time.perf_counter()
    report = marks_import_file(actor=actor, year=year, data=data, filename="bench-marks.csv")
    seconds = time.perf_counter() - started
    added = Mark.objects.count() - marks_before
    audits = AuditEntry.objects.filter(action="journal.marks.import").count() - audit_before
    if report.errors or added != args.import_marks or audits != 1:
        first = report.errors[:5] if report.errors else ""
        raise RuntimeError(f"import: {added} marks added, {audits} audit entries; {first}")
    results.data["import"] = {
        "rows": len(rows) - 1,
        "bytes": len(data),
        "seconds": seconds,
        "added": added,
        "institution": year.institution.short_name,
        "skipped": report.counts.get("skipped", 0),
    }
    results.check(
        f"import of {added:,} marks",
        f"≤ {TARGETS['import_s']:.0f} s",
        f"{seconds:.1f} s",
        seconds <= TARGETS["import_s"],
    )
