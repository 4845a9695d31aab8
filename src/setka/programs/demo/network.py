"""The demo's network programmes under agreements (art. 15 of 273-ФЗ):

- «Робототехника» of the ДДТ with school №3, school №1 and the gymnasium: the journal demo's
  network group (taught by ``partner``, with ``student`` among its students) becomes the group
  of a real offer under an active agreement, credited by the schools as «Труд (технология)»;
  its members hold accepted applications and are in the group for the agreement's term;
- «Педагогика и менеджмент» of school №3 and the lyceum with the Pedagogical institute of ИГУ
  and the branch of the Байкальский гуманитарный институт: two modules for the 10th and 11th
  grades, one at a distance, one at the branch's rooms in school №3's building;
- a museum-pedagogy agreement of the museum and the library with two schools (in force), and
  a draft of school №5 with the house of culture."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from setka.journal.models import Bell, GroupMember, StudyGroup, Subject, TeachingAssignment
from setka.network.models import Institution, Membership

from ..forms.agreements import DEFAULTS
from ..models import Agreement, AgreementPart, AgreementParty, Application, Offer, OfferSlot

ROBOTICS_GROUP = "Робототехника (сетевая программа)"
CREDITED_AS = "Труд (технология)"


@dataclass
class Built:
    offers: list[Offer] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    agreements: int = 0


def moment(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def agreement(
    municipality_id: int,
    base: Institution,
    partners: list[Institution],
    *,
    number: str,
    programme: str,
    level: str,
    term: tuple[dt.date, dt.date],
    parts: list[tuple[Institution, str, int | None, str, str, str]],
    status: str = Agreement.Status.ACTIVE,
    **texts: str,
) -> Agreement:
    """An agreement with its parties (approved a fortnight before the term unless a draft)
    and its parts: (institution, title, hours, staff, premises, equipment)."""
    signed = term[0] - dt.timedelta(days=14)
    draft = status == Agreement.Status.DRAFT
    made = Agreement.objects.create(
        municipality_id=municipality_id,
        institution=base,
        number=number,
        programme=programme,
        level=level,
        place="г. Шелехов",
        starts_on=term[0],
        ends_on=term[1],
        status=status,
        agreed_at=None if draft else moment(signed),
        activated_at=moment(term[0] - dt.timedelta(days=7)) if status == "active" else None,
        **{**DEFAULTS, **texts},
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=made,
            institution=i,
            role=AgreementParty.Role.BASE if i == base else AgreementParty.Role.PARTNER,
            approved_at=None if draft else moment(signed),
        )
        for i in [base, *partners]
    )
    AgreementPart.objects.bulk_create(
        AgreementPart(agreement=made, institution=i, title=t, hours=h, staff=s, premises=p,
                      equipment=e, order=n)
        for n, (i, t, h, s, p, e) in enumerate(parts, start=1)
    )  # fmt: skip
    return made


def robotics(ctx, schools: list[Institution], people: dict[str, int]) -> Built | None:
    """The ДДТ's network group as the group of an offer under an agreement."""
    ddt = ctx.institutions.get("ddt")
    group = (
        StudyGroup.objects.filter(institution=ddt, name=ROBOTICS_GROUP, kind="network")
        .select_related("year")
        .order_by("-year__starts_on")
        .first()
    )
    if ddt is None or group is None:
        return None
    year = group.year
    assignment = TeachingAssignment.objects.filter(group=group).select_related("subject").first()
    members = list(GroupMember.objects.filter(group=group).order_by("id"))
    homes = {m.home_institution_id for m in members}
    partners = [s for s in schools if s.pk in homes]
    credited = Subject.objects.filter(municipality=ctx.municipality, name=CREDITED_AS).first()
    made = agreement(
        ctx.municipality.pk,
        ddt,
        partners,
        number=f"СФ-1/{ctx.year}",
        programme="Дополнительная общеобразовательная общеразвивающая программа технической "
        "направленности «Робототехника»",
        level="additional",
        term=(year.starts_on, year.ends_on),
        parts=[
            (ddt, "Модуль «Конструирование и программирование роботов»", 136,
             "Педагог дополнительного образования ДДТ", "Кабинет робототехники № 12 ДДТ",
             "12 наборов LEGO Education SPIKE Prime, 12 ноутбуков, поле для соревнований"),
            *((s, "Организация участия обучающихся и зачёт результатов по предмету "
                  f"«{CREDITED_AS}»", None, "Заместитель директора по УВР", "", "")
              for s in partners),
        ],
        credit_rules="Результаты промежуточной аттестации по модулю, реализуемому ДДТ, "
        f"засчитываются школами-участниками по учебному предмету «{CREDITED_AS}» на основании "
        "данных электронного журнала ДДТ (Setka), без повторной аттестации.",
    )  # fmt: skip
    bells = dict(Bell.objects.filter(year=year, shift=1).values_list("number", "starts_at"))
    ends = dict(Bell.objects.filter(year=year, shift=1).values_list("number", "ends_at"))
    starts_on = min((m.starts_on for m in members), default=year.starts_on)
    offer = Offer.objects.create(
        municipality=ctx.municipality,
        institution=ddt,
        title="Робототехника",
        description="Конструирование и программирование роботов LEGO SPIKE: датчики, моторы, "
        "алгоритмы; муниципальные и областные соревнования. Модуль сетевой программы ДДТ со "
        f"школами района: результаты засчитываются по предмету «{CREDITED_AS}».",
        kind="module",
        area="technology",
        subject=assignment.subject if assignment else None,
        grade_min=6,
        grade_max=8,
        room="каб. 12 (робототехника)",
        capacity=16,
        places_taken=len(members),
        applications_open_on=year.starts_on - dt.timedelta(days=14),
        applications_close_on=min(year.ends_on, ctx.today + dt.timedelta(days=30)),
        starts_on=starts_on,
        ends_on=year.ends_on,
        hours=136,
        is_credited=credited is not None,
        credited_subject=credited,
        agreement=made,
        group=group,
        status=Offer.Status.PUBLISHED,
    )
    if assignment is not None:
        offer.teachers.add(assignment.teacher_id)
    OfferSlot.objects.bulk_create(
        OfferSlot(offer=offer, weekday=day, starts_at=bells.get(1, dt.time(15)),
                  ends_at=ends.get(2, dt.time(16, 40)))
        for day in (2, 5)
    )  # fmt: skip
    GroupMember.objects.filter(group=group).update(ends_on=made.ends_on)
    built = Built(offers=[offer], agreements=1)
    for m in members:
        applicant = people["parent"] if m.student_id == people.get("student") else m.student_id
        built.applications.append(
            Application(
                offer=offer, institution=ddt, student_id=m.student_id, applicant_id=applicant,
                home_institution_id=m.home_institution_id, status=Application.Status.ACCEPTED,
                home_confirmed_at=moment(m.starts_on - dt.timedelta(days=5)),
                decided_at=moment(m.starts_on - dt.timedelta(days=3)), member=m,
            )
        )  # fmt: skip
    return built


