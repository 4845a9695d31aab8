"""Who works where: the positions of a school's staff, and the people behind the demo
logins (DESIGN.md §5)."""

from __future__ import annotations

from setka.network.models import Membership

from .institutions import TEACHER, InstitutionSpec

ADMIN, STAFF, STUDENT = (
    Membership.Role.INSTITUTION_ADMIN,
    Membership.Role.STAFF,
    Membership.Role.STUDENT,
)
LETTERS = "АБВГДЕ"
MATHS = "учитель математики"
# Subject teachers of grades 5-11: (position, weight). Every school has at least one of each.
SUBJECTS = [
    (MATHS, 4.0),
    ("учитель русского языка и литературы", 4.0),
    ("учитель английского языка", 2.5),
    ("учитель истории и обществознания", 1.6),
    ("учитель физической культуры", 1.5),
    ("учитель физики", 1.0),
    ("учитель биологии", 0.8),
    ("учитель химии", 0.7),
    ("учитель географии", 0.7),
    ("учитель информатики", 0.7),
    ("учитель технологии", 0.7),
    ("учитель музыки", 0.4),
    ("учитель изобразительного искусства", 0.4),
    ("учитель ОБЗР", 0.3),
]
SCHOOL_STAFF = ["педагог-психолог", "социальный педагог", "педагог-библиотекарь", "секретарь"]
DEPUTIES = [
    "заместитель директора по учебно-воспитательной работе",
    "заместитель директора по воспитательной работе",
]
# The demo logins and the people they are (DESIGN.md §5).
DEMO_PEOPLE = {
    "admin": ("Соколова", "Ольга", "Николаевна"),
    "metodist": ("Белоусова", "Ирина", "Владимировна"),
    "director": ("Громов", "Андрей", "Викторович"),
    "teacher": ("Лебедева", "Наталья", "Сергеевна"),
    "student": ("Кузнецова", "Дарья", "Андреевна"),
    "parent": ("Кузнецова", "Светлана", "Юрьевна"),
    "partner": ("Орлов", "Игорь", "Павлович"),
}
DEMO_STUDENT_SEAT = ("school-3", "7Б")
DEMO_SIBLING_SEAT = ("gymnasium", "3А")
DEMO_SIBLING = ("Кузнецов", "Михаил", "Андреевич")
PARTNER_POSITION = (
    "педагог дополнительного образования (робототехника), ведёт сетевой курс "
    "«Робототехника» для МБОУ ШР «СОШ № 3»"
)


def school_positions(spec: InstitutionSpec) -> list[tuple[str, str, str]]:
    """(role, position, demo login) of the employees of a general school besides its head:
    a teacher for every primary class, subject teachers by weekly hours, deputies, staff."""
    classes = sum(spec.parallels)
    primary = sum(spec.parallels[:4])
    total = max(22, min(42, round(classes * 1.25) + 4))
    counts = {name: 1 for name, _ in SUBJECTS}
    rest = total - primary - len(SUBJECTS)
    weights = sum(w for _, w in SUBJECTS)
    shares = sorted(SUBJECTS, key=lambda s: -s[1])
    for name, weight in shares:
        counts[name] += int(rest * weight / weights)
    left = total - primary - sum(counts.values())
    for name, _ in shares[: max(left, 0)]:
        counts[name] += 1
    out = [(ADMIN, DEPUTIES[i], "") for i in range(1 if classes < 20 else 2)]
    out += [(TEACHER, "учитель начальных классов", "")] * primary
    for name, _ in SUBJECTS:
        for i in range(counts[name]):
            login = "teacher" if spec.slug == "school-3" and name == MATHS and i == 0 else ""
            out.append((TEACHER, name, login))
    out += [(STAFF, p, "") for p in SCHOOL_STAFF[: 2 if classes < 15 else 4]]
    return out


def other_positions(spec: InstitutionSpec) -> list[tuple[str, str, str]]:
    """(role, position, demo login) of the employees of any other institution."""
    out = []
    for role, position, count in spec.staff:
        for i in range(count):
            login = ""
            if spec.slug == "imc" and position == "методист" and i == 0:
                login = "metodist"
            elif spec.slug == "ddt" and position == "педагог дополнительного образования":
                login = "partner" if i == 0 else ""
            out.append((role, PARTNER_POSITION if login == "partner" else position, login))
    return out
