"""Lesson topics and homework of the demo, from the thematic plans: the sections of a plan
are spread over the lessons of the year in proportion to their size; a section ends with a
control work (subjects that have them) or a check-up test, and lessons beyond the listed
ones are practice and revision."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from .curriculum import SubjectSpec
from .plans_core import PLANS as CORE
from .plans_more import PLANS as MORE

WEEKS = 33  # school weeks in a year (34 in grades 2-11 less a week of public holidays)
PLANS = {**CORE, **MORE}

REGULAR, CONTROL, PRACTICAL = "regular", "control", "practical"
ONE_LESSON = ("Лабораторная", "Практическая", "Инструктаж", "Экскурсия")  # points of one lesson


@dataclass(frozen=True)
class PlannedLesson:
    topic: str
    kind: str  # Lesson.Kind
    everyone: str = ""  # short name of the mark kind every present student gets ("кр", "пров")


# How the second and later lessons on one point of a section are named.
PRACTICE = {
    "russian": ("{s}. Закрепление", "{s}. Упражнения"),
    "reading": ("{s}. Выразительное чтение", "{s}. Анализ произведения"),
    "maths": ("{s}. Решение задач", "{s}. Закрепление"),
    "english": ("{s}. Практика", "{s}. Упражнения"),
    "science": ("{s}. Закрепление", "{s}. Работа с учебником"),
    "humanities": ("{s}. Работа с источниками", "{s}. Закрепление"),
    "practice": ("{s}", "{s}"),
}


def _sections(subject: str, grade: int) -> list[tuple[str, list[str]]]:
    for grades, text in PLANS.get(subject, []):
        if grade in grades:
            out = []
            for line in text.strip().splitlines():
                title, _, rest = line.partition(":")
                out.append((title.strip(), [s.strip() for s in rest.split(";") if s.strip()]))
            return out
    return [("Повторение изученного", [])]


@functools.cache
def year_plan(spec: SubjectSpec, grade: int, hours: int) -> tuple[PlannedLesson, ...]:
    """The lessons of a year of ``spec`` in ``grade`` at ``hours`` a week, in order."""
    total = max(hours * WEEKS, 1)
    sections = _sections(spec.key, grade)
    graded = grade >= 2  # the first grade is taught without marks
    weights = [len(subs) + 3 for _, subs in sections]
    counts = [max(2, total * w // sum(weights)) for w in weights]
    out: list[PlannedLesson] = []
    for (title, subs), n in zip(sections, counts, strict=True):
        out += _section(spec, title, subs, n, graded)
    out = out[:total]
    closing = ["Повторение изученного за год", "Итоговое повторение"]
    while len(out) < total:
        out.append(PlannedLesson(closing[len(out) % 2], REGULAR))
    if graded and spec.control and total >= 30:  # the end-of-year test
        out[-3] = PlannedLesson(_control_name(spec, "итоговая"), CONTROL, spec.control)
    return tuple(out)


def _control_name(spec: SubjectSpec, title: str) -> str:
    if title == "итоговая":
        return "Итоговая контрольная работа"
    if spec.control == "дикт":
        return f"Контрольный диктант по теме «{title}»"
    return f"Контрольная работа по теме «{title}»"


def _section(
    spec: SubjectSpec, title: str, subs: list[str], n: int, graded: bool
) -> list[PlannedLesson]:
    closing: list[PlannedLesson] = []
    if graded and spec.control and n >= 4:
        closing = [PlannedLesson(_control_name(spec, title), CONTROL, spec.control)]
        if spec.style in ("maths", "russian") and n >= 6:
            closing.append(PlannedLesson("Анализ контрольной работы. Работа над ошибками", REGULAR))
    elif graded and not spec.pass_fail and spec.style != "practice" and n >= 4:
        closing = [PlannedLesson(f"Проверочная работа по теме «{title}»", REGULAR, "пров")]
    body = n - len(closing)
    if body >= 6 and spec.style != "practice":
        closing.insert(0, PlannedLesson(f"Обобщение и систематизация знаний: {title}", REGULAR))
        body -= 1
    points = subs or [title]
    single = [p.startswith(ONE_LESSON) for p in points]
    spread = max(sum(1 for x in single if not x), 1)
    extra = max(body - len(points), 0)
    lessons: list[PlannedLesson] = []
    phrases = PRACTICE[spec.style]
    done = 0
    for point, is_single in zip(points, single, strict=True):
        if len(lessons) >= body:
            break
        share = 0 if is_single else extra * (done + 1) // spread - extra * done // spread
        done += 0 if is_single else 1
        topic = point if spec.style == "practice" or not subs else f"{title}. {point}"
        is_work = point.startswith(("Лабораторная", "Практическая"))
        lessons.append(PlannedLesson(topic[:500], PRACTICAL if is_work else REGULAR))
        lessons += [
            PlannedLesson(phrases[k % 2].format(s=point)[:500], REGULAR) for k in range(share)
        ]
    return lessons[:body] + closing


# --- homework ------------------------------------------------------------------------------

HOMEWORK = {
    "rus": ("Упр. {ex}", "§ {p}, упр. {ex}", "Выучить правило (§ {p}), упр. {ex}",
            "Словарные слова на с. {pg}, упр. {ex}"),
    "read": ("С. {pg}–{pg2}, выразительное чтение", "Выучить стихотворение наизусть (с. {pg})",
             "Пересказ текста на с. {pg}–{pg2}", "С. {pg}, ответить на вопросы"),
    "lit": ("Прочитать с. {pg}–{pg2}", "Ответить на вопросы на с. {pg}",
            "Выучить наизусть отрывок (с. {pg})", "Подготовить пересказ (с. {pg}–{pg2})",
            "Письменно ответить на вопрос {q} на с. {pg}"),
    "math": ("№ {n1}, {n2}, {n3}", "П. {p}, № {n1}–{n2}", "№ {n1}, {n2}; повторить п. {p}"),
    "alg": ("П. {p}, № {n1}, {n2}, {n3}", "№ {n1}–{n2}", "Повторить п. {p}, № {n1}, {n2}"),
    "geom": ("П. {p}, задачи № {n1}, {n2}", "Выучить теорему (п. {p}), № {n1}",
             "№ {n1}, {n2}, {n3}"),
    "stat": ("П. {p}, задачи {n1}, {n2}", "П. {p}, вопросы на с. {pg}"),
    "eng": ("SB p. {pg}, ex. {e}; WB p. {w}, ex. {e2}", "Выучить слова (Unit {u})",
            "WB p. {w}, ex. {e}", "SB p. {pg}, ex. {e} (письменно)"),
    "world": ("С. {pg}–{pg2}, ответить на вопросы", "Рабочая тетрадь, с. {w}",
              "С. {pg}–{pg2}, пересказ"),
    "hist": ("§ {p}, вопросы на с. {pg}", "§ {p}, пересказ", "§ {p}, заполнить таблицу",
             "§ {p}, выучить даты"),
    "soc": ("§ {p}, вопросы на с. {pg}", "§ {p}, выучить понятия"),
    "odnknr": ("Урок {p}, подготовить сообщение", "Урок {p}, прочитать текст"),
    "orkse": ("Урок {p}, прочитать текст", "Урок {p}, подготовить рассказ"),
    "geo": ("§ {p}, вопросы на с. {pg}", "§ {p}, работа с контурной картой",
            "§ {p}, выучить номенклатуру"),
    "bio": ("§ {p}, вопросы на с. {pg}", "§ {p}, заполнить таблицу", "§ {p}, зарисовать схему"),
    "phys": ("§ {p}, упр. {e} (1–3)", "§ {p}, задачи № {n1}, {n2}", "§ {p}, выучить формулы"),
    "chem": ("§ {p}, упр. {e}", "§ {p}, задачи {n1}, {n2} на с. {pg}",
             "§ {p}, составить уравнения реакций"),
    "inf": ("§ {p}, вопросы 1–{q}", "§ {p}, задания на с. {pg}"),
    "music": ("Послушать произведение, о котором говорили на уроке", "Выучить слова песни"),
    "art": ("Закончить рисунок", "Принести материалы для аппликации"),
    "tech": ("Принести материалы для практической работы", "Закончить изделие"),
    "pe": ("Комплекс утренней гимнастики", "Принести спортивную форму"),
    "obzr": ("§ {p}, ответить на вопросы", "§ {p}, подготовить памятку"),
    "robot": ("Доработать программу для робота", "Собрать модель по схеме на с. {pg}"),
}  # fmt: skip


def homework(spec: SubjectSpec, grade: int, index: int, rng: random.Random) -> tuple[str, int]:
    """The task given at the ``index``-th lesson of the year and its minutes."""
    templates = HOMEWORK[spec.key]
    per_week = max(spec.hours_in(grade), 1) if spec.key != "robot" else 2
    paragraph = 1 + index * 2 // (per_week * 3)  # about two paragraphs in three lessons
    page = 5 + index * 3
    problem = 10 + index * 6 + rng.randrange(3)
    text = rng.choice(templates).format(
        p=paragraph,
        pg=page,
        pg2=page + rng.randint(2, 5),
        ex=3 + index * 2 + rng.randrange(2),
        n1=problem,
        n2=problem + rng.randint(1, 3),
        n3=problem + rng.randint(4, 6),
        e=rng.randint(1, 9),
        e2=rng.randint(1, 9),
        w=3 + index,
        u=1 + index // 12,
        q=rng.randint(3, 6),
    )
    low, high = spec.minutes
    if grade <= 4:
        low, high = low * 2 // 3, high * 2 // 3
    return text, 5 * round(rng.randint(low, high) / 5) or 5
