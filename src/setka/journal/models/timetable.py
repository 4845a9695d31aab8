"""The bell schedule, the weekly timetable and the lessons generated from it."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setka.network.models import Institution, Person

from .structure import MAX_SHIFT, AcademicYear, Period, StudyGroup, Subject


class Bell(models.Model):
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="bells")
    shift = models.PositiveSmallIntegerField(
        _("shift"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_SHIFT)]
    )
    number = models.PositiveSmallIntegerField(
        _("lesson number"), validators=[MinValueValidator(0), MaxValueValidator(12)]
    )
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        verbose_name = _("bell")
        verbose_name_plural = _("bell schedule")
        ordering = ["shift", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "shift", "number"], name="bell_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="bell_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")


class TimetableEntry(models.Model):
    """One line of a weekly timetable, valid between two dates."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="timetable")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    room = models.CharField(_("room"), max_length=50, blank=True)
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    number = models.PositiveSmallIntegerField(
        _("lesson number"), validators=[MinValueValidator(0), MaxValueValidator(12)]
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("timetable entry")
        verbose_name_plural = _("timetable")
        ordering = ["weekday", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="timetable_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["group", "weekday"], name="timetable_group_idx")]

    def __str__(self) -> str:
        return f"{self.group} {self.get_weekday_display()} {self.number}: {self.subject}"


class Lesson(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class Kind(models.TextChoices):
        REGULAR = "regular", _("lesson")
        CONTROL = "control", _("control work")
        PRACTICAL = "practical", _("practical or laboratory work")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="lessons")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="lessons")
    substitute = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_lessons",
        verbose_name=_("substitute teacher"),
    )
    date = models.DateField(_("date"))
    number = models.PositiveSmallIntegerField(_("lesson number"))
    room = models.CharField(_("room"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="held")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default="regular")
    moved_from = models.DateField(_("moved from"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    timetable_entry = models.ForeignKey(
        TimetableEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "subject", "date", "number"], name="lesson_unique_slot"
            ),
        ]
        indexes = [
            models.Index(fields=["group", "subject", "date"], name="lesson_group_subject_idx"),
            models.Index(fields=["teacher", "date"], name="lesson_teacher_idx"),
            models.Index(fields=["group", "date"], name="lesson_group_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.group} {self.date:%d.%m} ({self.number})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def conducting_teacher_id(self) -> int:
        return self.substitute_id or self.teacher_id
