"""The people of the demo municipality, generated in memory as unsaved model instances
(the builder inserts them in bulk). Everything comes from ``random.Random`` seeded by the
demo seed and the institution's slug, so the same run on an empty database always gives the
same people."""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from setka.network.models import Guardianship, Institution, Membership, MunicipalRole, Person

from . import names as n
from .institutions import TEACHER, InstitutionSpec
from .staffing import (
    ADMIN,
    DEMO_PEOPLE,
    DEMO_SIBLING,
    DEMO_SIBLING_SEAT,
    DEMO_STUDENT_SEAT,
    LETTERS,
    STUDENT,
    SUBJECTS,
    other_positions,
    school_positions,
)


@dataclass
class Plan:
    """Unsaved rows in insertion order. Foreign keys point at unsaved instances; the
    builder saves parents first, and ``bulk_create`` picks up their new ids."""

    institutions: list[Institution] = field(default_factory=list)
    users: list = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    municipal_roles: list[MunicipalRole] = field(default_factory=list)
    guardianships: list[Guardianship] = field(default_factory=list)
    logins: dict[str, Person] = field(default_factory=dict)


@dataclass
class _Family:
    stem: str  # the surname in its masculine form
    father_name: str
    parents: list[tuple[Person, str]]
    grades: list[int]


@dataclass
class _Seat:
    spec: InstitutionSpec
    institution: Institution
    grade: int
    label: str
    index: int


