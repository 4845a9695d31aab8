"""Classes and groups, their members, teaching assignments, the bell schedule, timetable
entries, subjects of the municipal catalogue and the mark kinds of an institution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.core.clock import today
from setka.network.models import Institution, Membership, Municipality, Person

from ..bells import BellSlots, Slot
from ..models import (
    AcademicYear,
    Bell,
    GroupMember,
    MarkKind,
    StudyGroup,
    Subject,
    TeachingAssignment,
    TimetableEntry,
)

# The default mark kinds of a new institution: name, short name, weight, control work.
DEFAULT_MARK_KINDS = [
    ("Ответ на уроке", "отв", Decimal(1), False),
    ("Домашняя работа", "дз", Decimal(1), False),
    ("Самостоятельная работа", "ср", Decimal("1.5"), False),
    ("Практическая работа", "пр", Decimal("1.5"), False),
    ("Проверочная работа", "пров", Decimal(2), False),
    ("Контрольная работа", "кр", Decimal(3), True),
    ("Диктант", "дикт", Decimal(2), True),
    ("Сочинение", "соч", Decimal(2), False),
]


def _require_admin(actor, year: AcademicYear) -> None:
    if not actor.has_perm("journal.manage_year", year):
        raise PermissionDenied(_("Only the administration of the institution may do this."))


def mark_kinds_ensure(institution: Institution) -> list[MarkKind]:
    """The institution's mark kinds, creating the default set the first time."""
    kinds = list(MarkKind.objects.filter(institution=institution))
    if not kinds:
        MarkKind.objects.bulk_create(
            MarkKind(
                institution=institution, name=n, short_name=s, weight=w, is_control=c, order=i * 10
            )
            for i, (n, s, w, c) in enumerate(DEFAULT_MARK_KINDS)
        )
        kinds = list(MarkKind.objects.filter(institution=institution))
    return kinds


def subject_get_or_create(
    municipality: Municipality, name: str, short_name: str = "", **extra
) -> Subject:
    subject, _created = Subject.objects.get_or_create(
        municipality=municipality,
        name=name.strip(),
        defaults={"short_name": short_name or name[:30], **extra},
    )
    return subject


@transaction.atomic
def group_create(
    *,
    actor,
    year: AcademicYear,
    name: str,
    kind: str = StudyGroup.Kind.CLASS,
    grade: int | None = None,
    letter: str = "",
    parent: StudyGroup | None = None,
    class_teacher: Person | None = None,
    shift: int | None = None,
) -> StudyGroup:
    """Create a class or group. Without a shift, a subgroup studies in its class's shift and
    anything else in the first."""
    _require_admin(actor, year)
    if parent is not None and parent.year_id != year.pk:
        raise ValidationError({"parent": _("The class belongs to another year.")})
    if shift is None:
        shift = parent.shift if parent is not None else 1
    group = StudyGroup(
        institution_id=year.institution_id,
        year=year,
        name=" ".join(name.split()),
        kind=kind,
        grade=grade,
        letter=letter.strip().upper(),
        parent=parent,
        class_teacher=class_teacher,
        shift=shift,
    )
    group.full_clean()
    group.save()
    audit_log(
        "journal.group.create", actor=actor, obj=group, changes={"name": group.name, "kind": kind}
    )
    return group


@transaction.atomic
def group_member_add(
    *,
    actor,
    group: StudyGroup,
    student: Person,
    starts_on: dt.date | None = None,
    home_institution: Institution | None = None,
) -> GroupMember:
    """Add a student to a group. For a class, the student must study at the institution; a
    network group may take students of other institutions (their home school is recorded)."""
    _require_admin(actor, group.year)
    starts_on = starts_on or max(group.year.starts_on, today())
    if not group.year.contains(starts_on):
        raise ValidationError(
            {
                "starts_on": _("The date is outside the academic year %(year)s.")
                % {"year": group.year.name}
            }
        )
    memberships = Membership.objects.active(starts_on).filter(
        person=student, role=Membership.Role.STUDENT
    )
    if home_institution is None:
        own = memberships.filter(institution_id=group.institution_id).first()
        home_institution = own.institution if own else None
        if home_institution is None and group.kind == StudyGroup.Kind.NETWORK:
            first = memberships.select_related("institution").first()
            home_institution = first.institution if first else None
    if home_institution is None or not memberships.filter(institution=home_institution).exists():
        raise ValidationError(
            {"student": _("%(name)s is not a student of the institution.") % {"name": student}}
        )
    if group.kind != StudyGroup.Kind.NETWORK and home_institution.pk != group.institution_id:
        raise ValidationError(
            {
                "student": _(
                    "Only a network programme group may take students of other institutions."
                )
            }
        )
    if GroupMember.objects.active(starts_on).filter(group=group, student=student).exists():
        raise ValidationError(
            {"student": _("%(name)s is already in %(group)s.") % {"name": student, "group": group}}
        )
    member = GroupMember.objects.create(
        group=group, student=student, home_institution=home_institution, starts_on=starts_on
    )
    audit_log(
        "journal.group.member_add",
        actor=actor,
        obj=member,
        institution_id=group.institution_id,
        changes={"group": group.pk, "student": student.pk, "starts_on": starts_on},
    )
    return member


@transaction.atomic
def group_member_remove(*, actor, member: GroupMember, ends_on: dt.date) -> GroupMember:
    _require_admin(actor, member.group.year)
    if ends_on < member.starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    before = member.ends_on
    member.ends_on = ends_on
    member.save(update_fields=["ends_on"])
    audit_log(
        "journal.group.member_remove",
        actor=actor,
        obj=member,
        institution_id=member.group.institution_id,
        changes={"ends_on": [before, ends_on]},
    )
    return member


