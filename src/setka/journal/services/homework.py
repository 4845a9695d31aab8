"""Homework, with the warnings a teacher must see: a class's daily load over the limit,
control works over 10% of a subject's lessons in a period, homework entered late."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core import clock
from setka.core.audit import audit_log

from .. import notify
from ..models import Bell, Homework, HomeworkAttachment, Lesson, StudyGroup
from .records import check_lesson_writable

# Daily homework limits in minutes by grade (СанПиН 1.2.3685-21, table 6.6).
DAILY_LIMITS = {
    1: 60,
    2: 90,
    3: 90,
    4: 120,
    5: 120,
    6: 150,
    7: 150,
    8: 150,
    9: 210,
    10: 210,
    11: 210,
}
CONTROL_SHARE_LIMIT = 0.10


@dataclass
class HomeworkWarning:
    code: str
    message: str


def class_of(group: StudyGroup) -> StudyGroup:
    return group.parent if group.parent is not None else group


def daily_load(group: StudyGroup, day: dt.date) -> int:
    """Minutes of homework due on ``day`` for the class of ``group`` (with its subgroups)."""
    klass = class_of(group)
    ids = [klass.pk, *klass.subgroups.values_list("pk", flat=True)]
    return (
        Homework.objects.filter(group_id__in=ids, due_on=day).aggregate(m=Sum("minutes"))["m"] or 0
    )


def load_warning(group: StudyGroup, day: dt.date) -> HomeworkWarning | None:
    klass = class_of(group)
    limit = DAILY_LIMITS.get(klass.grade or 0)
    if limit is None:
        return None
    total = daily_load(group, day)
    if total > limit:
        return HomeworkWarning(
            "daily_load",
            _(
                "Homework for %(class)s due on %(date)s adds up to %(total)s minutes, "
                "over the limit of %(limit)s minutes for grade %(grade)s."
            )
            % {
                "class": klass.name,
                "date": day.strftime("%d.%m"),
                "total": total,
                "limit": limit,
                "grade": klass.grade,
            },
        )
    return None


def control_share_warning(lesson: Lesson) -> HomeworkWarning | None:
    lessons = Lesson.objects.filter(
        group_id=lesson.group_id,
        subject_id=lesson.subject_id,
        period_id=lesson.period_id,
        status=Lesson.Status.HELD,
    )
    total = lessons.count()
    control = lessons.filter(kind=Lesson.Kind.CONTROL).count()
    if total and control / total > CONTROL_SHARE_LIMIT:
        return HomeworkWarning(
            "control_share",
            ngettext(
                "Control works are %(control)s of %(total)s lesson of this subject in the "
                "period — more than 10%%.",
                "Control works are %(control)s of %(total)s lessons of this subject in the "
                "period — more than 10%%.",
                total,
            )
            % {"control": control, "total": total},
        )
    return None


def is_late(lesson: Lesson, when: dt.datetime | None = None) -> bool:
    """Entered after the school day: after the year's setting, or after the last bell of the
    class's shift when that is later (the second shift may end after it)."""
    when = timezone.localtime(when or clock.now())
    ends = lesson.year.school_day_ends_at
    last_bell = Bell.objects.filter(year_id=lesson.year_id, shift=lesson.group.shift).aggregate(
        last=Max("ends_at")
    )["last"]
    if last_bell is not None and last_bell > ends:
        ends = last_bell
    return when > dt.datetime.combine(lesson.date, ends, tzinfo=when.tzinfo)


def next_lesson_date(lesson: Lesson) -> dt.date | None:
    return (
        Lesson.objects.filter(
            group_id=lesson.group_id,
            subject_id=lesson.subject_id,
            date__gt=lesson.date,
            status=Lesson.Status.HELD,
        )
        .order_by("date", "number")
        .values_list("date", flat=True)
        .first()
    )