def pedagogy(ctx, students: dict[int, dict[int, list[int]]], rng) -> Built | None:
    """School №3 and the lyceum with the Pedagogical institute and the BGI branch."""
    names = ("school-3", "lyceum", "pi-isu", "bgi-branch")
    if any(n not in ctx.institutions for n in names):
        return None
    school, lyceum, university, branch = (ctx.institutions[n] for n in names)
    term = (dt.date(ctx.year, 9, 1), dt.date(ctx.year + 1, 5, 31))
    made = agreement(
        ctx.municipality.pk,
        school,
        [lyceum, university, branch],
        number=f"СФ-2/{ctx.year}",
        programme="Образовательная программа среднего общего образования: "
        "психолого-педагогический и управленческий профиль («Педагогика и менеджмент»)",
        level="general",
        term=term,
        parts=[
            (university, "Модуль «Введение в педагогическую профессию»", 34,
             "Доцент кафедры педагогики ПИ ИГУ", "Дистанционно (платформа ИГУ); аудитории "
             "ПИ ИГУ для итоговой конференции", "Система видеоконференцсвязи"),
            (branch, "Модуль «Основы менеджмента и экономики организации»", 34,
             "Доцент кафедры менеджмента филиала БГИ", "Аудитория 305 филиала (здание СОШ № 3)",
             "Проектор, ноутбуки для деловых игр"),
            (school, "Учебный план профиля, зачёт результатов модулей", None,
             "Заместитель директора по УВР", "", ""),
            (lyceum, "Участие обучающихся лицея, зачёт результатов модулей", None,
             "Заместитель директора по УВР", "", ""),
        ],
    )  # fmt: skip
    society = Subject.objects.filter(municipality=ctx.municipality, name="Обществознание").first()
    teachers = dict(
        Membership.objects.filter(
            institution__in=[university, branch], role=Membership.Role.TEACHER
        )
        .order_by("person_id")
        .values_list("institution_id", "person_id")
    )
    built = Built(agreements=1)
    courses = [
        (university, "Введение в педагогическую профессию", "distance", "online", None,
         "Кто такой учитель сегодня; возрастная психология, первые пробы — уроки для младших "
         "школьников; итоговая конференция в ПИ ИГУ.", "career", 4, None),
        (branch, "Основы менеджмента", "part_time", "partner", school,
         "Организация и её цели, планирование, маркетинг и деловые игры; кейсы предприятий "
         "Шелехова. Занятия в аудитории филиала в здании СОШ № 3.", "social", 3, society),
    ]  # fmt: skip
    for provider, title, form, venue, host, text, area, weekday, credited in courses:
        offer = Offer.objects.create(
            municipality=ctx.municipality, institution=provider, title=title, description=text,
            kind="module", area=area, grade_min=10, grade_max=11, form=form, venue=venue,
            venue_institution=host, room="ауд. 305" if host else "",
            online_url="https://pi.isu.example/online/pedagogy" if venue == "online" else "",
            capacity=25, applications_open_on=term[0] - dt.timedelta(days=14),
            applications_close_on=min(term[1], ctx.today + dt.timedelta(days=21)),
            starts_on=term[0], ends_on=term[1], hours=34, is_credited=credited is not None,
            credited_subject=credited, agreement=made, status=Offer.Status.PUBLISHED,
        )  # fmt: skip
        if provider.pk in teachers:
            offer.teachers.add(teachers[provider.pk])
        OfferSlot.objects.create(offer=offer, weekday=weekday, starts_at=dt.time(15, 30),
                                 ends_at=dt.time(17))  # fmt: skip
        pool = [
            (person_id, home)
            for home in (school.pk, lyceum.pk)
            for grade in (10, 11)
            for person_id in students.get(home, {}).get(grade, [])
        ]
        chosen = rng.sample(pool, min(len(pool), 18))
        for n, (person_id, home) in enumerate(chosen):
            status = Application.Status.ACCEPTED if n < 14 else Application.Status.HOME_REVIEW
            built.applications.append(
                Application(
                    offer=offer, institution=provider, student_id=person_id,
                    applicant_id=person_id, home_institution_id=home, status=status,
                    home_confirmed_at=moment(term[0]) if n < 14 else None,
                    decided_at=moment(term[0] + dt.timedelta(days=2)) if n < 14 else None,
                )
            )  # fmt: skip
        offer.places_taken = min(14, len(chosen))
        offer.save(update_fields=["places_taken"])
        built.offers.append(offer)
    return built


