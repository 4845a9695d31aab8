"""What the journal tells people, through the notification centre: marks, absences,
homework, closed periods and substitutions. The services call these at the end of their
write through ``notifications.services.later`` (or ``later_together`` for marks), so that
they run once the transaction commits: a write that is rolled back tells nobody. Each costs
a constant number of queries, whatever the number of marks and recipients."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.core.clock import today
from setka.network.models import Guardianship
from setka.notifications import kinds
from setka.notifications.services import Event, later, later_together, publish_many

from .marktext import mark_text
from .models import AttendanceCode, Homework, Lesson, Mark, Period, TeachingAssignment

GROUP = gettext_lazy("Journal")


def _day(data) -> str:
    return date_format(dt.date.fromisoformat(data["date"]), "j E")


def _mark_title(data) -> str:
    return _("New mark %(mark)s in %(subject)s (%(kind)s), %(day)s — %(student)s") % {
        **data,
        "day": _day(data),
    }


def _changed_title(data) -> str:
    text = _("Mark in %(subject)s of %(day)s changed: %(old)s → %(mark)s — %(student)s") % {
        **data,
        "day": _day(data),
    }
    return f"{text}. {_('Reason')}: {data['reason']}" if data.get("reason") else text


def _deleted_title(data) -> str:
    text = _("Mark %(mark)s in %(subject)s of %(day)s was deleted — %(student)s") % {
        **data,
        "day": _day(data),
    }
    return f"{text}. {_('Reason')}: {data['reason']}" if data.get("reason") else text


def _absence_title(data) -> str:
    labels = dict(AttendanceCode.choices)
    return _("%(label)s at %(subject)s, lesson %(number)s, %(day)s — %(student)s") % {
        **data,
        "label": str(labels.get(data["code"], data["code"])),
        "day": _day(data),
    }


def _homework_title(data) -> str:
    key = (
        _("Homework in %(subject)s for %(day)s changed: %(text)s")
        if data.get("changed")
        else _("Homework in %(subject)s for %(day)s: %(text)s")
    )
    return key % {**data, "day": _day(data)}


def _period_title(data) -> str:
    key = (
        _("%(period)s is reopened for changes: %(reason)s")
        if data.get("reopened")
        else _("%(period)s is closed: its marks can no longer be changed")
    )
    return key % data


def _substitution_title(data) -> str:
    if data.get("cancelled"):
        return _(
            "The substitution is cancelled: %(group)s, %(subject)s, lesson %(number)s, %(day)s"
        ) % {
            **data,
            "day": _day(data),
        }
    return _(
        "Substitution: %(substitute)s teaches %(group)s, %(subject)s, lesson %(number)s, %(day)s"
    ) % {
        **data,
        "day": _day(data),
    }


kinds.register(
    kinds.Kind("journal.mark.created", GROUP, gettext_lazy("A new mark"), _mark_title),
    kinds.Kind("journal.mark.changed", GROUP, gettext_lazy("A mark changed"), _changed_title),
    kinds.Kind("journal.mark.deleted", GROUP, gettext_lazy("A mark deleted"), _deleted_title),
    kinds.Kind("journal.absence", GROUP, gettext_lazy("An absence or lateness"), _absence_title),
    kinds.Kind("journal.homework", GROUP, gettext_lazy("Homework set or changed"), _homework_title),
    kinds.Kind("journal.period", GROUP, gettext_lazy("A period closed or reopened"), _period_title),
    kinds.Kind("journal.substitution", GROUP, gettext_lazy("A substitution"), _substitution_title),
)


# --- who is told ----------------------------------------------------------------------------


def _guardians(student_ids: Iterable[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for student_id, guardian_id in (
        Guardianship.objects.active(today())
        .filter(student_id__in=set(student_ids))
        .values_list("student_id", "guardian_id")
    ):
        out[student_id].append(guardian_id)
    return out


def _diary_url(student_id: int, day: dt.date) -> str:
    query = urlencode({"student": student_id, "week": day.isoformat()})
    return f"{reverse('journal:diary')}?{query}"


def _student_event(mark_like, student_id: int, name: str, guardians, data) -> Event:
    return Event(
        recipients=[student_id, *guardians.get(student_id, [])],
        municipality_id=mark_like["municipality_id"],
        institution_id=mark_like["institution_id"],
        data={**data, "student": name},
        url=_diary_url(student_id, mark_like["date"]),
        about=student_id,
    )


def _mark_rows(marks: Sequence[Mark | int]) -> list[dict]:
    """What the titles need of the marks (or mark ids) that exist, in one query."""
    ids = {m if isinstance(m, int) else m.pk for m in marks}
    rows = Mark.objects.filter(pk__in=ids).values(
        "pk",
        "value",
        "passed",
        "is_deleted",
        "student_id",
        "student__given_name",
        "student__surname",
        "subject__name",
        "kind__name",
        "date",
        "institution_id",
        "institution__municipality_id",
    )
    return [
        {
            **r,
            "municipality_id": r["institution__municipality_id"],
            "name": f"{r['student__given_name']} {r['student__surname']}",
        }
        for r in rows
    ]


def marks_created(marks: Sequence[Mark | int], *, actor) -> None:
    """New marks: each to its student and the student's parents (a mark deleted meanwhile,
    or rolled back, is left out). Four queries for any number of marks."""
    if not marks:
        return
    rows = [r for r in _mark_rows(marks) if not r["is_deleted"]]
    guardians = _guardians(r["student_id"] for r in rows)
    events = [
        _student_event(
            r,
            r["student_id"],
            r["name"],
            guardians,
            {
                "mark": mark_text(r["value"], r["passed"]),
                "subject": r["subject__name"],
                "kind": r["kind__name"],
                "date": r["date"].isoformat(),
            },
        )
        for r in rows
    ]
    publish_many("journal.mark.created", events, actor=actor)


def mark_changed(mark: Mark, *, old: str, actor, reason: str = "", deleted: bool = False) -> None:
    rows = _mark_rows([mark])
    if not rows:
        return
    row = rows[0]
    data = {
        "mark": mark_text(row["value"], row["passed"]) if not deleted else old,
        "old": old,
        "subject": row["subject__name"],
        "date": row["date"].isoformat(),
        "reason": reason,
    }
    kind = "journal.mark.deleted" if deleted else "journal.mark.changed"
    event = _student_event(
        row, row["student_id"], row["name"], _guardians([row["student_id"]]), data
    )
    publish_many(kind, [event], actor=actor)


def absence(lesson: Lesson, student, code: str, *, actor) -> None:
    """An absence or lateness (Н, Б, УП, ОП) at a lesson, to the student and their parents."""
    if not code:
        return
    row = {
        "municipality_id": lesson.institution.municipality_id,
        "institution_id": lesson.institution_id,
        "date": lesson.date,
    }
    data = {
        "code": code,
        "subject": lesson.subject.name,
        "number": lesson.number,
        "date": lesson.date.isoformat(),
    }
    name = f"{student.given_name} {student.surname}"
    event = _student_event(row, student.pk, name, _guardians([student.pk]), data)
    publish_many("journal.absence", [event], actor=actor)


def homework(homework: Homework, *, actor, changed: bool) -> None:
    """Homework set or changed: to the students of the group today and their parents."""
    from .models import GroupMember

    lesson = homework.lesson
    students = list(
        GroupMember.objects.active(today())
        .filter(group_id=lesson.group_id)
        .values_list("student_id", flat=True)
    )
    guardians = _guardians(students)
    recipients = set(students) | {g for s in students for g in guardians.get(s, [])}
    due = homework.due_on or lesson.date
    text = homework.text if len(homework.text) <= 140 else homework.text[:139] + "…"
    event = Event(
        recipients=recipients,
        municipality_id=lesson.institution.municipality_id,
        institution_id=lesson.institution_id,
        data={
            "subject": lesson.subject.name,
            "date": due.isoformat(),
            "text": text,
            "changed": changed,
        },
        url=f"{reverse('journal:diary')}?{urlencode({'week': due.isoformat()})}",
    )
    publish_many("journal.homework", [event], actor=actor)


def period(period: Period, *, actor, reopened: bool, reason: str = "") -> None:
    """A closed or reopened period: to the teachers of the institution's year."""
    teachers = set(
        TeachingAssignment.objects.active(today())
        .filter(group__year_id=period.year_id)
        .values_list("teacher_id", flat=True)
    )
    institution = period.year.institution
    event = Event(
        recipients=teachers,
        municipality_id=institution.municipality_id,
        institution_id=institution.pk,
        data={
            "period": f"{period.name} {period.year.name}",
            "reopened": reopened,
            "reason": reason,
        },
        url=reverse("journal:index"),
    )
    publish_many("journal.period", [event], actor=actor)


