"""The municipal schedule of the demo (a build step of ``setka.network.demo``, after the
events' step): the `metodist` collects open lessons at several schools and group viewings of
webinars (a recording for the teachers of Russian, a live webinar for the teachers of maths)
for the two weeks after next, runs the builder, publishes the proposal (events of the
calendar), and later moves one item — the change is in the changelog and its people are
told. A second schedule waits as a proposal to publish (the metodist's «Сегодня» shows it).

Idempotent: a second run finds the schedule and adds nothing (one query). Scaled: more
schools and items at the municipal scale."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from setka.journal.models import StudyGroup, Subject, TeachingAssignment
from setka.network.demo import DemoContext, register_step
from setka.network.models import GENERAL_KINDS

from . import services
from .models import Item, Schedule

TITLE = "Открытые уроки и вебинары: методическая декада"
WAITING = "Вебинары для учителей начальных классов"
SCHOOLS = {"demo": 5, "municipal": 16}
SUBJECTS = ("Математика", "Алгебра", "Русский язык", "Литература", "Физика", "Биология",
            "Окружающий мир", "История", "Английский язык")  # fmt: skip


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@register_step("schedule")
def build_schedule(ctx: DemoContext) -> None:
    if Schedule.objects.filter(municipality=ctx.municipality, title=TITLE).exists():
        return
    metodist = get_user_model().objects.filter(username="metodist").first()
    schools = sorted(
        (i for i in ctx.institutions.values() if i.kind in GENERAL_KINDS),
        key=lambda i: (i.slug != "school-3", i.slug),
    )[: SCHOOLS.get(ctx.scale, 5)]
    if metodist is None or len(schools) < 3:
        return
    subjects = {s.name: s for s in Subject.objects.filter(municipality=ctx.municipality)}
    monday = ctx.today - dt.timedelta(days=ctx.today.weekday()) + dt.timedelta(days=14)
    schedule = services.schedule_create(
        actor=metodist, municipality=ctx.municipality, title=TITLE, first_day=monday,
        last_day=monday + dt.timedelta(days=11), day_starts=dt.time(8), day_ends=dt.time(17),
        preferred_weekdays=[1, 2, 3], step_minutes=15, time_limit=5,
    )  # fmt: skip
    _open_lessons(ctx, metodist, schedule, schools, subjects)
    _viewings(metodist, schedule, schools, subjects, monday)
    if not schedule.items.exists():  # a demo without the journal's classes and subjects
        return
    run = services.run_request(actor=metodist, schedule=schedule)
    services.run_execute(run.pk)
    try:
        services.schedule_publish(actor=metodist, schedule=schedule)
    except ValidationError as exc:  # the calendar refused an item: the proposal stays
        ctx.write(f"schedule: not published ({'; '.join(exc.messages)})")
        return
    _later_change(metodist, schedule)
    _waiting(metodist, ctx, schools, subjects, monday)
    ctx.counts["schedule items"] = Item.objects.filter(
        schedule__municipality=ctx.municipality
    ).count()


def _open_lessons(ctx, metodist, schedule, schools, subjects) -> None:
    """An open lesson at each school: a teacher of a main subject (another one at each school)
    with one of their classes of grades 5-9 when there is one."""
    wanted = [subjects[n].pk for n in SUBJECTS if n in subjects]
    found: dict[int, list[TeachingAssignment]] = {}
    for a in (
        TeachingAssignment.objects.active(ctx.today)
        .filter(institution__in=schools, subject_id__in=wanted, group__kind=StudyGroup.Kind.CLASS)
        .select_related("group", "subject")
        .order_by("id")
    ):
        found.setdefault(a.institution_id, []).append(a)
    for n, school in enumerate(schools):
        choices = sorted(
            found.get(school.pk, []),
            key=lambda a: (wanted.index(a.subject_id) != n % len(wanted),
                           not 5 <= (a.group.grade or 0) <= 9, a.group.grade or 0, a.pk),
        )  # fmt: skip
        if not choices:
            continue
        assignment = choices[0]
        others = [s.pk for s in schools if s.pk != school.pk][:3]
        services.item_create(
            actor=metodist, schedule=schedule, kind=Item.Kind.OPEN_LESSON,
            subject_id=assignment.subject_id, host_id=assignment.teacher_id,
            group_id=assignment.group_id, audience_ids=others, online=school.slug == "school-3",
            title=f"Открытый урок: {assignment.subject.name}, {assignment.group.name}",
            note="Урок открытия нового знания; карта анализа урока — на странице мероприятия.",
        )  # fmt: skip


def _viewings(metodist, schedule, schools, subjects, monday) -> None:
    russian = subjects.get("Русский язык")
    maths = subjects.get("Математика") or subjects.get("Алгебра")
    if russian is not None:
        for school in schools[:3]:
            services.item_create(
                actor=metodist, schedule=schedule, kind=Item.Kind.VIEWING,
                subject_id=russian.pk, venue_ids=[school.pk], subject_teachers=True,
                duration=90, title=f"Просмотр вебинара «Читательская грамотность» — "
                                   f"{school.short_name}",
                webinar_url="https://my.webinar.ru/record/setka-demo-reading",
                note="Запись вебинара с обсуждением; подготовить вопросы к разбору.",
            )  # fmt: skip
    if maths is not None:
        live = monday + dt.timedelta(days=2)
        for school in schools[1:3]:
            services.item_create(
                actor=metodist, schedule=schedule, kind=Item.Kind.VIEWING,
                subject_id=maths.pk, venue_ids=[school.pk], subject_teachers=False,
                audience_ids=[school.pk], fixed_start=_at(live, 15),
                fixed_end=_at(live, 16, 30),
                title=f"Вебинар «Функциональная грамотность на уроках математики» — "
                      f"{school.short_name}",
                webinar_url="https://my.webinar.ru/event/setka-demo-maths",
            )  # fmt: skip


def _later_change(metodist, schedule: Schedule) -> None:
    """The school asked to move its viewing: a day later at the same time, or the first time
    after it that keeps every rule."""
    item = (
        schedule.items.filter(kind=Item.Kind.VIEWING, fixed_start__isnull=True,
                              event__isnull=False)
        .order_by("position")
        .first()
    )  # fmt: skip
    if item is None or item.starts_at is None:
        return
    start = timezone.localtime(item.starts_at)
    for days in range(1, 8):
        for hour in (start.hour, 14, 15):
            moved = start.replace(hour=hour) + dt.timedelta(days=days)
            try:
                services.item_adjust(
                    actor=metodist, item=item, starts_at=moved,
                    note="Перенос по просьбе школы: в этот день родительское собрание.",
                )  # fmt: skip
            except (ValidationError, services.Clash):
                continue
            return


def _waiting(metodist, ctx, schools, subjects, monday) -> None:
    """A second schedule, run but not published: the metodist's «Сегодня» shows it."""
    subject = subjects.get("Окружающий мир") or subjects.get("Русский язык")
    if subject is None:
        return
    schedule = services.schedule_create(
        actor=metodist, municipality=ctx.municipality, title=WAITING,
        first_day=monday + dt.timedelta(days=14), last_day=monday + dt.timedelta(days=25),
        day_starts=dt.time(13), day_ends=dt.time(17), time_limit=3,
    )  # fmt: skip
    for school in schools[:4]:
        services.item_create(
            actor=metodist, schedule=schedule, kind=Item.Kind.VIEWING, subject_id=subject.pk,
            venue_ids=[school.pk], subject_teachers=True, duration=60,
            title=f"Вебинар «Проектные задачи в начальной школе» — {school.short_name}",
            webinar_url="https://my.webinar.ru/record/setka-demo-primary",
        )  # fmt: skip
    run = services.run_request(actor=metodist, schedule=schedule)
    services.run_execute(run.pk)