def academic_year(on: dt.date) -> int:
    """The year the current school year began (1 September)."""
    return on.year if on.month >= 9 else on.year - 1


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class Generator:
    def __init__(
        self,
        *,
        seed: int,
        municipality,
        year: int,
        password_hash: str,
        taken_handles: set[str],
        students_per_class: int | None = None,
        attended: dict[str, tuple[InstitutionSpec, Institution]] | None = None,
    ) -> None:
        self.seed = seed
        self.municipality = municipality
        self.year = year
        self.password_hash = password_hash
        self.handles = n.Handles(taken_handles | set(DEMO_PEOPLE))
        self.students_per_class = students_per_class
        self.attended = attended or {}  # slug -> additional-education institution
        self.plan = Plan()
        self.user_model = get_user_model()

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    # --- people and accounts -------------------------------------------------------------

    def person(
        self,
        names: tuple[str, str, str],
        *,
        rng: random.Random,
        birth: dt.date | None = None,
        domain: str = "",
        phone: str = "",
        account: str = "",  # "" (none), "usable" (the demo password), "unusable"
        login: str = "",
    ) -> Person:
        surname, given, patronymic = names
        handle = ""
        if domain or (account and not login):
            handle = self.handles.make(n.login_base(surname, given, patronymic))
        email = f"{handle}@{domain}" if domain else ""
        user = None
        if account:
            password = self.password_hash
            if account != "usable":
                password = "!" + "".join(rng.choices(string.ascii_letters + string.digits, k=40))
            user = self.user_model(
                username=login or handle,
                email=email,
                password=password,
                first_name=given,
                last_name=surname,
            )
            self.plan.users.append(user)
        person = Person(
            municipality=self.municipality,
            user=user,
            surname=surname,
            given_name=given,
            patronymic=patronymic,
            email=email,
            phone=phone,
            birth_date=birth,
        )
        self.plan.people.append(person)
        if login:
            self.plan.logins[login] = person
        return person

    def member(
        self,
        person: Person,
        institution: Institution,
        role: str,
        position: str,
        *,
        starts_on: dt.date,
        ends_on: dt.date | None = None,
    ) -> Membership:
        membership = Membership(
            person=person,
            institution=institution,
            role=role,
            position=position,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        self.plan.memberships.append(membership)
        return membership

    def _hired_on(self, rng: random.Random, spec: InstitutionSpec) -> dt.date:
        first = max(spec.founded_on.year, self.year - 35)
        return dt.date(rng.randint(first, self.year), 8, 25)

    # --- employees -------------------------------------------------------------------------

    def employees(self, spec: InstitutionSpec, institution: Institution) -> None:
        rng = self.rng(f"staff:{spec.slug}")
        positions = school_positions(spec) if spec.is_school else other_positions(spec)
        head_login = "director" if spec.slug == "school-3" else ""
        director = self._employee(rng, spec, head_login, gender=n.MALE if head_login else "")
        self.member(
            director, institution, ADMIN, spec.head_position, starts_on=self._hired_on(rng, spec)
        )
        institution.head_name = director.full_name
        methodologists = 0
        for role, position, login in positions:
            account = "unusable" if role == ADMIN or rng.random() < 0.5 else ""
            person = self._employee(rng, spec, login, account=account)
            self.member(person, institution, role, position, starts_on=self._hired_on(rng, spec))
            # The ИМЦ's first two methodologists are the municipality's methodologists.
            if spec.slug == "imc" and position == "методист" and methodologists < 2:
                methodologists += 1
                self.plan.municipal_roles.append(
                    self._municipal_role(person, MunicipalRole.Role.METHODOLOGIST)
                )
        # One teacher who has left: the history of who worked where is kept.
        former = self._employee(rng, spec, "")
        role = TEACHER if spec.is_school else positions[-1][0]
        position = positions[-1][1] if not spec.is_school else rng.choice(SUBJECTS)[0]
        starts = dt.date(self.year - 6, 9, 1)
        self.member(
            former, institution, role, position, starts_on=starts, ends_on=dt.date(self.year, 6, 30)
        )

    def _employee(self, rng, spec, login: str, *, account: str = "", gender: str = "") -> Person:
        if login:
            names = DEMO_PEOPLE[login]
            account = "usable"
        else:
            gender = gender or (n.FEMALE if rng.random() < 0.8 else n.MALE)
            names = n.adult_name(rng, gender)
        phone = n.mobile_phone(rng) if rng.random() < 0.3 else ""
        return self.person(
            names, rng=rng, domain=spec.domain, phone=phone, account=account, login=login
        )

    def _municipal_role(self, person: Person, role: str, position: str = "") -> MunicipalRole:
        return MunicipalRole(
            person=person,
            municipality=self.municipality,
            role=role,
            position=position,
            starts_on=dt.date(self.year - 3, 9, 1),
        )

    def municipal_admin(self) -> None:
        rng = self.rng("admin")
        person = self.person(
            DEMO_PEOPLE["admin"],
            rng=rng,
            domain="shelekhov-edu.example",
            phone="+7 (39550) 4-10-01",
            account="usable",
            login="admin",
        )
        self.plan.municipal_roles.append(
            self._municipal_role(
                person, MunicipalRole.Role.MUNICIPAL_ADMIN, "начальник управления образования"
            )
        )

    # --- students and families -------------------------------------------------------------

    def students(self, schools: list[tuple[InstitutionSpec, Institution]]) -> None:
        seats = []
        for spec, institution in schools:
            rng = self.rng(f"classes:{spec.slug}")
            for grade, parallels in enumerate(spec.parallels, start=1):
                for p in range(parallels):
                    size = self.students_per_class or rng.randint(*spec.class_size)
                    label = f"{grade}{LETTERS[p]}"
                    seats += [_Seat(spec, institution, grade, label, i) for i in range(size)]
        rng = self.rng("families:" + ",".join(spec.slug for spec, _ in schools))
        families: list[_Family] = []
        demo_family = None
        for seat in seats:
            where = (seat.spec.slug, seat.label)
            if seat.index == 0 and where == DEMO_STUDENT_SEAT:
                demo_family = self._demo_family(rng)
                self._child(rng, seat, demo_family, names=DEMO_PEOPLE["student"], login="student")
                continue
            if seat.index == 0 and where == DEMO_SIBLING_SEAT and demo_family is not None:
                self._child(rng, seat, demo_family, names=DEMO_SIBLING)
                continue
            family = self._sibling_family(rng, families, seat.grade)
            if family is None:
                family = self._family(rng)
                families.append(family)
            self._child(rng, seat, family)

    def _sibling_family(self, rng, families: list[_Family], grade: int) -> _Family | None:
        if not families or rng.random() > 0.2:
            return None
        family = rng.choice(families)
        if len(family.grades) >= 3 or any(abs(g - grade) < 2 for g in family.grades):
            return None
        return family

    def _family(self, rng: random.Random) -> _Family:
        stem = rng.choice(n.SURNAMES)
        father_name = rng.choice(n.ADULT_MALE)
        family = _Family(stem, father_name, [], [])
        roll = rng.random()
        if roll < 0.02:  # a grandmother is the guardian
            names = (n.surname_for(stem, n.FEMALE), rng.choice(n.ADULT_FEMALE),
                     n.patronymic_for(rng.choice(n.OLDER_MALE), n.FEMALE))  # fmt: skip
            family.parents.append((self._parent(rng, names), Guardianship.Kind.GUARDIAN))
            return family
        if roll < 0.95:
            mother_stem = stem if rng.random() < 0.85 else rng.choice(n.SURNAMES)
            names = (n.surname_for(mother_stem, n.FEMALE), rng.choice(n.ADULT_FEMALE),
                     n.patronymic_for(rng.choice(n.OLDER_MALE), n.FEMALE))  # fmt: skip
            family.parents.append((self._parent(rng, names), Guardianship.Kind.MOTHER))
        if roll >= 0.95 or rng.random() < 0.55:
            names = (stem, father_name, n.patronymic_for(rng.choice(n.OLDER_MALE), n.MALE))
            family.parents.append((self._parent(rng, names), Guardianship.Kind.FATHER))
        return family

    def _demo_family(self, rng: random.Random) -> _Family:
        mother = self.person(
            DEMO_PEOPLE["parent"],
            rng=rng,
            domain="mail.example",
            phone="+7 (914) 555-03-07",
            account="usable",
            login="parent",
        )
        father = self._parent(rng, ("Кузнецов", "Андрей", "Николаевич"))
        return _Family(
            "Кузнецов",
            "Андрей",
            [(mother, Guardianship.Kind.MOTHER), (father, Guardianship.Kind.FATHER)],
            [],
        )

    def _parent(self, rng: random.Random, names: tuple[str, str, str]) -> Person:
        domain = "mail.example" if rng.random() < 0.4 else ""
        return self.person(names, rng=rng, domain=domain, phone=n.mobile_phone(rng))

    def _child(self, rng, seat: _Seat, family: _Family, *, names=None, login: str = "") -> None:
        if names is None:
            gender = rng.choice((n.MALE, n.FEMALE))
            given = rng.choice(n.CHILD_MALE if gender == n.MALE else n.CHILD_FEMALE)
            names = (
                n.surname_for(family.stem, gender),
                given,
                n.patronymic_for(family.father_name, gender),
            )
        # A first-grader is 6.5-7.5 years old on 1 September.
        born_from = dt.date(self.year - 6 - seat.grade, 3, 1)
        birth = _random_date(rng, born_from, dt.date(self.year - 5 - seat.grade, 2, 28))
        child = self.person(names, rng=rng, birth=birth, account="usable" if login else "",
                            login=login)  # fmt: skip
        family.grades.append(seat.grade)
        entered = self.year - seat.grade + 1
        if rng.random() < 0.12:  # moved here from another school
            entered = rng.randint(entered, self.year)
        self.member(child, seat.institution, STUDENT, seat.label, starts_on=dt.date(entered, 9, 1))
        for parent, kind in family.parents:
            starts = birth
            if kind == Guardianship.Kind.GUARDIAN:  # appointed when the child went to school
                starts = max(birth, dt.date(entered, 6, 1))
            self.plan.guardianships.append(
                Guardianship(
                    municipality=self.municipality,
                    guardian=parent,
                    student=child,
                    kind=kind,
                    starts_on=starts,
                )
            )
        if login:
            return
        for spec, institution in self.attended.values():
            share, associations = spec.attendance or (0.0, ())
            if rng.random() < share:
                starts = dt.date(max(entered, self.year - rng.randint(0, 2)), 9, 1)
                position = f"объединение «{rng.choice(associations)}»"
                self.member(child, institution, STUDENT, position, starts_on=starts)
