"""The journal of the demo municipality (a build step of ``setka.network.demo``).

For every general school: the current academic year (from ``ctx.today``) with quarters and
holidays, the bells, the classes of the students' memberships with language subgroups,
teaching assignments, a weekly timetable, the lessons of the year
(``services.timetable.generate_lessons``) and the journal filled up to today — topics,
homework, marks, attendance, the closed 1st quarter with its marks — plus a network
programme group at the ДДТ, substitutions, a cancelled lesson and corrected marks with
their history. ``ctx.journal_full_year`` fills the whole year (the benchmark data).

Idempotent: an institution that already has the year is left alone (one query on a second
run). Deterministic: every choice comes from generators seeded with the demo seed and a
name. Fast: rows are written in bulk (``COPY`` on PostgreSQL), not through the per-mark
services, which audit every write; the invariants the services enforce are kept by
construction (see ``fill.py``). A reduced demo (``students_per_class``, for tests) fills
only school №3, the gymnasium and the ДДТ group, with lessons up to two weeks ahead."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import defaultdict
from dataclasses import replace

from django.contrib.auth import get_user_model
from tqdm import tqdm

from setka.network.demo import DemoContext, register_step
from setka.network.demo.institutions import SCALES
from setka.network.models import Institution, Membership, Municipality

from ..models import AcademicYear, Lesson, Subject
from ..services.structure import mark_kinds_ensure
from ..services.timetable import generate_lessons, is_working_day
from . import writer
from .calendar import (
    additional_education_year,
    afternoon_bells,
    bells,
    school_year,
    second_shift_bells,
)
from .changes import History, apply_changes, close_periods, correct_marks, plan_changes
from .curriculum import NETWORK_SUBJECT, SUBJECTS, SubjectSpec
from .fill import Counts, Filler, GroupInfo, Lessons
from .network import build_network_group
from .profiles import Profiles
from .school import DEMO_TEACHER_CLASS, School, build_school, create_year

REDUCED = ("school-3", "gymnasium")  # the schools of the demo logins' children
LESSON_COLUMNS = ("id", "group_id", "subject_id", "teacher_id", "date", "number", "period_id")


@register_step("journal")
def build_journal(ctx: DemoContext) -> None:
    started = time.perf_counter()
    reduced = ctx.students_per_class is not None
    slugs = [s.slug for s in SCALES[ctx.scale] if s.is_school]
    if reduced:
        slugs = [s for s in slugs if s in REDUCED]
    targets = [ctx.institutions[s] for s in slugs if s in ctx.institutions]
    ddt = ctx.institutions.get("ddt")
    cal = school_year(ctx.year)
    done = set(
        AcademicYear.objects.filter(
            institution__in=[*targets, *([ddt] if ddt else [])], name=cal.name
        ).values_list("institution_id", flat=True)
    )
    todo = [i for i in targets if i.pk not in done]
    network = ddt is not None and ddt.pk not in done
    if not todo and not network:
        return
    subjects = ensure_subjects(ctx.municipality)
    until = cal.ends_on + dt.timedelta(days=1) if ctx.journal_full_year else ctx.today
    lessons_until = ctx.today + dt.timedelta(days=14) if reduced else cal.ends_on
    holidays = [(s, e) for _, s, e in cal.holidays]
    days = [
        cal.starts_on + dt.timedelta(days=i)
        for i in range((min(until, cal.ends_on) - cal.starts_on).days + 1)
    ]
    profiles = Profiles(ctx.seed, [d for d in days if is_working_day(d, holidays) and d < until])
    users = dict(
        get_user_model()
        .objects.filter(username__in=["teacher", "director"], person__isnull=False)
        .values_list("username", "person__pk")
    )
    total = Counts()
    writer.bulk_mode()  # on failure the rollback undoes it
    with tqdm(
        total=len(todo) + network, desc="Journal", unit=" inst.", disable=not ctx.progress,
        file=sys.stderr,
    ) as bar:  # fmt: skip
        for institution in todo:
            bar.set_postfix_str(institution.slug)
            total.add(
                _school(
                    ctx,
                    institution,
                    cal=cal,
                    subjects=subjects,
                    profiles=profiles,
                    until=until,
                    lessons_until=lessons_until,
                    users=users,
                )
            )
            bar.update(1)
        if network:
            bar.set_postfix_str("ddt")
            total.add(
                _network(
                    ctx,
                    ddt,
                    subjects=subjects,
                    profiles=profiles,
                    until=until,
                    lessons_until=lessons_until,
                )
            )
            bar.update(1)
    writer.normal_mode()
    ctx.write(
        f"Journal: {len(todo)} schools{' and the ДДТ network group' if network else ''}, "
        f"{total.lessons:,} lessons, {total.topics:,} topics, {total.homework:,} homework, "
        f"{total.marks:,} marks, {total.absences:,} absences, {total.period_marks:,} period "
        f"marks in {time.perf_counter() - started:.1f} s"
        + (
            f" ({total.unplaced} weekly lessons did not fit the timetables)."
            if total.unplaced
            else "."
        )
    )


def ensure_subjects(municipality: Municipality) -> dict[str, Subject]:
    """The municipal catalogue: the demo's subjects, created when missing."""
    specs = [*SUBJECTS, NETWORK_SUBJECT]
    existing = {
        s.name: s
        for s in Subject.objects.filter(municipality=municipality, name__in=[p.name for p in specs])
    }
    Subject.objects.bulk_create(
        Subject(
            municipality=municipality,
            name=p.name,
            short_name=p.short,
            grading=Subject.Grading.PASS_FAIL if p.pass_fail else Subject.Grading.MARKS,
            order=p.order,
        )
        for p in specs
        if p.name not in existing
    )
    existing = {
        s.name: s
        for s in Subject.objects.filter(municipality=municipality, name__in=[p.name for p in specs])
    }
    return {p.key: existing[p.name] for p in specs}