def _require_teacher(person: Person, institution_id: int, on: dt.date) -> None:
    if (
        not Membership.objects.active(on)
        .filter(
            person=person,
            institution_id=institution_id,
            role__in=[Membership.Role.TEACHER, Membership.Role.INSTITUTION_ADMIN],
        )
        .exists()
    ):
        raise ValidationError(
            {"teacher": _("%(name)s is not a teacher of the institution.") % {"name": person}}
        )


@transaction.atomic
def assignment_create(
    *,
    actor,
    group: StudyGroup,
    subject: Subject,
    teacher: Person,
    hours_per_week: Decimal = Decimal(1),
    starts_on: dt.date | None = None,
) -> TeachingAssignment:
    _require_admin(actor, group.year)
    starts_on = starts_on or group.year.starts_on
    _require_teacher(teacher, group.institution_id, starts_on)
    if subject.municipality_id != group.institution.municipality_id:
        raise ValidationError({"subject": _("Unknown subject.")})
    obj = TeachingAssignment(
        institution_id=group.institution_id,
        group=group,
        subject=subject,
        teacher=teacher,
        hours_per_week=hours_per_week,
        starts_on=starts_on,
    )
    obj.full_clean()
    obj.save()
    audit_log(
        "journal.assignment.create",
        actor=actor,
        obj=obj,
        changes={"group": group.pk, "subject": subject.pk, "teacher": teacher.pk},
    )
    return obj


@transaction.atomic
def bell_set(
    *, actor, year: AcademicYear, number: int, starts_at: dt.time, ends_at: dt.time, shift: int = 1
) -> Bell:
    _require_admin(actor, year)
    bell = Bell.objects.filter(year=year, shift=shift, number=number).first() or Bell(
        year=year, shift=shift, number=number
    )
    bell.starts_at, bell.ends_at = starts_at, ends_at
    bell.full_clean(validate_unique=False)
    bell.save()
    audit_log(
        "journal.bell.set",
        actor=actor,
        obj=bell,
        institution_id=year.institution_id,
        changes={"number": number, "starts_at": starts_at, "ends_at": ends_at},
    )
    return bell


def _check_timetable_clash(
    *,
    group: StudyGroup,
    teacher: Person,
    weekday: int,
    number: int,
    valid_from: dt.date,
    valid_to: dt.date,
) -> None:
    """Refuse a second lesson at the same time for the group (a class with its subgroups:
    a subgroup's lesson takes its members out of the class) or for the teacher. A teacher's
    lessons in different shifts clash only when their bells overlap (the 7th lesson of the
    first shift and the 1st of the second, say)."""
    same_day = (
        TimetableEntry.objects.filter(
            group__year_id=group.year_id,
            weekday=weekday,
            valid_from__lte=valid_to,
        )
        .exclude(valid_to__lt=valid_from)
        .select_related("group", "subject")
    )
    related = {group.pk}
    if group.parent_id:
        related.add(group.parent_id)
    if group.kind == StudyGroup.Kind.CLASS:
        related |= set(group.subgroups.values_list("pk", flat=True))
    busy = same_day.filter(group_id__in=related, number=number).first()
    if busy is not None:
        raise ValidationError(
            {
                "number": _(
                    "%(group)s already has a lesson at that time: %(subject)s (%(busy)s, "
                    "lesson %(number)s)."
                )
                % {
                    "group": group.name,
                    "subject": busy.subject.name,
                    "busy": busy.group.name,
                    "number": number,
                }
            },
            code="group_clash",
        )
    taught = list(same_day.filter(teacher=teacher))
    if not taught:
        return
    busy = teacher_clash(BellSlots.of_year(group.year_id), (group.shift, number), taught)
    if busy is not None:
        raise teacher_clash_error(teacher, busy)


def teacher_clash(
    slots: BellSlots, slot: Slot, taught: Iterable[TimetableEntry]
) -> TimetableEntry | None:
    """The first of the teacher's other entries ``taught`` (of the same weekday and dates, with
    their groups) whose lesson happens at the same time as one in ``slot``."""
    return next((e for e in taught if slots.overlap(slot, (e.group.shift, e.number))), None)


def teacher_clash_error(teacher: Person, busy: TimetableEntry) -> ValidationError:
    return ValidationError(
        {
            "teacher": _(
                "%(teacher)s already teaches at that time: %(subject)s in %(busy)s, "
                "lesson %(number)s."
            )
            % {
                "teacher": teacher.short_name,
                "subject": busy.subject.name,
                "busy": busy.group.name,
                "number": busy.number,
            }
        },
        code="teacher_clash",
    )


@transaction.atomic
def timetable_entry_create(
    *,
    actor,
    group: StudyGroup,
    subject: Subject,
    teacher: Person,
    weekday: int,
    number: int,
    room: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> TimetableEntry:
    year = group.year
    _require_admin(actor, year)
    valid_from = valid_from or year.starts_on
    if not year.contains(valid_from) or (valid_to is not None and not year.contains(valid_to)):
        raise ValidationError(
            {
                "valid_from": _("The dates must lie inside the academic year %(year)s.")
                % {"year": year.name}
            }
        )
    _require_teacher(teacher, group.institution_id, valid_from)
    _check_timetable_clash(
        group=group,
        teacher=teacher,
        weekday=weekday,
        number=number,
        valid_from=valid_from,
        valid_to=valid_to or year.ends_on,
    )
    entry = TimetableEntry(
        institution_id=group.institution_id,
        group=group,
        subject=subject,
        teacher=teacher,
        weekday=weekday,
        number=number,
        room=room.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    entry.full_clean()
    entry.save()
    audit_log(
        "journal.timetable.create",
        actor=actor,
        obj=entry,
        changes={"group": group.pk, "subject": subject.pk, "weekday": weekday, "number": number},
    )
    return entry
