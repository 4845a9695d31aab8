"""Survey campaigns, each institution's response with the scores computed from it, teachers'
self-assessments, bandwidth measurements and the municipality's index settings."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from setka.core.clock import now, today
from setka.network.models import Institution, Municipality, Person

from .questionnaire import Questionnaire, QuestionnaireVersion


class Form(models.TextChoices):
    """The network forms readiness is judged for."""

    JOIN_REMOTE = "join_remote", _("take part remotely")
    HOST_LESSON = "host_lesson", _("host a remote open lesson")
    HOST_COURSE = "host_course", _("host a shared course")


class Level(models.TextChoices):
    READY = "ready", _("ready")
    PARTLY = "partly", _("partly ready")
    NOT_READY = "not_ready", _("not ready")


class Skill(models.TextChoices):
    """The skills of the teachers' ICT self-assessment (one column each)."""

    OFFICE = "office", _("office tools")
    INTERNET = "internet", _("internet resources for teaching")
    DISTANCE = "distance", _("distance learning tools")
    VIDEO = "video", _("videoconferencing")
    JOURNAL = "journal", _("the electronic journal")
    CONTENT = "content", _("creating digital content")


class SkillLevel(models.IntegerChoices):
    NONE = 0, _("I do not use it")
    BASIC = 1, _("basic: with help")
    CONFIDENT = 2, _("confident: on my own")
    ADVANCED = 3, _("advanced: I can teach colleagues")


def new_revision() -> str:
    return uuid.uuid4().hex


def _pct(name: str, default: int):
    return models.PositiveSmallIntegerField(
        name, default=default, validators=[MaxValueValidator(100)]
    )