def _clean_links(links: str) -> str:
    out = []
    for raw in (links or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        parsed = urlparse(line)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValidationError(
                {
                    "links": _("“%(link)s” is not a web address (http://… or https://…).")
                    % {"link": line[:100]}
                }
            )
        out.append(line)
    if len(out) > 10:
        raise ValidationError({"links": _("No more than ten links.")})
    return "\n".join(out)


@transaction.atomic
def homework_set(
    *,
    actor,
    lesson: Lesson,
    text: str,
    minutes: int = 20,
    links: str = "",
    due_on: dt.date | None = None,
) -> tuple[Homework | None, list[HomeworkWarning]]:
    """Set (or, with empty text, remove) the homework given at ``lesson``. Returns the
    homework and the warnings to show the teacher (the homework is saved anyway)."""
    check_lesson_writable(actor, lesson)
    text = (text or "").strip()
    existing = Homework.objects.filter(lesson=lesson).first()
    if not text:
        if existing is not None:
            audit_log(
                "journal.homework.delete",
                actor=actor,
                obj=existing,
                changes={"text": [existing.text, ""]},
            )
            # Homework is not a result: removing it is allowed (and audited).
            existing.delete()
        return None, []
    if len(text) > 5000:
        raise ValidationError({"text": _("The task is too long (5000 characters at most).")})
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240:
        raise ValidationError({"minutes": _("Estimated time must be from 1 to 240 minutes.")})
    links = _clean_links(links)
    due_on = due_on or next_lesson_date(lesson) or lesson.date + dt.timedelta(days=7)
    year = lesson.year
    if due_on <= lesson.date:
        raise ValidationError(
            {"due_on": _("Homework must be due after the lesson it is given at.")}
        )
    if not year.contains(due_on):
        raise ValidationError(
            {"due_on": _("The date is outside the academic year %(year)s.") % {"year": year.name}}
        )
    hw = existing or Homework(
        institution_id=lesson.institution_id,
        lesson=lesson,
        group_id=lesson.group_id,
        created_by=actor,
    )
    before = {
        "text": hw.text,
        "minutes": hw.minutes,
        "due_on": hw.due_on.isoformat() if hw.due_on else None,
    }
    hw.text, hw.minutes, hw.links, hw.due_on = text, minutes, links, due_on
    if existing is None:
        hw.is_late = is_late(lesson)
    hw.save()
    after = {"text": text, "minutes": minutes, "due_on": due_on.isoformat()}
    audit_log(
        "journal.homework.set",
        actor=actor,
        obj=hw,
        changes={
            k: [before[k] if existing else None, v]
            for k, v in after.items()
            if not existing or before[k] != v
        },
    )
    if existing is None or before["text"] != text or before["due_on"] != after["due_on"]:
        notify.on_homework(hw, actor=actor, changed=existing is not None)
    warnings = [w for w in (load_warning(lesson.group, due_on), control_share_warning(lesson)) if w]
    if hw.is_late:
        warnings.append(
            HomeworkWarning("late", _("Entered after the end of the school day: marked as late."))
        )
    return hw, warnings


# --- attachments -------------------------------------------------------------------------------

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10


def check_attachment(file, count_before: int = 0) -> None:
    """Refuse a file over 10 MB, or an eleventh file (before anything is written)."""
    name = os.path.basename(getattr(file, "name", "") or "")
    if not name:
        raise ValidationError({"files": _("The file has no name.")}, code="bad_file")
    if file.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError(
            {
                "files": _("“%(name)s” is larger than 10 MB: make it smaller or give a link.")
                % {"name": name[:100]}
            },
            code="too_large",
        )
    if count_before >= MAX_ATTACHMENTS:
        raise ValidationError({"files": _("No more than ten files per homework.")}, code="too_many")


@transaction.atomic
def homework_attachment_add(*, actor, homework: Homework, file) -> HomeworkAttachment:
    """Attach a file (≤ 10 MB) to a homework; it is stored through Django's storage."""
    check_lesson_writable(actor, homework.lesson)
    check_attachment(file, homework.attachments.count())
    name = os.path.basename(file.name)[-200:]
    attachment = HomeworkAttachment(homework=homework, name=name, size=file.size)
    attachment.file.save(name, file, save=False)
    attachment.save()
    audit_log(
        "journal.homework.attach",
        actor=actor,
        obj=attachment,
        changes={"name": [None, name], "size": [None, file.size]},
        institution_id=homework.institution_id,
    )
    return attachment


@transaction.atomic
def homework_attachment_delete(*, actor, attachment: HomeworkAttachment) -> None:
    homework = attachment.homework
    check_lesson_writable(actor, homework.lesson)
    audit_log(
        "journal.homework.detach",
        actor=actor,
        obj=attachment,
        changes={"name": [attachment.name, None]},
        institution_id=homework.institution_id,
    )
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored) if stored else None)