def substitution(lesson: Lesson, *, actor, previous_substitute_id: int | None) -> None:
    """A substitution set or cancelled: to the substitute (old and new) and the teacher."""
    recipients = {lesson.teacher_id, lesson.substitute_id, previous_substitute_id} - {None}
    sub = lesson.substitute
    event = Event(
        recipients=recipients,
        municipality_id=lesson.institution.municipality_id,
        institution_id=lesson.institution_id,
        data={
            "substitute": sub.short_name if sub else "",
            "group": lesson.group.name,
            "subject": lesson.subject.name,
            "number": lesson.number,
            "date": lesson.date.isoformat(),
            "cancelled": sub is None,
        },
        url=reverse("journal:lesson", args=[lesson.pk]),
    )
    publish_many("journal.substitution", [event], actor=actor)


# --- what the services call: each tells once the transaction commits ------------------------


def on_marks_created(marks: Iterable[Mark], *, actor) -> None:
    """New marks, told at commit; the marks of one transaction are told in one publish."""
    later_together(marks_created, [m.pk for m in marks], actor=actor)


def on_mark_changed(mark: Mark, *, old: str, actor, reason: str = "", deleted=False) -> None:
    later(mark_changed, mark, old=old, actor=actor, reason=reason, deleted=deleted)


def on_absence(lesson: Lesson, student, code: str, *, actor) -> None:
    if code:
        later(absence, lesson, student, code, actor=actor)


def on_homework(hw: Homework, *, actor, changed: bool) -> None:
    later(homework, hw, actor=actor, changed=changed)


def on_period(period_: Period, *, actor, reopened: bool, reason: str = "") -> None:
    later(period, period_, actor=actor, reopened=reopened, reason=reason)


def on_substitution(lesson: Lesson, *, actor, previous_substitute_id: int | None) -> None:
    later(substitution, lesson, actor=actor, previous_substitute_id=previous_substitute_id)
