"""The curriculum of the demo schools: the municipal catalogue of subjects, the hours per
week by grade (the federal basic curriculum, ФОП НОО/ООО/СОО, five-day week), who teaches
what, and how each subject is marked (kinds of marks, how often, homework)."""

from __future__ import annotations

from dataclasses import dataclass, field

from setka.network.demo.staffing import MATHS

PRIMARY = "учитель начальных классов"
RUSSIAN = "учитель русского языка и литературы"
ENGLISH = "учитель английского языка"
HISTORY = "учитель истории и обществознания"
PE = "учитель физической культуры"
PHYSICS = "учитель физики"
BIOLOGY = "учитель биологии"
CHEMISTRY = "учитель химии"
GEOGRAPHY = "учитель географии"
INFORMATICS = "учитель информатики"
TECHNOLOGY = "учитель технологии"
MUSIC = "учитель музыки"
ART = "учитель изобразительного искусства"
OBZR = "учитель ОБЗР"

# Kinds of marks (short names of setka.journal.services.structure.DEFAULT_MARK_KINDS) and
# their shares, by the way a subject is taught.
KIND_MIX = {
    "russian": {"отв": 40, "дз": 20, "ср": 20, "пров": 20},
    "reading": {"отв": 60, "дз": 15, "соч": 10, "пров": 15},
    "maths": {"отв": 40, "дз": 15, "ср": 25, "пров": 20},
    "english": {"отв": 50, "дз": 20, "ср": 15, "пров": 15},
    "science": {"отв": 45, "дз": 10, "ср": 15, "пр": 15, "пров": 15},
    "humanities": {"отв": 60, "дз": 10, "ср": 15, "пров": 15},
    "practice": {"отв": 30, "пр": 70},
}


@dataclass(frozen=True)
class SubjectSpec:
    key: str
    name: str
    short: str
    hours: tuple[int, ...]  # grades 1..11
    position: str  # who teaches it in grades 5-11 (and in 1-4 unless primary_by_class)
    style: str  # a key of KIND_MIX
    bundle: str = ""  # subjects of one bundle go to one teacher in a class
    primary_by_class: bool = True  # grades 1-4: the class's own teacher
    pass_fail: bool = False
    split: bool = False  # two subgroups in a class (foreign languages)
    control: str = ""  # the kind of mark on a control lesson: "кр"; "" = no control works
    mark_rate: float = 0.4  # chance of a mark for a student at a lesson
    homework_rate: float = 0.9
    minutes: tuple[int, int] = (15, 30)  # grades 5-11; grades 2-4 take two thirds
    fallback: tuple[str, ...] = ()  # other positions that may teach it
    order: int = 100

    def hours_in(self, grade: int) -> int:
        return self.hours[grade - 1]


def _h(spec: str) -> tuple[int, ...]:
    """``"5555 56433 22"`` → hours in grades 1..11 (spaces are for reading only)."""
    digits = tuple(int(c) for c in spec if c.isdigit())
    if len(digits) != 11:
        raise ValueError(f"hours for 11 grades expected: {spec!r}")
    return digits


