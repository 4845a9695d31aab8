"""The resource centres of the demo municipality (a build step of ``setka.network.demo``).

School №3, the lyceum and the ДДТ (the institutions the demo flags as resource centres)
publish rooms, equipment and specialists; other institutions book them over the weeks
around the demo's "today": most bookings confirmed, some in the past, one cancelled, and a
few waiting for the approval of the centre (at school №3, its ``director`` approves them;
they are told through the notification centre like real requests). The municipal scale
books the same resources for four months around today, several times a day (the data of
the benchmark's month calendar and feed).

Idempotent (a centre that already has resources is left alone: one query on a second run),
deterministic (``ctx.rng``), and fast: rows in bulk, no audit entries (seed data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from setka.network.demo import DemoContext, register_step
from setka.network.models import Institution, Membership

from . import notify
from .models import KIND_OF as KINDS
from .models import Booking, Category, Resource, Status, Window
from .timing import zone

WEEKDAYS = range(5)
SCHOOL_DAY = ((8, 0), (17, 0))


@dataclass(frozen=True)
class Spec:
    centre: str
    name: str
    category: str
    capacity: int | None
    features: tuple[str, ...]
    hours: tuple[tuple[int, int], tuple[int, int]] = SCHOOL_DAY
    days: tuple[int, ...] = tuple(WEEKDAYS)
    needs_approval: bool = True
    teachers_may_book: bool = False
    location: str = ""
    description: str = ""
    # The slots bookings take (local start hour, minute, length in minutes).
    slots: tuple[tuple[int, int, int], ...] = ((9, 0, 90), (11, 0, 90), (14, 0, 90))
    purposes: tuple[str, ...] = field(default_factory=tuple)


RESOURCES = [
    Spec("school-3", "Лаборатория химии и физики", Category.LABORATORY, 16,
         ("вытяжной шкаф", "цифровые датчики", "8 рабочих мест"), location="каб. 305",
         description="Практикумы и лабораторные работы по химии и физике для 8–11 классов.",
         purposes=("Лабораторная работа по химии, 9А", "Практикум по физике, 10Б",
                   "Подготовка к ОГЭ: эксперимент по химии", "Лабораторная работа по физике, 8В")),
    Spec("school-3", "Актовый зал", Category.ASSEMBLY_HALL, 220,
         ("сцена", "проектор и экран", "звукоусиление"), hours=((9, 0), (19, 0)),
         days=(0, 1, 2, 3, 4, 5), location="2 этаж",
         slots=((10, 0, 120), (15, 0, 120)),
         purposes=("Муниципальный семинар заместителей директоров", "Концерт к Дню матери",
                   "Защита проектов старшеклассников", "Районное родительское собрание")),
    Spec("school-3", "Комплект видеоконференцсвязи", Category.VIDEOCONFERENCE, 30,
         ("PTZ-камера", "спикерфон", "ноутбук", "Jitsi Meet"), needs_approval=False,
         teachers_may_book=True, hours=((8, 0), (18, 0)),
         description="Выдаётся с ноутбуком; настройку помогает провести инженер школы.",
         slots=((10, 0, 60), (13, 0, 60), (15, 30, 90)),
         purposes=("Вебинар «Функциональная грамотность»", "Дистанционный урок с лицеем",
                   "Открытый урок онлайн для ММО математиков")),
    Spec("school-3", "Педагог-психолог", Category.PSYCHOLOGIST, 25,
         ("групповые занятия", "консультации педагогов"), hours=((13, 0), (17, 0)),
         days=(1, 3), slots=((13, 30, 60), (15, 0, 60)),
         purposes=("Тренинг для классных руководителей",
                   "Занятие по профилактике стресса перед ОГЭ")),
    Spec("lyceum", "Лаборатория физики", Category.LABORATORY, 15,
         ("цифровая лаборатория", "оптическая скамья"), location="каб. 210",
         purposes=("Практикум по физике, 11А", "Исследовательский проект по оптике")),
    Spec("lyceum", "Мобильный класс (15 ноутбуков)", Category.MOBILE_CLASS, 15,
         ("15 ноутбуков", "точка доступа Wi-Fi"), needs_approval=False, teachers_may_book=True,
         purposes=("Компьютерное тестирование, 7Б", "Урок информатики в кабинете истории")),
    Spec("lyceum", "Методист по естественнонаучному образованию", Category.METHODOLOGIST, None,
         ("консультации", "посещение уроков"), days=(2,), hours=((14, 0), (17, 0)),
         slots=((14, 0, 60), (15, 30, 60)),
         purposes=("Консультация по рабочим программам", "Разбор открытого урока")),
    Spec("ddt", "Кабинет робототехники", Category.CLASSROOM, 12,
         ("наборы LEGO Education", "Arduino", "12 рабочих мест"), days=(0, 1, 2, 3, 4, 5),
         hours=((9, 0), (19, 0)), slots=((10, 0, 90), (15, 0, 90)),
         purposes=("Занятие сетевого курса «Робототехника»", "Подготовка к соревнованиям")),
    Spec("ddt", "3D-принтер", Category.PRINTER_3D, None, ("PLA", "область печати 22×22×25 см"),
         hours=((9, 0), (19, 0)), slots=((10, 0, 180), (14, 0, 180)),
         purposes=("Печать моделей для проекта", "Печать деталей робота")),
    Spec("ddt", "Учитель-логопед", Category.SPEECH_THERAPIST, None,
         ("консультации родителей и педагогов",), days=(0, 3), hours=((9, 0), (13, 0)),
         slots=((9, 30, 45), (11, 0, 45)),
         purposes=("Консультация для учителей начальных классов", "Логопедическое обследование")),
]  # fmt: skip
CENTRES = ("school-3", "lyceum", "ddt")


@register_step("resources")
def build_resources(ctx: DemoContext) -> None:
    centres = [ctx.institutions[s] for s in CENTRES if s in ctx.institutions]
    if not centres or Resource.objects.filter(institution__in=centres).exists():
        return
    resources = _resources(ctx, centres)
    bookings = _bookings(ctx, resources)
    Booking.objects.bulk_create(bookings, batch_size=2000)
    for booking in bookings:  # the centres' administrators learn of the waiting ones
        if booking.status == Status.PENDING and booking.starts_at.date() >= ctx.today:
            notify.booked(booking, actor=None)
    ctx.counts["resources"] = len(resources)
    ctx.counts["bookings"] = len(bookings)
    ctx.write(f"Resource centres: {len(resources)} resources, {len(bookings)} bookings.")


def _resources(ctx: DemoContext, centres: list[Institution]) -> list[tuple[Spec, Resource]]:
    by_slug = {c.slug: c for c in centres}
    out, windows = [], []
    for spec in RESOURCES:
        if spec.centre not in by_slug:
            continue
        resource = Resource.objects.create(
            institution=by_slug[spec.centre],
            kind=KINDS[spec.category],
            category=spec.category,
            name=spec.name,
            description=spec.description,
            location=spec.location,
            capacity=spec.capacity,
            features=list(spec.features),
            needs_approval=spec.needs_approval,
            teachers_may_book=spec.teachers_may_book,
        )
        (h1, m1), (h2, m2) = spec.hours
        windows += [
            Window(resource=resource, weekday=d, starts_at=dt.time(h1, m1), ends_at=dt.time(h2, m2))
            for d in spec.days
        ]
        out.append((spec, resource))
    Window.objects.bulk_create(windows)
    return out


def _bookers(ctx: DemoContext) -> list[tuple[Institution, int]]:
    """Institutions that book (each with an administrator who books): the schools and the
    other institutions that are not resource centres."""
    admins: dict[int, int] = {}
    for institution_id, person_id in (
        Membership.objects.active(ctx.today)
        .filter(institution__municipality=ctx.municipality, role=Membership.Role.INSTITUTION_ADMIN)
        .order_by("institution_id", "person_id")
        .values_list("institution_id", "person_id")
    ):
        admins.setdefault(institution_id, person_id)
    return [
        (i, admins[i.pk])
        for slug, i in sorted(ctx.institutions.items())
        if slug not in CENTRES and i.pk in admins
    ]


def _bookings(ctx: DemoContext, resources: list[tuple[Spec, Resource]]) -> list[Booking]:
    municipal = ctx.scale != "demo"
    back, ahead = (60, 120) if municipal else (14, 28)
    chance = 0.9 if municipal else 0.45
    tz = zone(ctx.municipality.time_zone)
    bookers = _bookers(ctx)
    if not bookers:
        return []
    out: list[Booking] = []
    for spec, resource in resources:
        rng = ctx.rng(f"resources:{spec.centre}:{spec.name}")
        for offset in range(-back, ahead + 1):
            day = ctx.today + dt.timedelta(days=offset)
            if day.weekday() not in spec.days:
                continue
            for hour, minute, length in spec.slots:
                if rng.random() > chance:
                    continue
                institution, person = rng.choice(bookers)
                start = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)
                future = day > ctx.today
                status = Status.CONFIRMED
                if spec.needs_approval and future and rng.random() < 0.15:
                    status = Status.PENDING
                elif future and rng.random() < 0.04:
                    status = Status.CANCELLED
                out.append(
                    Booking(
                        resource=resource,
                        owner_id=resource.institution_id,
                        institution=institution,
                        booked_by_id=person,
                        starts_at=start,
                        ends_at=start + dt.timedelta(minutes=length),
                        purpose=rng.choice(spec.purposes) if spec.purposes else spec.name,
                        party_size=min(spec.capacity, 25) if spec.capacity else None,
                        status=status,
                        decided_by_id=None,
                        created_at=start - dt.timedelta(days=rng.randint(3, 20)),
                        note="Перенос мероприятия" if status == Status.CANCELLED else "",
                    )
                )
    _ensure_examples(out, ctx.today)
    return out


def _ensure_examples(bookings: list[Booking], today: dt.date) -> None:
    """At least one waiting and one cancelled booking of school №3's laboratory in the coming
    weeks, whatever the generator chose (the demo's walk-through shows them)."""
    lab = [b for b in bookings if b.resource.name == RESOURCES[0].name]
    coming = [b for b in lab if b.starts_at.date() > today and b.status == Status.CONFIRMED]
    statuses = {b.status for b in lab if b.starts_at.date() > today}
    if Status.PENDING not in statuses and len(coming) > 2:
        coming[2].status = Status.PENDING
    if Status.CANCELLED not in statuses and len(coming) > 4:
        coming[4].status = Status.CANCELLED
        coming[4].note = "Перенос мероприятия"
