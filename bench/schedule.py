"""The municipal schedule builder at the municipal scale (issue 10, "Speed"). Writes the
`## Schedule builder` section of docs/benchmarks.md.

    .venv/bin/python bench/schedule.py [--database-url postgres://…] [--items 300] [--limit 10]

The data: the events benchmark's database (`python -m setka demo --scale municipal`, its
journal with every school's timetable and bells; made by bench/events.py). Inside one
transaction that is rolled back at the end, the methodologist's schedule of four school
weeks gets ``--items`` items spread over the municipality's institutions — open lessons
(a teacher of each school with one of their classes, three other schools invited; one in
ten online) and group viewings of a recorded webinar at each institution for the teachers
of a subject — and the builder runs as in the product (the loader reads the journal's busy
intervals, the greedy first fit is the baseline and the hint, CP-SAT chooses within the
time limit). Reported: items placed by the solver and by the first fit, hard conflicts
(must be 0), the solver's status and gap, and the time of each phase.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench.demo_build import machine, postgres_version, write_section  # noqa: E402

DEFAULT_URL = "postgres://root@127.0.0.1:5432/setka_bench_events"
SECTION = "## Schedule builder"
SUBJECTS = ("Математика", "Русский язык", "Литература", "Физика", "Биология", "История",
            "Английский язык", "Окружающий мир", "Алгебра", "География", "Химия")  # fmt: skip


class Rollback(Exception):  # noqa: N818 - leaves the database as it was
    pass


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-schedule")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setka.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _fill(schedule, metodist, items: int) -> dict[str, int]:
    from setka.journal.models import StudyGroup, Subject, TeachingAssignment
    from setka.network.models import Institution
    from setka.schedule import services
    from setka.schedule.models import Item

    today = schedule.first_day
    institutions = list(
        Institution.objects.filter(municipality=schedule.municipality).order_by("slug")
    )
    subjects = {s.name: s for s in Subject.objects.filter(municipality=schedule.municipality)}
    wanted = [subjects[n].pk for n in SUBJECTS if n in subjects]
    by_school: dict[int, list] = {}
    for a in (
        TeachingAssignment.objects.active(today)
        .filter(subject_id__in=wanted, group__kind=StudyGroup.Kind.CLASS)
        .select_related("group", "subject")
        .order_by("institution_id", "teacher_id", "id")
    ):
        by_school.setdefault(a.institution_id, []).append(a)
    schools = [i for i in institutions if by_school.get(i.pk)]
    viewings = min(len(institutions), max(1, items // 6))
    lessons = items - viewings
    counts = {"open lessons": 0, "viewings": 0, "institutions": len(institutions)}
    used: set[tuple[int, int]] = set()
    n = 0
    while counts["open lessons"] < lessons and schools:
        school = schools[n % len(schools)]
        choices = [a for a in by_school[school.pk] if (a.teacher_id, a.group_id) not in used]
        n += 1
        if not choices:
            schools.remove(school)
            continue
        a = choices[(n // len(schools)) % len(choices)]
        used.add((a.teacher_id, a.group_id))
        others = [s.pk for s in schools if s.pk != school.pk]
        services.item_create(
            actor=metodist, schedule=schedule, kind=Item.Kind.OPEN_LESSON,
            subject_id=a.subject_id, host_id=a.teacher_id, group_id=a.group_id,
            audience_ids=others[n % max(1, len(others) - 3):][:3], online=n % 10 == 0,
            title=f"Открытый урок: {a.subject.name}, {a.group.name}",
        )  # fmt: skip
        counts["open lessons"] += 1
    for k, institution in enumerate(institutions[:viewings]):
        subject = subjects.get(SUBJECTS[k % 2])
        if subject is None:
            continue
        services.item_create(
            actor=metodist, schedule=schedule, kind=Item.Kind.VIEWING, subject_id=subject.pk,
            venue_ids=[institution.pk], subject_teachers=True, duration=60,
            title=f"Просмотр вебинара — {institution.short_name}",
            webinar_url="https://my.webinar.ru/record/setka-bench",
        )  # fmt: skip
        counts["viewings"] += 1
    return counts


def measure(items: int, limit: float) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from setka.core import clock
    from setka.network.models import Municipality
    from setka.schedule import services
    from setka.schedule.solver import hard_conflicts, solve_schedule

    metodist = get_user_model().objects.get(username="metodist")
    municipality = Municipality.objects.get(slug="shelekhov")
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
    found: dict = {}
    try:
        with transaction.atomic():
            schedule = services.schedule_create(
                actor=metodist, municipality=municipality, title="bench", first_day=monday,
                last_day=monday + dt.timedelta(days=25), day_starts=dt.time(8),
                day_ends=dt.time(17), preferred_weekdays=[1, 2, 3], step_minutes=15,
                time_limit=int(limit),
            )  # fmt: skip
            started = time.perf_counter()
            found["counts"] = _fill(schedule, metodist, items)
            found["fill"] = time.perf_counter() - started
            started = time.perf_counter()
            result = solve_schedule(schedule, time_limit=limit)
            found["total"] = time.perf_counter() - started
            found["result"] = result
            found["conflicts"] = hard_conflicts(result.problem, result.placement)
            found["greedy_conflicts"] = hard_conflicts(result.problem, result.greedy)
            raise Rollback
    except Rollback:
        pass
    return found


def _database(url: str) -> str:
    return f"PostgreSQL {postgres_version(url)}" if url.startswith("postgres") else "SQLite"


def render(found: dict, items: int, limit: float, url: str) -> str:
    result = found["result"]
    outcome = result.outcome
    counts = found["counts"]
    to_place = result.to_place

    def verdict(ok: bool) -> str:
        return "**pass**" if ok else "**FAIL**"

    def number(value: float | None) -> str:
        return "—" if value is None else f"{value:g}"

    gap = "—" if outcome.gap is None else f"{outcome.gap:.1%}"
    kept = f"kept: {len(result.placement)}" + (", the first fit's" if result.used_greedy else "")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    solver = (
        f"CP-SAT ({outcome.status}, objective {number(outcome.objective)}, "
        f"bound {number(outcome.bound)}, gap {gap})"
    )
    lines = [
        SECTION,
        "",
        "The schedule builder of issue 10 at the municipal scale, measured by "
        "`bench/schedule.py` on the events benchmark's database (`python -m setka demo "
        "--scale municipal`: the journal's timetables and bells of every school): one schedule "
        "of four school weeks (08:00–17:00, 15-minute steps, Tuesday–Thursday preferred) with "
        f"{to_place} items over {counts['institutions']} institutions — "
        f"{counts['open lessons']} open lessons (a teacher of a school with one of their "
        "classes, three schools invited, one in ten online) and "
        f"{counts['viewings']} group viewings of a recorded webinar for the teachers of a "
        "subject — built inside a transaction that is rolled back. The builder runs as in the "
        "product: the loader reads who is busy when from the journal (`journal.busy`), the "
        "greedy first fit in input order is the baseline and the solver's hint, CP-SAT "
        "chooses within the time limit.",
        "",
        f"- Machine: {machine()}; {_database(url)}, Python {sys.version.split()[0]}",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d} (UTC); load average at the end: {load}",
        "",
        "| measure | target | measured | result |",
        "|---|---|---|---|",
        f"| hard conflicts in the solver's placement | 0 | {found['conflicts']} "
        f"| {verdict(found['conflicts'] == 0)} |",
        f"| items placed: solver vs greedy first fit | at least as many "
        f"| {len(outcome.placement)} vs {len(result.greedy)} of {to_place} ({kept}) "
        f"| {verdict(len(result.placement) >= len(result.greedy))} |",
        f"| solver time within the limit | ≤ {limit:g} s | {outcome.wall_seconds:.1f} s "
        f"| {verdict(outcome.wall_seconds <= limit + 1)} |",
        "",
        "| phase | seconds |",
        "|---|---:|",
        f"| creating the {to_place} items through the service (validation included) "
        f"| {found['fill']:.1f} |",
        f"| loading the problem (items, busy intervals, venues, kits, candidates) "
        f"| {result.load_seconds:.1f} |",
        f"| {solver} | {outcome.wall_seconds:.1f} |",
        f"| the whole run (load, first fit, solver, reasons) | {found['total']:.1f} |",
        "",
        f"Candidates: {len(result.problem.candidates):,} placements of the {to_place} items; "
        f"the greedy first fit's own placement had {found['greedy_conflicts']} hard conflicts. "
        "Items left unplaced keep the reason the page shows "
        f"({len(result.reasons)} this run).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_EVENTS_URL") or DEFAULT_URL)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--limit", type=float, default=10.0)
    parser.add_argument("--no-write", action="store_true")
    args, _rest = parser.parse_known_args()
    _setup(args.database_url)
    found = measure(args.items, args.limit)
    section = render(found, args.items, args.limit, args.database_url)
    print(section)
    if not args.no_write:
        write_section(section, SECTION)
    return 0


if __name__ == "__main__":
    sys.exit(main())
