"""The teacher's day (a partner teacher's too): today's lessons by the clock with what is
filled, substitutions today and tomorrow, the past week's unfilled lessons, the network groups
with each student's school, and late-entry warnings.

Three queries whatever the number of lessons and groups: the lessons from a week ago to
tomorrow that the person teaches or covers (with their bells, homework, counts of marks and
absences), the network groups they teach, and those groups' members (only when there are
such groups)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from setka.core.clock import localnow

from ..models import Attendance, Bell, GroupMember, Lesson, Mark, StudyGroup, TeachingAssignment

PAST_DAYS = 7  # the unfilled lessons of this many days before today


@dataclass
class TeacherLesson:
    id: int
    date: dt.date
    number: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    subject_id: int
    subject: str
    group_id: int
    group: str
    institution_id: int
    institution: str
    room: str
    topic: str
    has_homework: bool
    homework_late: bool
    marks: int
    absences: int
    is_cancelled: bool
    teacher: str  # whose lesson it is
    substitute: str  # who covers it ("" when nobody does)
    covering: bool  # the person covers it for someone else
    school_day_ends_at: dt.time

    @property
    def missing(self) -> list[str]:
        """What the journal lacks: ``topic``, ``homework``, ``marks``."""
        out = []
        if not self.topic:
            out.append("topic")
        if not self.has_homework:
            out.append("homework")
        if not self.marks:
            out.append("marks")
        return out

    @property
    def is_unfilled(self) -> bool:
        """A held lesson without its topic or homework (what the completeness page counts
        first; marks are not given at every lesson)."""
        return not self.is_cancelled and not (self.topic and self.has_homework)

    def has_begun(self, moment: dt.datetime) -> bool:
        if self.date != moment.date():
            return self.date < moment.date()
        return self.starts_at is None or self.starts_at <= moment.time()


@dataclass
class NetworkStudent:
    name: str
    school: str


@dataclass
class NetworkGroup:
    id: int
    name: str
    institution: str
    subjects: list[str] = field(default_factory=list)
    students: list[NetworkStudent] = field(default_factory=list)


@dataclass
class TeacherDay:
    date: dt.date
    now: dt.datetime
    lessons: list[TeacherLesson]  # today's, by the clock (covered ones included)
    substitutions: list[TeacherLesson]  # today and tomorrow, either way
    unfilled: list[TeacherLesson]  # the past week's, oldest first
    groups: list[NetworkGroup]
    late_homework: int  # homework of the past week entered late
    homework_pending: list[TeacherLesson]  # today's begun lessons still without homework

    @property
    def homework_late_after(self) -> dt.time | None:
        return self.homework_pending[0].school_day_ends_at if self.homework_pending else None

    @property
    def is_empty(self) -> bool:
        return not (self.lessons or self.substitutions or self.unfilled or self.groups)


def _short(surname: str | None, given: str | None, patronymic: str | None) -> str:
    if not surname:
        return ""
    initials = "".join(f"{p[0]}." for p in (given, patronymic) if p)
    return f"{surname} {initials}".strip()


def _count(model, **extra):
    return Coalesce(
        Subquery(
            model.objects.filter(lesson_id=OuterRef("pk"), **extra)
            .order_by()
            .values("lesson_id")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _bell(column: str):
    return Subquery(
        Bell.objects.filter(
            year_id=OuterRef("year_id"), shift=OuterRef("group__shift"), number=OuterRef("number")
        ).values(column)[:1]
    )


def lessons_of(person_id: int, first: dt.date, last: dt.date) -> list[TeacherLesson]:
    """The lessons from ``first`` to ``last`` that the person teaches or covers (one query),
    by date and the clock."""
    rows = (
        Lesson.objects.filter(Q(teacher_id=person_id) | Q(substitute_id=person_id))
        .filter(date__gte=first, date__lte=last)
        .annotate(
            starts=_bell("starts_at"),
            ends=_bell("ends_at"),
            n_marks=_count(Mark, is_deleted=False),
            n_absent=_count(Attendance, code__in=["Н", "Б", "УП"]),
            day_ends=F("year__school_day_ends_at"),
        )
        .values_list(
            "pk", "date", "number", "starts", "ends", "subject_id", "subject__name", "group_id",
            "group__name", "institution_id", "institution__short_name", "room", "topic",
            "homework__id", "homework__is_late", "n_marks", "n_absent", "status",
            "teacher_id", "teacher__surname", "teacher__given_name", "teacher__patronymic",
            "substitute_id", "substitute__surname", "substitute__given_name",
            "substitute__patronymic", "day_ends",
        )
    )  # fmt: skip
    out = []
    for (
        pk, date, number, starts, ends, subject_id, subject, group_id, group, institution_id,
        institution, room, topic, hw_id, hw_late, n_marks, n_absent, status, _teacher_id,
        t_surname, t_given, t_patronymic, substitute_id, s_surname, s_given, s_patronymic,
        day_ends,
    ) in rows:  # fmt: skip
        out.append(
            TeacherLesson(
                id=pk,
                date=date,
                number=number,
                starts_at=starts,
                ends_at=ends,
                subject_id=subject_id,
                subject=subject,
                group_id=group_id,
                group=group,
                institution_id=institution_id,
                institution=institution,
                room=room,
                topic=topic,
                has_homework=hw_id is not None,
                homework_late=bool(hw_late),
                marks=n_marks,
                absences=n_absent,
                is_cancelled=status == Lesson.Status.CANCELLED,
                teacher=_short(t_surname, t_given, t_patronymic),
                substitute=_short(s_surname, s_given, s_patronymic) if substitute_id else "",
                covering=substitute_id == person_id,
                school_day_ends_at=day_ends,
            )
        )
    out.sort(key=lambda ls: (ls.date, ls.starts_at or dt.time.max, ls.number, ls.id))
    return out


def network_groups(person_id: int, day: dt.date) -> list[NetworkGroup]:
    """The network programme groups the person teaches today, with each student's home school
    (two queries; one when there are none)."""
    groups: dict[int, NetworkGroup] = {}
    for group_id, name, institution, subject in (
        TeachingAssignment.objects.active(day)
        .filter(teacher_id=person_id, group__kind=StudyGroup.Kind.NETWORK)
        .order_by("group__name", "subject__order", "subject__name")
        .values_list("group_id", "group__name", "group__institution__short_name", "subject__name")
    ):
        group = groups.setdefault(group_id, NetworkGroup(group_id, name, institution))
        if subject not in group.subjects:
            group.subjects.append(subject)
    if not groups:
        return []
    for group_id, surname, given, school in (
        GroupMember.objects.active(day)
        .filter(group_id__in=list(groups))
        .order_by("student__surname", "student__given_name", "student_id")
        .values_list(
            "group_id", "student__surname", "student__given_name", "home_institution__short_name"
        )
    ):
        groups[group_id].students.append(NetworkStudent(f"{surname} {given}", school))
    return list(groups.values())


def teacher_day(person_id: int) -> TeacherDay:
    moment = localnow()
    day = moment.date()
    tomorrow = day + dt.timedelta(days=1)
    lessons = lessons_of(person_id, day - dt.timedelta(days=PAST_DAYS), tomorrow)
    today_lessons = [ls for ls in lessons if ls.date == day and (ls.covering or not ls.substitute)]
    return TeacherDay(
        date=day,
        now=moment,
        lessons=today_lessons,
        substitutions=[ls for ls in lessons if ls.date >= day and ls.substitute],
        unfilled=[
            ls
            for ls in lessons
            if ls.date < day and ls.is_unfilled and (ls.covering or not ls.substitute)
        ],
        groups=network_groups(person_id, day),
        late_homework=sum(1 for ls in lessons if ls.date < day and ls.homework_late),
        homework_pending=[
            ls
            for ls in today_lessons
            if not ls.is_cancelled and not ls.has_homework and ls.has_begun(moment)
        ],
    )
