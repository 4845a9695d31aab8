"""The class journal of a period, laid out like the paper journal: a title page, then for each
subject (of the class and of its subgroups) a left page — students × lesson dates with marks
and absences and the period mark — and a right page — date, topic, homework, teacher.

``class_journal`` reads six queries whatever the number of subjects; ``xlsx`` and ``pdf`` turn
it into files. Access is checked by the caller (``can_export_journal``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from setka.core.clock import today

from ..marktext import mark_text
from ..models import Attendance, GroupMember, Lesson, Mark, Period, PeriodMark, StudyGroup
from ..rules import group_journal_access

# A paper journal's spread holds about this many lessons; longer periods take more spreads.
LESSONS_PER_SPREAD = 25


def can_export_journal(user: Any, group: StudyGroup, subject_id: int | None) -> bool:
    """The whole class: its class teacher and the administration (readers of the whole group).
    One subject: also the teacher of that group × subject (and a substitute)."""
    return group_journal_access(user, group, subject_id) is not None


@dataclass
class JournalLesson:
    id: int
    date: dt.date
    number: int
    topic: str
    homework: str
    teacher: str
    is_control: bool


@dataclass
class JournalStudent:
    id: int
    name: str
    cells: dict[int, str] = field(default_factory=dict)  # lesson id -> "Н", "5 4", "ОП 5"
    period_mark: str = ""
    left_on: dt.date | None = None


@dataclass
class JournalPage:
    group_name: str
    subject_name: str
    subject_short: str
    teachers: str
    lessons: list[JournalLesson]
    students: list[JournalStudent]

    def spreads(self, size: int | None = None) -> list[list[JournalLesson]]:
        """The lessons split the way a paper journal splits them over its spreads."""
        size = size or LESSONS_PER_SPREAD
        if not self.lessons:
            return [[]]
        return [self.lessons[i : i + size] for i in range(0, len(self.lessons), size)]


@dataclass
class ClassJournal:
    group: StudyGroup
    period: Period
    institution_name: str
    class_teacher: str
    students: list[tuple[int, str]]
    pages: list[JournalPage]
    made_on: dt.date


def _short(surname: str, given: str, patronymic: str) -> str:
    initials = "".join(f"{p[0]}." for p in (given, patronymic) if p)
    return f"{surname} {initials}".strip()


def class_journal(group: StudyGroup, period: Period, subject_id: int | None = None) -> ClassJournal:
    """``group`` with ``select_related("institution", "class_teacher")``. Six queries."""
    groups = {
        g.pk: g
        for g in StudyGroup.objects.filter(
            Q(pk=group.pk) | Q(parent_id=group.pk) if subject_id is None else Q(pk=group.pk)
        ).only("id", "name", "parent_id")
    }
    members, class_students = _members(group, groups, period)
    pages, page_students = _pages(groups, members, period, subject_id)
    _fill_cells(pages, page_students, groups, period, subject_id)
    _fill_period_marks(page_students, groups, period, subject_id)
    teacher = group.class_teacher
    return ClassJournal(
        group=group,
        period=period,
        institution_name=group.institution.full_name or group.institution.short_name,
        class_teacher=teacher.full_name if teacher is not None else "",
        students=list(class_students.items()),
        pages=list(pages.values()),
        made_on=today(),
    )


PageKey = tuple[int, int]  # (group id, subject id)


def _members(
    group: StudyGroup, groups: dict[int, StudyGroup], period: Period
) -> tuple[dict[int, list[JournalStudent]], dict[int, str]]:
    """The students of each group in the period (one query), and the class's short names."""
    start, end = period.starts_on, period.ends_on
    members: dict[int, list[JournalStudent]] = {}
    seen: dict[tuple[int, int], JournalStudent] = {}
    rows = (
        GroupMember.objects.filter(group_id__in=list(groups), starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("student__surname", "student__given_name", "student_id", "starts_on")
        .values_list(
            "group_id",
            "student_id",
            "student__surname",
            "student__given_name",
            "student__patronymic",
            "ends_on",
        )
    )
    class_students: dict[int, str] = {}
    for group_id, pid, surname, given, patronymic, ends_on in rows:
        name = f"{surname} {given}"
        if (group_id, pid) not in seen:
            student = JournalStudent(pid, name)
            seen[(group_id, pid)] = student
            members.setdefault(group_id, []).append(student)
        seen[(group_id, pid)].left_on = ends_on if ends_on and ends_on < end else None
        if group_id == group.pk:
            class_students[pid] = _short(surname, given, patronymic)
    return members, class_students


def _pages(
    groups: dict[int, StudyGroup],
    members: dict[int, list[JournalStudent]],
    period: Period,
    subject_id: int | None,
) -> tuple[dict[PageKey, JournalPage], dict[PageKey, dict[int, JournalStudent]]]:
    """A page per group × subject with its lessons (one query) and its own copies of the
    group's students."""
    lessons_qs = (
        Lesson.objects.filter(group_id__in=list(groups), period=period)
        .exclude(status=Lesson.Status.CANCELLED)
        .select_related("subject", "teacher", "substitute", "homework")
        .order_by("subject__order", "subject__name", "group_id", "date", "number")
    )
    if subject_id is not None:
        lessons_qs = lessons_qs.filter(subject_id=subject_id)
    pages: dict[PageKey, JournalPage] = {}
    page_students: dict[PageKey, dict[int, JournalStudent]] = {}
    teachers: dict[PageKey, list[str]] = {}
    for lesson in lessons_qs:
        key = (lesson.group_id, lesson.subject_id)
        if key not in pages:
            copies = [
                JournalStudent(s.id, s.name, left_on=s.left_on)
                for s in members.get(lesson.group_id, [])
            ]
            page_students[key] = {s.id: s for s in copies}
            pages[key] = JournalPage(
                group_name=groups[lesson.group_id].name,
                subject_name=lesson.subject.name,
                subject_short=lesson.subject.short_name,
                teachers="",
                lessons=[],
                students=copies,
            )
            teachers[key] = []
        pages[key].lessons.append(_journal_lesson(lesson, teachers[key]))
    for key, page in pages.items():
        page.teachers = ", ".join(teachers[key])
    return pages, page_students


def _journal_lesson(lesson: Lesson, teachers: list[str]) -> JournalLesson:
    """The right page's line of a lesson; its teacher joins ``teachers`` (a substitute is
    named on the line only)."""
    conducting = lesson.substitute or lesson.teacher
    name = conducting.short_name
    if lesson.substitute_id:
        name = _("%(name)s (substitute)") % {"name": name}
    elif name not in teachers:
        teachers.append(name)
    homework = getattr(lesson, "homework", None)
    return JournalLesson(
        id=lesson.pk,
        date=lesson.date,
        number=lesson.number,
        topic=lesson.topic,
        homework=homework.text if homework is not None else "",
        teacher=name,
        is_control=lesson.kind == Lesson.Kind.CONTROL,
    )


def _fill_cells(
    pages: dict[PageKey, JournalPage],
    page_students: dict[PageKey, dict[int, JournalStudent]],
    groups: dict[int, StudyGroup],
    period: Period,
    subject_id: int | None,
) -> None:
    """The cells of the left pages: the attendance code and the marks (two queries)."""
    start, end = period.starts_on, period.ends_on
    lesson_page = {lesson.id: key for key, page in pages.items() for lesson in page.lessons}
    marks = Mark.objects.filter(
        group_id__in=list(groups), date__gte=start, date__lte=end, is_deleted=False
    )
    if subject_id is not None:
        marks = marks.filter(subject_id=subject_id)
    marks_of: dict[tuple[int, int], list[str]] = {}
    for lesson_id, student_id, value, passed in marks.order_by("id").values_list(
        "lesson_id", "student_id", "value", "passed"
    ):
        marks_of.setdefault((lesson_id, student_id), []).append(mark_text(value, passed))
    codes = {
        (lesson_id, student_id): code
        for lesson_id, student_id, code in Attendance.objects.filter(
            group_id__in=list(groups), date__gte=start, date__lte=end
        )
        .exclude(code="")
        .values_list("lesson_id", "student_id", "code")
    }
    for lesson_id, student_id in marks_of.keys() | codes.keys():
        page_key = lesson_page.get(lesson_id)
        found = page_students[page_key].get(student_id) if page_key is not None else None
        if found is not None:
            texts = [
                codes.get((lesson_id, student_id), ""),
                *marks_of.get((lesson_id, student_id), []),
            ]
            found.cells[lesson_id] = " ".join(t for t in texts if t)


def _fill_period_marks(
    page_students: dict[PageKey, dict[int, JournalStudent]],
    groups: dict[int, StudyGroup],
    period: Period,
    subject_id: int | None,
) -> None:
    """The period marks of the left pages (one query)."""
    pms = PeriodMark.objects.filter(group_id__in=list(groups), period=period)
    if subject_id is not None:
        pms = pms.filter(subject_id=subject_id)
    for group_id, subj, student_id, value, passed, not_certified in pms.values_list(
        "group_id", "subject_id", "student_id", "value", "passed", "not_certified"
    ):
        pupil = page_students.get((group_id, subj), {}).get(student_id)
        if pupil is not None:
            pupil.period_mark = mark_text(value, passed, not_certified)