def _specs(subjects: dict[str, Subject]) -> dict[int, SubjectSpec]:
    """Specs by subject id, graded as the catalogue says (it may predate the demo)."""
    by_key = {s.key: s for s in [*SUBJECTS, NETWORK_SUBJECT]}
    return {
        subject.pk: replace(by_key[key], pass_fail=subject.is_pass_fail)
        for key, subject in subjects.items()
    }


def _lesson_rows(year: AcademicYear) -> list[tuple]:
    return list(
        Lesson.objects.filter(year=year)
        .order_by("group_id", "subject_id", "date", "number")
        .values_list(*LESSON_COLUMNS)
    )


def _admin_user(institution: Institution) -> int | None:
    return (
        Membership.objects.filter(
            institution=institution,
            role=Membership.Role.INSTITUTION_ADMIN,
            person__user__isnull=False,
        )
        .order_by("id")
        .values_list("person__user_id", flat=True)
        .first()
    )


def _school(ctx, institution, *, cal, subjects, profiles, until, lessons_until, users) -> Counts:
    slug = institution.slug
    rng = ctx.rng(f"journal:{slug}")
    start = dt.time(8, 0) if slug == "school-3" else rng.choice([dt.time(8, 0), dt.time(8, 30)])
    rounding = AcademicYear.Rounding.SIXTY if slug == "lyceum" else AcademicYear.Rounding.HALF_UP
    bell_rows = {1: bells(start), 2: second_shift_bells(start)}
    year, periods = create_year(
        institution, cal, bell_rows[1], second_shift=bell_rows[2], rounding=rounding
    )
    kinds = mark_kinds_ensure(institution)
    demo_teacher = users.get("teacher") if slug == DEMO_TEACHER_CLASS[0] else None
    school = build_school(
        institution=institution,
        year=year,
        periods=periods,
        bells=bell_rows,
        subjects=subjects,
        rng=rng,
        demo_teacher_id=demo_teacher,
    )
    generate_lessons(year, until=lessons_until)
    rows = _lesson_rows(year)
    hours: dict[tuple[int, int], int] = defaultdict(int)
    teacher_of: dict[tuple[int, int], int] = {}
    for unit in school.units:
        for group, subject, teacher, _room in unit.entries:
            hours[group.pk, subject.pk] += 1
            teacher_of[group.pk, subject.pk] = teacher
    changes = plan_changes(school, rows, ctx.today, demo_teacher) if demo_teacher else None
    groups = _group_infos(school)
    profiles.load({s for k in school.classes for s in k.students})
    filler = Filler(
        institution_id=institution.pk,
        year=year,
        periods=periods,
        bells=school.bells,
        kinds=kinds,
        specs=_specs(subjects),
        groups=groups,
        users={pk: t.user_id for pk, t in school.teachers.items()},
        profiles=profiles,
        rng=rng,
        today=ctx.today,
        until=until,
        time_zone=ctx.municipality.time_zone,
    )
    lessons = Lessons(rows, dict(hours))
    if changes is not None:
        lessons.substitutes, lessons.cancelled = changes.substitutes, changes.cancelled
    counts = filler.run(lessons)
    counts.period_marks = filler.write(teacher_of)
    counts.unplaced = school.unplaced
    history = History(school, ctx.municipality.pk, ctx.municipality.time_zone)
    admin = _admin_user(institution)
    close_periods(history, periods, filler.closing, admin, ctx.today)
    if changes is not None:
        apply_changes(history, changes, admin, ctx.today)
    demo_group = next(
        (k.group.pk for k in school.classes if k.group.name == DEMO_TEACHER_CLASS[1]), None
    )
    open_from = min((p.starts_on for p in periods if p.pk not in filler.closing), default=None)
    if open_from is not None:
        correct_marks(
            history,
            marks=filler.marks,
            open_from=open_from,
            today=ctx.today,
            rng=rng,
            demo_group=demo_group if demo_teacher else None,
            demo_user=school.teachers[demo_teacher].user_id if demo_teacher else None,
        )
    history.write()
    return counts


