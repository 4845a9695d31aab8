"""What the journal records: marks (with kinds and weights), attendance, homework and period
marks. Nothing here is ever hard-deleted: a deleted mark keeps its row, flagged, with the
reason; every change is in the audit log."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setka.network.models import Institution, Person

from ..marktext import mark_text
from .structure import Period, StudyGroup, Subject
from .timetable import Lesson


class MarkKind(models.Model):
    """What a mark is for (answer in class, test, …) and its weight in the average."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=10)
    weight = models.DecimalField(
        _("weight"),
        max_digits=3,
        decimal_places=1,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(5))],
    )
    is_control = models.BooleanField(_("control work"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("mark kind")
        verbose_name_plural = _("mark kinds")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="mark_kind_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Mark(models.Model):
    # Marks are the largest table (~7 M rows a year in a municipality): only the indexes the
    # grid, the diary and the reports use exist; the other foreign keys are not indexed.
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="marks")
    student = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="marks", db_index=False
    )
    # Copies of the lesson's fields, so the grid, the diary and the reports read one table.
    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+", db_index=False)
    date = models.DateField(_("date"))
    value = models.PositiveSmallIntegerField(
        _("mark"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    kind = models.ForeignKey(MarkKind, on_delete=models.PROTECT, related_name="+", db_index=False)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    is_deleted = models.BooleanField(_("deleted"), default=False)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False, passed__isnull=True)
                | Q(value__isnull=True, passed__isnull=False),
                name="mark_value_or_pass",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5),
                name="mark_value_range",
            ),
        ]
        indexes = [
            models.Index(fields=["student", "date"], name="mark_student_date_idx"),
            models.Index(fields=["group", "subject", "date"], name="mark_group_subject_idx"),
            models.Index(fields=["institution", "date"], name="mark_institution_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display} {self.student} {self.date:%d.%m}"

    @property
    def display(self) -> str:
        return mark_text(self.value, self.passed)


class AttendanceCode(models.TextChoices):
    ABSENT = "Н", _("absent")
    ILL = "Б", _("ill")
    EXCUSED = "УП", _("absent for a good reason")
    LATE = "ОП", _("late")


class Attendance(models.Model):
    """An absence or lateness at a lesson. Clearing it keeps the row with an empty code."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="attendance")
    student = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    code = models.CharField(_("code"), max_length=2, choices=AttendanceCode.choices, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "student"], name="attendance_unique"),
        ]
        indexes = [
            models.Index(fields=["student", "date"], name="attendance_student_idx"),
            models.Index(fields=["group", "date"], name="attendance_group_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code or '—'} {self.student} {self.date:%d.%m}"


class Homework(models.Model):
    """Homework given at a lesson, due at the next lesson of the subject (or a chosen date)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    lesson = models.OneToOneField(Lesson, on_delete=models.PROTECT, related_name="homework")
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("due on"))
    text = models.TextField(_("task"))
    links = models.TextField(_("links"), blank=True, help_text=_("One address per line."))
    minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    is_late = models.BooleanField(_("entered late"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("homework")
        verbose_name_plural = _("homework")
        indexes = [models.Index(fields=["group", "due_on"], name="homework_group_due_idx")]

    def __str__(self) -> str:
        return f"{self.lesson}: {self.text[:40]}"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def homework_upload_to(instance: HomeworkAttachment, filename: str) -> str:
    return f"homework/{instance.homework.institution_id}/{instance.homework_id}/{filename}"


class HomeworkAttachment(models.Model):
    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=homework_upload_to, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class PeriodMark(models.Model):
    """A period (or year, when ``period`` is empty) mark, confirmed or overridden by the
    teacher against the suggestion computed from the weighted average."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="period_marks")
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.PositiveSmallIntegerField(
        _("mark"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    not_certified = models.BooleanField(_("not certified (н/а)"), default=False)
    average = models.DecimalField(
        _("weighted average"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    suggested = models.PositiveSmallIntegerField(_("suggested"), null=True, blank=True)
    is_override = models.BooleanField(_("differs from the suggestion"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("period mark")
        verbose_name_plural = _("period marks")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "subject", "student", "period"],
                name="period_mark_unique",
            ),
            models.UniqueConstraint(
                fields=["group", "subject", "student"],
                condition=Q(period__isnull=True),
                name="year_mark_unique",
            ),
        ]
        indexes = [models.Index(fields=["student"], name="period_mark_student_idx")]

    def __str__(self) -> str:
        return f"{self.value or ''} {self.student} {self.subject}"
