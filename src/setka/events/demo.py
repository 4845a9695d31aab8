"""The municipal calendar of the demo (a build step of ``setka.network.demo``).

The showcase, built through the services (so the journal link, the audit and the rules
hold): the `teacher`'s open lesson of 7Б at school №3 a few days ago with remote
participation (Jitsi), its observers checked in and their filled protocols and the recording;
open lessons coming at the gymnasium and school №5; a webinar of the ИМЦ (an external link)
with group viewings at three schools; master classes at the ДДТ; the monthly meetings of
the mathematics association (a series); a seminar for deputy heads. The `teacher` is
registered for some and hosts one. Then the calendar of the year around them, scaled with
the demo (~3,000 events at the municipal scale), written in bulk.

Idempotent: a second run finds the showcase and adds nothing (one query). It runs before
the municipal schedule builder's step (``setka.schedule`` comes later in INSTALLED_APPS)
and leaves the weeks after next free of viewings for it."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from setka.core import clock
from setka.journal.models import Bell, Lesson, Subject, TeachingAssignment
from setka.network.demo import DemoContext, register_step
from setka.network.models import Membership

from .models import Event, Kind, Mode, Protocol, Provider, Registration, Score, Status
from .services import criteria_ensure, event_create, recording_publish

SHOWCASE = "Открытый урок: решение задач на движение"
MATHS = ("Алгебра", "Геометрия", "Математика")
PER_INSTITUTION = {"demo": 8, "municipal": 80}  # ~37 institutions: ~3,000 a year
TITLES = {
    Kind.OPEN_LESSON: ["Открытый урок: {subject}", "Урок-исследование: {subject}",
                       "Открытый урок с применением ЦОР: {subject}"],
    Kind.SEMINAR: ["Семинар: формирующее оценивание ({subject})",
                   "Семинар: функциональная грамотность на уроках ({subject})"],
    Kind.MASTER_CLASS: ["Мастер-класс: интерактивная доска на уроке ({subject})",
                        "Мастер-класс: проектная задача ({subject})"],
    Kind.ASSOCIATION: ["Заседание ШМО учителей ({subject})"],
    Kind.WEBINAR: ["Вебинар: подготовка к ГИА ({subject})"],
}  # fmt: skip


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _weekday(day: dt.date, step: int = 1) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


@register_step("events")
def build_events(ctx: DemoContext) -> None:
    if Event.objects.filter(municipality=ctx.municipality, title=SHOWCASE).exists():
        return
    users = {u.username: u for u in get_user_model().objects.select_related("person").filter(
        username__in=["metodist", "teacher", "director", "partner"])}  # fmt: skip
    if len(users) < 4 or "school-3" not in ctx.institutions:
        return
    criteria_ensure(ctx.municipality.pk)
    subjects = {s.name: s for s in Subject.objects.filter(municipality=ctx.municipality)}
    _showcase(ctx, users, subjects)
    _year(ctx, subjects)
    ctx.counts["events"] = Event.objects.filter(municipality=ctx.municipality).count()


def _open_lesson_slot(ctx: DemoContext, teacher_id: int, past: bool) -> tuple[Lesson, Bell] | None:
    """A maths lesson of the teacher a few days ago (or next week) and its bell."""
    if past:
        days = (ctx.today - dt.timedelta(days=7), ctx.today - dt.timedelta(days=1))
    else:
        days = (ctx.today + dt.timedelta(days=5), ctx.today + dt.timedelta(days=12))
    lessons = (
        Lesson.objects.filter(
            teacher_id=teacher_id, date__range=days, subject__name__in=MATHS, group__name="7Б"
        )
        .select_related("group", "subject")
        .order_by("-date" if past else "date", "number")
    )
    for lesson in lessons[:10]:
        bell = Bell.objects.filter(
            year_id=lesson.year_id, shift=lesson.group.shift, number=lesson.number
        ).first()
        if bell is not None:
            return lesson, bell
    return None


def _showcase(ctx: DemoContext, users: dict, subjects: dict) -> None:
    metodist, teacher = users["metodist"], users["teacher"]
    inst = ctx.institutions
    maths = [subjects[n] for n in MATHS if n in subjects]
    rng = ctx.rng("events:showcase")
    observers = list(
        Membership.objects.active(ctx.today)
        .filter(role=Membership.Role.TEACHER, institution__in=[inst[s] for s in inst
                if s in ("school-3", "gymnasium", "school-1", "school-5")])
        .exclude(person_id=teacher.person.pk)
        .values_list("person_id", flat=True)[:60]
    )  # fmt: skip
    observers = rng.sample(observers, min(len(observers), 5))
    slot = _open_lesson_slot(ctx, teacher.person.pk, past=True)
    if slot is not None:
        lesson, bell = slot
        starts = _at(lesson.date, bell.starts_at.hour, bell.starts_at.minute)
        ends = _at(lesson.date, bell.ends_at.hour, bell.ends_at.minute)
        event = event_create(
            actor=metodist, institution=inst["school-3"], kind=Kind.OPEN_LESSON, title=SHOWCASE,
            description="Урок в 7Б по теме «Решение задач на движение» с работой в группах и "
                        "самопроверкой по эталону. Для онлайн-участников — трансляция из класса.",
            subject=lesson.subject, hosts=[teacher.person.pk], group=lesson.group, starts_at=starts,
            ends_at=ends, venue=inst["school-3"], room=lesson.room or "21",
            capacity_in_person=6, capacity_remote=30, provider=Provider.JITSI,
            topic="Решение задач на движение", status=Status.PUBLISHED,
            goals="Научить составлять модель задачи на движение (схема, таблица, уравнение).",
            planned_results="Учащиеся составляют таблицу «скорость — время — расстояние» и "
                            "уравнение по условию; оценивают свою работу по критериям.",
            audience_subjects=maths, materials="https://school3.shelekhov.example/open-lesson",
        )  # fmt: skip
        moment = event.starts_at - dt.timedelta(days=3)
        regs = [
            Registration(event=event, person_id=pid, mode=Mode.IN_PERSON if i < 3 else Mode.REMOTE,
                         status=Registration.Status.REGISTERED, created_at=moment,
                         checked_in_at=starts if i < 3 else None,
                         joined_at=starts + dt.timedelta(minutes=2) if i >= 3 else None)
            for i, pid in enumerate(observers)
        ]  # fmt: skip
        Registration.objects.bulk_create(regs)
        criteria = criteria_ensure(ctx.municipality.pk)
        comments = ["Хорошая мотивация в начале урока", "Удачная работа в группах", "",
                    "Не хватило времени на рефлексию", ""]  # fmt: skip
        for pid in observers[:4]:
            protocol = Protocol.objects.create(event=event, observer_id=pid,
                                               comment=rng.choice(comments))  # fmt: skip
            Score.objects.bulk_create(
                Score(protocol=protocol, criterion=c, value=rng.choice([1, 2, 2]),
                      comment=rng.choice(comments))
                for c in criteria
            )  # fmt: skip
        Event.objects.filter(pk=event.pk).update(status=Status.FINISHED)
        event.status = Status.FINISHED
        recording_publish(actor=teacher, event=event,
                          url="https://video.shelekhov.example/open-lesson-7b")  # fmt: skip
    _coming(ctx, users, subjects)


def _teacher_of(institution, subject) -> int | None:
    return (
        TeachingAssignment.objects.filter(institution=institution, subject=subject)
        .values_list("teacher_id", flat=True)
        .first()
    )


def _coming(ctx: DemoContext, users: dict, subjects: dict) -> None:
    metodist, teacher, partner = users["metodist"], users["teacher"], users["partner"]
    inst = ctx.institutions
    maths = [subjects[n] for n in MATHS if n in subjects]
    russian = subjects.get("Русский язык")
    soon = _weekday(ctx.today + dt.timedelta(days=6))
    created = []

    def make(**fields):
        fields.setdefault("status", Status.PUBLISHED)
        event = event_create(actor=metodist, **fields)
        created.append(event)
        return event

    coming = [("gymnasium", russian, soon, 10)]
    if maths:
        coming.append(("school-5", maths[0], _weekday(soon + dt.timedelta(days=2)), 11))
    for slug, subject, day, hour in coming:
        if slug in inst and subject is not None and (host := _teacher_of(inst[slug], subject)):
            group = (
                TeachingAssignment.objects.filter(
                    institution=inst[slug], subject=subject, teacher_id=host
                )
                .select_related("group")
                .first()
                .group
            )  # type: ignore[union-attr]
            make(institution=inst[slug], kind=Kind.OPEN_LESSON, subject=subject, group=group,
                 title=f"Открытый урок: {subject.name}, {group.name}", hosts=[host],
                 starts_at=_at(day, hour), ends_at=_at(day, hour, 40), venue=inst[slug],
                 room="31", capacity_in_person=8, audience_subjects=[subject],
                 topic="Урок открытия нового знания")  # fmt: skip
    webinar_day = _weekday(ctx.today + dt.timedelta(days=8))
    webinar = make(
        institution=inst["imc"], kind=Kind.WEBINAR, capacity_remote=300,
        title="Вебинар: функциональная грамотность — математическая грамотность",
        description="Вебинар федерального центра; ИМЦ собирает участников. Групповые "
                    "просмотры — в школах № 1, 3 и гимназии.",
        starts_at=_at(webinar_day, 15), ends_at=_at(webinar_day, 16, 30),
        provider=Provider.EXTERNAL, external_url="https://my.webinar.ru/event/setka-demo",
    )  # fmt: skip
    services_register(teacher, webinar, Mode.REMOTE)
    for slug, room in (("school-1", "Кабинет информатики"), ("school-3", "Актовый зал"),
                       ("gymnasium", "Медиатека")):  # fmt: skip
        if slug in inst:
            make(
                institution=inst[slug], kind=Kind.WEBINAR, venue=inst[slug], room=room,
                title=f"Групповой просмотр вебинара «{webinar.title[9:]}»",
                description="Коллективный просмотр с обсуждением. "
                            f"Вебинар: /events/{webinar.pk}/",
                starts_at=webinar.starts_at, ends_at=webinar.ends_at, capacity_in_person=20,
            )  # fmt: skip
    if "ddt" in inst:
        host = partner.person.pk
        classes = (("Мастер-класс: робототехника для начинающих", 3),
                   ("Мастер-класс: 3D-моделирование на уроках", 10))  # fmt: skip
        for i, (title, days) in enumerate(classes):
            day = _weekday(ctx.today + dt.timedelta(days=days))
            event = make(
                institution=inst["ddt"], kind=Kind.MASTER_CLASS, title=title, hosts=[host],
                venue=inst["ddt"], room=f"Каб. {12 + i}", starts_at=_at(day, 15),
                ends_at=_at(day, 16, 30), capacity_in_person=12, for_students=True,
                grade_min=5, grade_max=9,
            )  # fmt: skip
            if i == 0:
                services_register(teacher, event, Mode.IN_PERSON)
    if maths:
        first = _weekday(ctx.today + dt.timedelta(days=2))
        series = make(institution=inst["imc"], kind=Kind.ASSOCIATION, subject=maths[0],
                      title="Заседание ГМО учителей математики", venue=inst["imc"],
                      room="Методический кабинет", starts_at=_at(first, 15, 30),
                      ends_at=_at(first, 17), capacity_in_person=40, capacity_remote=40,
                      provider=Provider.JITSI, audience_subjects=maths,
                      repeat={"frequency": "MONTHLY", "interval": 1, "count": 5})  # fmt: skip
        services_register(teacher, series, Mode.IN_PERSON)
    day = _weekday(ctx.today + dt.timedelta(days=9))
    make(institution=inst["imc"], kind=Kind.SEMINAR, venue=inst["imc"], room="Зал заседаний",
         title="Семинар заместителей директоров: внутришкольный контроль", capacity_in_person=30,
         starts_at=_at(day, 10), ends_at=_at(day, 12))  # fmt: skip


def services_register(user, event: Event, mode: str) -> None:
    from .services import registration_create

    registration_create(actor=user, event=event, mode=mode)


def _year(ctx: DemoContext, subjects: dict) -> None:
    """The rest of the school year's calendar, in bulk: each general school and the ДДТ hold
    open lessons, seminars, master classes and association meetings."""
    per = PER_INSTITUTION.get(ctx.scale, 8)
    if ctx.students_per_class is not None:
        per = 2  # the reduced demo of the tests
    start = dt.date(ctx.year, 9, 1)
    end = dt.date(ctx.year + 1, 5, 25)
    span = (end - start).days
    names = [s for s in subjects.values() if s.name != "Физическая культура"][:14]
    if not names:
        return
    institutions = [i for s, i in sorted(ctx.institutions.items())
                    if i.kind in ("school", "lyceum", "gymnasium", "ddt")]  # fmt: skip
    teachers: dict[int, list[int]] = {}
    for inst_id, person_id in (
        Membership.objects.active(ctx.today)
        .filter(institution__in=institutions, role=Membership.Role.TEACHER)
        .values_list("institution_id", "person_id")
    ):
        teachers.setdefault(inst_id, []).append(person_id)
    now = clock.now()
    rows, hosts = [], []
    kinds = [Kind.OPEN_LESSON] * 4 + [Kind.SEMINAR, Kind.MASTER_CLASS, Kind.ASSOCIATION,
                                      Kind.WEBINAR]  # fmt: skip
    for institution in institutions:
        rng = random.Random(f"{ctx.seed}:events:{institution.slug}")  # noqa: S311 - demo data
        staff = teachers.get(institution.pk) or []
        for _n in range(per):
            kind = rng.choice(kinds)
            subject = rng.choice(names)
            day = _weekday(start + dt.timedelta(days=rng.randrange(span)))
            hour = rng.choice([9, 10, 11, 14, 15, 16])
            starts = _at(day, hour, rng.choice([0, 30]))
            ends = starts + dt.timedelta(minutes=rng.choice([40, 45, 60, 90]))
            online = kind == Kind.WEBINAR or rng.random() < 0.3
            rows.append(Event(
                municipality=ctx.municipality, institution=institution, kind=kind,
                title=rng.choice(TITLES[kind]).format(subject=subject.name),
                subject=subject, starts_at=starts, ends_at=ends, venue=institution,
                room=str(rng.randrange(10, 45)), capacity_in_person=rng.choice([10, 15, 20, 30]),
                capacity_remote=50 if online else 0, provider=Provider.JITSI if online else "",
                status=Status.FINISHED if ends < now else Status.PUBLISHED,
                for_students=kind == Kind.MASTER_CLASS, created_at=now, updated_at=now,
            ))  # fmt: skip
            hosts.append(rng.choice(staff) if staff else None)
    created = Event.objects.bulk_create(rows, batch_size=1000)
    through = Event.hosts.through
    through.objects.bulk_create(
        [through(event_id=e.pk, person_id=h) for e, h in zip(created, hosts, strict=True) if h],
        batch_size=2000,
    )