def _group_infos(school: School) -> dict[int, GroupInfo]:
    start = school.year.starts_on
    out = {}
    for klass in school.classes:
        shift = klass.group.shift
        out[klass.group.pk] = GroupInfo(klass.grade, [(s, start) for s in klass.students], shift)
        for sub, students in zip(klass.subgroups, klass.halves, strict=True):
            out[sub.pk] = GroupInfo(klass.grade, [(s, start) for s in students], shift)
    return out


def _network(ctx, ddt, *, subjects, profiles, until, lessons_until) -> Counts:
    rng = ctx.rng("journal:ddt")
    cal = additional_education_year(ctx.year)
    built = build_network_group(ddt, ctx.institutions, cal, subjects[NETWORK_SUBJECT.key], rng)
    if built is None:
        return Counts()
    year, periods, group, members, user_id, teacher_id = built
    kinds = mark_kinds_ensure(ddt)
    generate_lessons(year, until=lessons_until)
    rows = _lesson_rows(year)
    profiles.load(pk for pk, _ in members)
    filler = Filler(
        institution_id=ddt.pk,
        year=year,
        periods=periods,
        bells={1: {n: (s, e) for n, s, e in afternoon_bells()}},
        kinds=kinds,
        specs=_specs(subjects),
        groups={group.pk: GroupInfo(7, members)},
        users={teacher_id: user_id},
        profiles=profiles,
        rng=rng,
        today=ctx.today,
        until=until,
        time_zone=ctx.municipality.time_zone,
    )
    counts = filler.run(Lessons(rows, {(group.pk, subjects[NETWORK_SUBJECT.key].pk): 4}))
    counts.period_marks = filler.write({(group.pk, subjects[NETWORK_SUBJECT.key].pk): teacher_id})
    return counts