class IndexSettings(models.Model):
    """The municipality's weights, thresholds and connection settings of the index."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="readiness_settings"
    )
    weight_infrastructure = _pct(_("weight of infrastructure"), 20)
    weight_connectivity = _pct(_("weight of connectivity"), 25)
    weight_videoconferencing = _pct(_("weight of videoconferencing"), 25)
    weight_staff = _pct(_("weight of staff competence"), 20)
    weight_participation = _pct(_("weight of participation"), 10)
    min_stream_mbps = models.DecimalField(
        _("minimum connection per video stream, Mbit/s"),
        max_digits=6,
        decimal_places=2,
        default=2,
        validators=[MinValueValidator(0.1)],
    )
    host_streams = models.PositiveSmallIntegerField(
        _("streams a hosting institution sends"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    target_urban_mbps = models.DecimalField(
        _("target connection, urban, Mbit/s"),
        max_digits=8,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(1)],
    )
    target_rural_mbps = models.DecimalField(
        _("target connection, rural, Mbit/s"),
        max_digits=8,
        decimal_places=2,
        default=50,
        validators=[MinValueValidator(1)],
    )
    join_ready = _pct(_("take part remotely: ready from"), 50)
    join_partly = _pct(_("take part remotely: partly ready from"), 30)
    host_lesson_ready = _pct(_("host a remote open lesson: ready from"), 65)
    host_lesson_partly = _pct(_("host a remote open lesson: partly ready from"), 45)
    host_course_ready = _pct(_("host a shared course: ready from"), 75)
    host_course_partly = _pct(_("host a shared course: partly ready from"), 55)
    self_assessment_weight = models.DecimalField(
        _("weight of the teachers' self-assessment in staff competence"),
        max_digits=5,
        decimal_places=2,
        default=3,
        validators=[MinValueValidator(0)],
    )
    setka_participation_weight = models.DecimalField(
        _("weight of Setka's own data in participation"),
        max_digits=5,
        decimal_places=2,
        default=2,
        validators=[MinValueValidator(0)],
    )
    basic_share_alert = _pct(_("recommend training when teachers at the basic level reach, %"), 40)
    updated_at = models.DateTimeField(_("updated"), default=now)

    class Meta:
        verbose_name = _("readiness index settings")
        verbose_name_plural = _("readiness index settings")

    def __str__(self) -> str:
        return str(self.municipality_id)


class Campaign(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="readiness_campaigns"
    )
    title = models.CharField(_("title"), max_length=200)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="campaigns"
    )
    starts_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    teachers_asked = models.BooleanField(_("teachers assess their ICT competence"), default=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    opened_notified = models.BooleanField(default=False)
    last_reminder_on = models.DateField(null=True, blank=True)
    # Changes whenever what the dashboard shows changes (``dashboard.changed``): the key of
    # its cache, right in every process whatever cache backend runs.
    revision = models.CharField(max_length=32, default=new_revision, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=now)

    class Meta:
        verbose_name = _("readiness campaign")
        verbose_name_plural = _("readiness campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("starts_on")),
                name="readiness_campaign_dates",
            )
        ]
        indexes = [models.Index(fields=["municipality", "-starts_on"], name="readiness_camp_idx")]

    def __str__(self) -> str:
        return self.title

    def status_on(self, day: dt.date | None = None) -> str:
        day = day or today()
        if self.closed_at is not None:
            return self.Status.CLOSED
        return self.Status.PLANNED if self.starts_on > day else self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


def _score(name: str):
    return models.FloatField(name, null=True, blank=True)


class Response(models.Model):
    """An institution's answers in a campaign, and the index computed at its last submission."""

    class Status(models.TextChoices):
        PENDING = "pending", _("not started")
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="readiness_responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_until = models.DateField(_("reopened until"), null=True, blank=True)
    reopen_requested_at = models.DateTimeField(_("reopening asked"), null=True, blank=True)
    reopen_reason = models.TextField(_("why reopen"), blank=True)
    # The scores of the last submission (docs/readiness-index.md); null until submitted.
    index = _score(_("readiness index"))
    infrastructure = _score(_("infrastructure"))
    connectivity = _score(_("connectivity"))
    videoconferencing = _score(_("videoconferencing"))
    staff = _score(_("staff competence"))
    participation = _score(_("participation"))
    join_remote = models.CharField(max_length=10, choices=Level.choices, blank=True)
    host_lesson = models.CharField(max_length=10, choices=Level.choices, blank=True)
    host_course = models.CharField(max_length=10, choices=Level.choices, blank=True)
    can_join = models.BooleanField(default=False)
    can_host = models.BooleanField(default=False)
    bandwidth_mbps = models.FloatField(null=True, blank=True)
    upload_mbps = models.FloatField(null=True, blank=True)
    vc_rooms = models.PositiveIntegerField(null=True, blank=True)
    teachers_total = models.PositiveIntegerField(default=0)
    teachers_assessed = models.PositiveIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True)
    participation_counts = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("readiness response")
        verbose_name_plural = _("readiness responses")
        ordering = ["campaign_id", "institution__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "institution"], name="readiness_response_unique"
            )
        ]
        indexes = [
            models.Index(fields=["institution", "campaign"], name="readiness_resp_inst_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.institution_id}"

    def editable_on(self, day: dt.date) -> bool:
        """Open for answers: the campaign is open and before its deadline, or reopened."""
        if self.campaign.closed_at is not None or self.campaign.starts_on > day:
            return False
        if self.status == self.Status.SUBMITTED:
            return False
        return day <= max(self.campaign.deadline, self.reopened_until or self.campaign.deadline)


class SelfAssessment(models.Model):
    """A teacher's ICT self-assessment in a campaign: a level (0–3) per skill."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="self_assessments"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ict_assessments")
    office = models.PositiveSmallIntegerField(null=True, blank=True, choices=SkillLevel.choices)
    internet = models.PositiveSmallIntegerField(null=True, blank=True, choices=SkillLevel.choices)
    distance = models.PositiveSmallIntegerField(null=True, blank=True, choices=SkillLevel.choices)
    video = models.PositiveSmallIntegerField(null=True, blank=True, choices=SkillLevel.choices)
    journal = models.PositiveSmallIntegerField(null=True, blank=True, choices=SkillLevel.choices)
    content = models.PositiveSmallIntegerField(null=True, blank=True, choices=SkillLevel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    updated_at = models.DateTimeField(_("updated"), default=now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("ICT self-assessment")
        verbose_name_plural = _("ICT self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"], name="readiness_self_assessment_unique"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="readiness_sa_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.person_id}"

    def levels(self) -> dict[str, int | None]:
        return {skill: getattr(self, skill) for skill in Skill.values}


class SpeedTest(models.Model):
    """A bandwidth check run from an institution's network (the bandwidth check page)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="readiness_speed_tests"
    )
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="speed_tests"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    measured_at = models.DateTimeField(_("measured"), default=now)
    download_mbps = models.FloatField(_("download, Mbit/s"))
    upload_mbps = models.FloatField(_("upload, Mbit/s"), null=True, blank=True)
    latency_ms = models.FloatField(_("latency, ms"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("bandwidth check")
        verbose_name_plural = _("bandwidth checks")
        ordering = ["-measured_at", "-id"]
        indexes = [
            models.Index(fields=["institution", "-measured_at"], name="readiness_speed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.download_mbps} Mbit/s"