def other_agreements(ctx) -> int:
    """Museum pedagogy in force, and a draft with the house of culture."""
    slugs = ("museum", "library", "school-2", "baklashi-school", "school-5", "dk-metallurg")
    if any(s not in ctx.institutions for s in slugs):
        return 0
    i = ctx.institutions
    term = (dt.date(ctx.year, 9, 1), dt.date(ctx.year + 1, 5, 31))
    agreement(
        ctx.municipality.pk, i["museum"], [i["library"], i["school-2"], i["baklashi-school"]],
        number=f"СФ-3/{ctx.year}", term=term, level="additional",
        programme="Дополнительная общеразвивающая программа «Музейная педагогика: история "
        "Шелехова и Прибайкалья»",
        parts=[(i["museum"], "Музейные уроки и экскурсии", 16, "Научные сотрудники музея",
                "Экспозиционные залы музея", "Мультимедийный гид"),
               (i["library"], "Краеведческие чтения и работа с фондом", 8, "Библиограф",
                "Читальный зал центральной библиотеки", "")],
    )  # fmt: skip
    agreement(
        ctx.municipality.pk, i["school-5"], [i["dk-metallurg"]], number="", term=term,
        level="additional", status=Agreement.Status.DRAFT,
        programme="Дополнительная общеразвивающая программа «Школьный театр»",
        parts=[(i["dk-metallurg"], "Сценическая практика на сцене ДК", 24,
                "Руководитель клубного формирования", "Малая сцена ДК «Металлург»",
                "Свет и звук сцены")],
    )  # fmt: skip
    return 2