SUBJECTS = [
    SubjectSpec("rus", "Русский язык", "рус", _h("5555 56433 22"), RUSSIAN, "russian",
                bundle="rus", control="дикт", mark_rate=0.36, minutes=(20, 35), order=10),
    SubjectSpec("read", "Литературное чтение", "лит. чт.", _h("4443 00000 00"), PRIMARY,
                "reading", mark_rate=0.4, minutes=(15, 25), order=20),
    SubjectSpec("lit", "Литература", "лит", _h("0000 33223 33"), RUSSIAN, "reading",
                bundle="rus", mark_rate=0.38, minutes=(20, 40), order=21),
    SubjectSpec("eng", "Английский язык", "англ", _h("0222 33333 33"), ENGLISH, "english",
                primary_by_class=False, split=True, control="кр", mark_rate=0.38,
                minutes=(15, 30), order=30),
    SubjectSpec("math", "Математика", "мат", _h("4444 55000 00"), MATHS, "maths",
                bundle="math", control="кр", mark_rate=0.36, minutes=(20, 35), order=40),
    SubjectSpec("alg", "Алгебра", "алг", _h("0000 00333 33"), MATHS, "maths", bundle="math",
                control="кр", mark_rate=0.36, minutes=(20, 40), order=41),
    SubjectSpec("geom", "Геометрия", "геом", _h("0000 00222 22"), MATHS, "maths",
                bundle="math", control="кр", mark_rate=0.38, minutes=(15, 30), order=42),
    SubjectSpec("stat", "Вероятность и статистика", "ВиС", _h("0000 00111 11"), MATHS,
                "maths", bundle="math", mark_rate=0.45, minutes=(10, 20), order=43),
    SubjectSpec("inf", "Информатика", "инф", _h("0000 00111 11"), INFORMATICS, "science",
                mark_rate=0.45, homework_rate=0.6, minutes=(10, 20),
                fallback=(MATHS, PHYSICS), order=44),
    SubjectSpec("world", "Окружающий мир", "окр. мир", _h("2222 00000 00"), PRIMARY,
                "science", mark_rate=0.45, minutes=(10, 20), order=50),
    SubjectSpec("hist", "История", "ист", _h("0000 22222 22"), HISTORY, "humanities",
                bundle="hist", mark_rate=0.42, minutes=(20, 30), order=60),
    SubjectSpec("soc", "Обществознание", "общ", _h("0000 01111 22"), HISTORY, "humanities",
                bundle="hist", mark_rate=0.45, minutes=(15, 25), order=61),
    SubjectSpec("geo", "География", "геогр", _h("0000 11222 11"), GEOGRAPHY, "science",
                mark_rate=0.42, minutes=(15, 25), fallback=(BIOLOGY, HISTORY), order=62),
    SubjectSpec("bio", "Биология", "биол", _h("0000 11122 11"), BIOLOGY, "science",
                mark_rate=0.42, minutes=(15, 25), fallback=(CHEMISTRY, GEOGRAPHY), order=70),
    SubjectSpec("phys", "Физика", "физ", _h("0000 00223 22"), PHYSICS, "science",
                control="кр", mark_rate=0.4, minutes=(20, 35), fallback=(MATHS, INFORMATICS),
                order=71),
    SubjectSpec("chem", "Химия", "хим", _h("0000 00022 11"), CHEMISTRY, "science",
                control="кр", mark_rate=0.4, minutes=(20, 30), fallback=(BIOLOGY,), order=72),
    SubjectSpec("orkse", "Основы религиозных культур и светской этики", "ОРКСЭ",
                _h("0001 00000 00"), PRIMARY, "humanities", pass_fail=True, mark_rate=0.3,
                homework_rate=0.3, minutes=(10, 15), order=80),
    SubjectSpec("odnknr", "Основы духовно-нравственной культуры народов России", "ОДНКНР",
                _h("0000 11000 00"), HISTORY, "humanities", bundle="hist", pass_fail=True,
                mark_rate=0.3, homework_rate=0.3, minutes=(10, 15), order=81),
    SubjectSpec("music", "Музыка", "муз", _h("1111 11110 00"), MUSIC, "practice",
                primary_by_class=False, mark_rate=0.45, homework_rate=0.25, minutes=(10, 15),
                fallback=(ART, PRIMARY), order=90),
    SubjectSpec("art", "Изобразительное искусство", "ИЗО", _h("1111 11100 00"), ART,
                "practice", mark_rate=0.5, homework_rate=0.35, minutes=(10, 20),
                fallback=(TECHNOLOGY,), order=91),
    SubjectSpec("tech", "Труд (технология)", "труд", _h("1111 22211 00"), TECHNOLOGY,
                "practice", mark_rate=0.45, homework_rate=0.3, minutes=(10, 20),
                fallback=(ART,), order=92),
    SubjectSpec("pe", "Физическая культура", "физ-ра", _h("2222 22222 22"), PE, "practice",
                primary_by_class=False, mark_rate=0.28, homework_rate=0.1, minutes=(10, 15),
                fallback=(OBZR,), order=93),
    SubjectSpec("obzr", "Основы безопасности и защиты Родины", "ОБЗР", _h("0000 00011 11"),
                OBZR, "humanities", mark_rate=0.45, homework_rate=0.6, minutes=(10, 20),
                fallback=(PE,), order=94),
]  # fmt: skip
NETWORK_SUBJECT = SubjectSpec(
    "robot", "Робототехника", "робот", _h("0000 00000 00"), "", "practice",
    mark_rate=0.45, homework_rate=0.3, minutes=(15, 30), order=120,
)  # fmt: skip
BY_KEY = {s.key: s for s in [*SUBJECTS, NETWORK_SUBJECT]}


@dataclass(frozen=True)
class Extra:
    """Extra hours of a school's profile: ``subject`` gets ``hours`` more in these grades
    (and only in the classes with this letter, when given)."""

    subject: str
    hours: int
    grades: tuple[int, ...]
    letters: str = ""


PROFILES: dict[str, list[Extra]] = {
    # Углублённое изучение математики.
    "school-3": [Extra("alg", 1, (7, 8, 9, 10, 11)), Extra("geom", 1, (10, 11))],
    # Физико-математические (А) и химико-биологические (Б) профильные классы.
    "lyceum": [
        Extra("alg", 1, (10, 11), "А"),
        Extra("phys", 2, (10, 11), "А"),
        Extra("chem", 2, (10, 11), "Б"),
        Extra("bio", 2, (10, 11), "Б"),
    ],
    # Углублённое изучение английского языка.
    "gymnasium": [Extra("eng", 1, (5, 6, 7, 8, 9, 10, 11)), Extra("lit", 1, (10, 11))],
}


@dataclass
class Curriculum:
    """The subjects of one class: (subject, hours per week)."""

    grade: int
    letter: str
    subjects: list[tuple[SubjectSpec, int]] = field(default_factory=list)


def curriculum(slug: str, grade: int, letter: str) -> Curriculum:
    extras = PROFILES.get(slug, [])
    out = Curriculum(grade, letter)
    for spec in SUBJECTS:
        hours = spec.hours_in(grade)
        if not hours:
            continue
        for extra in extras:
            if (
                extra.subject == spec.key
                and grade in extra.grades
                and (not extra.letters or letter in extra.letters)
            ):
                hours += extra.hours
        out.subjects.append((spec, hours))
    return out


def max_lessons_a_day(grade: int) -> int:
    """СанПиН 1.2.3685-21: 1st grade 4 (one day 5), 2-4: 5, 5-6: 6, 7-11: 7."""
    if grade <= 4:
        return 5
    if grade <= 6:
        return 6
    return 7


# Homework limits of the issue (minutes a day) are reached only on heavy days; the per-lesson
# estimates above keep a usual day under them.
