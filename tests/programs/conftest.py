"""The programmes of the ``world``: an active agreement of school №3 (the base) with the ДДТ,
the ДДТ's robotics course under it (by decision, credited as «Технология» at the home school,
with its network group in the ДДТ's journal, taught by the world's ``partner``) and school
№3's own elective for the 7th grade (first come, first served, two places)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from setka.journal.models import AcademicYear, StudyGroup, Subject
from setka.journal.services import structure, timetable
from setka.network.models import Membership
from setka.programs.models import Admission, Agreement, Offer
from setka.programs.services import agreements, offers
from setka.programs.services.offers import Slot

from .. import factories as f
from ..api.conftest import api  # noqa: F401 - JSON calls as any role
from ..clock import d
from ..journal.conftest import jw  # noqa: F401 - the school year of school №3

TERM = (d(2026, 9, 1), d(2027, 5, 31))


@dataclass
class ProgramsWorld:
    ddt_admin: object  # a User
    agreement: Agreement
    ddt_year: AcademicYear
    robotics: Subject
    technology: Subject
    offer: Offer  # the ДДТ's course under the agreement
    elective: Offer  # school №3's own
    group: StudyGroup


def offer_data(**extra) -> dict:
    data = {
        "title": "Робототехника",
        "description": "Конструирование и программирование роботов на Arduino.",
        "kind": "module",
        "area": "technology",
        "grade_min": 5,
        "grade_max": 9,
        "form": "full_time",
        "venue": "own",
        "room": "каб. 12",
        "capacity": 10,
        "admission": Admission.DECISION,
        "applications_open_on": d(2026, 11, 1),
        "applications_close_on": d(2026, 12, 20),
        "starts_on": d(2026, 9, 1),
        "ends_on": d(2027, 5, 31),
        "hours": 68,
    }
    data.update(extra)
    return data


TUESDAY_FRIDAY = [
    Slot(2, None, dt.time(15, 0), dt.time(16, 30)),
    Slot(5, None, dt.time(15, 0), dt.time(16, 30)),
]


def add_admin(world, institution, key: str):
    person = f.PersonFactory(
        municipality=world.municipality,
        surname="Админов",
        given_name=key,
        user=f.UserFactory(username=key),
    )
    f.MembershipFactory(
        person=person, institution=institution, role=Membership.Role.INSTITUTION_ADMIN
    )
    return person.user


@pytest.fixture
def pw(world, jw) -> ProgramsWorld:
    return build(world)


def build(world) -> ProgramsWorld:
    """The programmes of the world (school №3's year, ``jw``, must exist: it gives the
    student's grade). Built once per world."""
    if getattr(world, "_programs", None) is not None:
        return world._programs
    director = world.users["director"]
    ddt_admin = add_admin(world, world.ddt, "ddt_admin")
    agreement = agreements.agreement_create(
        actor=director,
        institution=world.school,
        data={
            "number": "7/26",
            "programme": "Робототехника и технологическое образование",
            "level": "additional",
            "place": "г. Шелехов",
            "student_status": "Обучающиеся базовой организации.",
            "credit_rules": "Результаты засчитываются по предмету «Технология».",
            "documents": "Справка об освоении части программы.",
            "changes_rules": "Дополнительным соглашением.",
            "termination_rules": "По истечении срока.",
            "starts_on": TERM[0],
            "ends_on": TERM[1],
        },
        partner_ids=[world.ddt.pk],
    )
    agreements.agreement_part_add(
        actor=director,
        agreement=agreement,
        institution_id=world.ddt.pk,
        data={"title": "Модуль «Робототехника»", "hours": 68, "premises": "каб. 12"},
    )
    agreements.agreement_approve(actor=director, agreement=agreement)
    agreements.agreement_approve(actor=ddt_admin, agreement=agreement)
    agreement = agreements.agreement_activate(actor=director, agreement=agreement)

    ddt_year = timetable.year_create(
        actor=ddt_admin,
        institution=world.ddt,
        name="2026/2027",
        starts_on=TERM[0],
        ends_on=TERM[1],
        periods=[(d(2026, 9, 1), d(2026, 12, 29)), (d(2027, 1, 11), d(2027, 5, 31))],
        period_scheme=AcademicYear.PeriodScheme.SEMESTERS,
        holidays=[],
    )
    structure.mark_kinds_ensure(world.ddt)
    robotics = structure.subject_get_or_create(world.municipality, "Робототехника", "робот")
    technology = structure.subject_get_or_create(world.municipality, "Технология", "техн")
    offer = offers.offer_create(
        actor=ddt_admin,
        institution=world.ddt,
        data=offer_data(
            subject=robotics, is_credited=True, credited_subject=technology, agreement=agreement
        ),
        slots=TUESDAY_FRIDAY,
        teacher_ids=[world.people["partner"].pk],
    )
    offers.offer_set_status(actor=ddt_admin, offer=offer, status=Offer.Status.PUBLISHED)
    group = offers.offer_group_create(actor=ddt_admin, offer=offer)
    elective = offers.offer_create(
        actor=director,
        institution=world.school,
        data=offer_data(
            title="Шахматы",
            description="Шахматный клуб для семиклассников.",
            kind="elective",
            area="sport",
            grade_min=7,
            grade_max=7,
            capacity=2,
            admission=Admission.FIRST_COME,
            hours=34,
        ),
        slots=[Slot(3, None, dt.time(14, 0), dt.time(15, 0))],
        teacher_ids=[world.people["teacher"].pk],
    )
    offers.offer_set_status(actor=director, offer=elective, status=Offer.Status.PUBLISHED)
    world._programs = ProgramsWorld(
        ddt_admin=ddt_admin,
        agreement=agreement,
        ddt_year=ddt_year,
        robotics=robotics,
        technology=technology,
        offer=Offer.objects.get(pk=offer.pk),
        elective=Offer.objects.get(pk=elective.pk),
        group=group,
    )
    return world._programs


def seventh_grader(world, jw, surname: str, school=None):
    """A new student of 7Б (school №3 by default) with a parent."""
    person = f.PersonFactory(municipality=world.municipality, surname=surname, given_name="Анна")
    f.MembershipFactory(
        person=person,
        institution=school or world.school,
        role=Membership.Role.STUDENT,
        position="7Б",
    )
    return person
