"""The structure of a school year: years and periods, holidays, the municipal catalogue of
subjects, classes and groups (whose members may come from several institutions), and
teaching assignments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setka.core.models import TimeStampedModel
from setka.network.models import ActiveQuerySet, Institution, Municipality, Person

MAX_SHIFT = 3  # schools work in one, two or (rarely) three shifts


class AcademicYear(TimeStampedModel):
    class PeriodScheme(models.TextChoices):
        QUARTERS = "quarters", _("quarters")
        TRIMESTERS = "trimesters", _("trimesters")
        SEMESTERS = "semesters", _("semesters")

    class Rounding(models.TextChoices):
        # The suggested period mark from the weighted average:
        HALF_UP = "half_up", _("from .50 up (3.50 → 4)")
        SIXTY = "sixty", _("from .60 up (3.60 → 4, 3.59 → 3)")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="academic_years"
    )
    name = models.CharField(_("name"), max_length=20)  # "2026/2027"
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    period_scheme = models.CharField(
        _("periods"), max_length=16, choices=PeriodScheme.choices, default=PeriodScheme.QUARTERS
    )
    rounding = models.CharField(
        _("rounding of period marks"),
        max_length=16,
        choices=Rounding.choices,
        default=Rounding.HALF_UP,
    )
    min_marks_for_period = models.PositiveSmallIntegerField(
        _("minimum marks for a period mark"), default=3
    )
    school_day_ends_at = models.TimeField(
        _("the school day ends at"),
        default=dt.time(18, 0),
        help_text=_(
            "Homework entered later than this on the lesson's day (or than the last bell of the "
            "class's shift, when that is later) is flagged as late."
        ),
    )

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="year_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="year_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Period(models.Model):
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=50)  # "1 четверть"
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_closed = models.BooleanField(_("closed"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="period_unique_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Holiday(models.Model):
    """Holidays and other non-working days: no lessons are generated on them."""

    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="holiday_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """The municipal catalogue of subjects."""

    class Grading(models.TextChoices):
        MARKS = "marks", _("marks 1–5")
        PASS_FAIL = "pass_fail", _("pass / fail")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="subjects"
    )
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=30)
    grading = models.CharField(
        _("grading"), max_length=16, choices=Grading.choices, default=Grading.MARKS
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="subject_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pass_fail(self) -> bool:
        return self.grading == self.Grading.PASS_FAIL


class StudyGroup(TimeStampedModel):
    """A class (7Б) or a group: a language subgroup of a class, an elective, or the group of
    a network programme whose members come from several institutions."""

    class Kind(models.TextChoices):
        CLASS = "class", _("class")
        SUBGROUP = "subgroup", _("subgroup")
        ELECTIVE = "elective", _("elective group")
        NETWORK = "network", _("network programme group")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="study_groups"
    )
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CLASS)
    name = models.CharField(_("name"), max_length=100)
    grade = models.PositiveSmallIntegerField(
        _("grade"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
    )
    letter = models.CharField(_("letter"), max_length=4, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subgroups",
        verbose_name=_("class"),
    )
    class_teacher = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_groups",
        verbose_name=_("class teacher"),
    )
    shift = models.PositiveSmallIntegerField(
        _("shift"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SHIFT)],
        help_text=_("The shift the class studies in: its lessons take that shift's bells."),
    )

    class Meta:
        verbose_name = _("class or group")
        verbose_name_plural = _("classes and groups")
        ordering = ["grade", "letter", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="group_unique_name"),
        ]
        indexes = [models.Index(fields=["institution", "year"], name="group_inst_year_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_class(self) -> bool:
        return self.kind == self.Kind.CLASS


class GroupMember(models.Model):
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_memberships")
    home_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home institution"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="group_member_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "ends_on"], name="member_group_idx"),
            models.Index(fields=["student", "ends_on"], name="member_student_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student} ∈ {self.group}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class TeachingAssignment(TimeStampedModel):
    """Who teaches what to whom: teacher × group × subject × hours per week."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="assignments")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="assignments")
    teacher = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments")
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(20))],
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["teacher", "ends_on"], name="assignment_teacher_idx"),
            models.Index(fields=["group", "subject"], name="assignment_group_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.group} — {self.teacher}"
