"""The municipal calendar: events (open lessons, webinars, master classes, seminars, meetings
of methodological associations, conferences, contest events), their series and hosts.

An event belongs to its organiser institution (and so to a municipality). It is held at a
venue (an institution's room, or a shared resource booked through the resource centres)
and/or online through a video provider. Its status goes draft → published → cancelled or
finished; only published events are seen by others than their organisers."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setka.core.clock import now
from setka.journal.models import Lesson, StudyGroup, Subject
from setka.network.models import Institution, Municipality, Person

#: How long before the start the join page lets participants in.
JOIN_EARLY = dt.timedelta(minutes=15)


def new_room_key() -> str:
    return secrets.token_urlsafe(9).replace("-", "x").replace("_", "y").lower()


def new_password() -> str:
    return secrets.token_hex(8)


class Kind(models.TextChoices):
    OPEN_LESSON = "open_lesson", _("open lesson")
    WEBINAR = "webinar", _("webinar")
    MASTER_CLASS = "master_class", _("master class")
    SEMINAR = "seminar", _("seminar")
    ASSOCIATION = "association", _("meeting of a methodological association")
    CONFERENCE = "conference", _("conference")
    CONTEST = "contest", _("contest event")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CANCELLED = "cancelled", _("cancelled")
    FINISHED = "finished", _("finished")


class Provider(models.TextChoices):
    """How remote participants take part."""

    NONE = "", _("in person only")
    JITSI = "jitsi", _("Jitsi Meet")
    BBB = "bbb", _("BigBlueButton")
    EXTERNAL = "external", _("a link to another webinar service")


class Series(models.Model):
    """Events that repeat by a rule: every occurrence is an event of its own (registrations
    are per occurrence); the feeds write the series as one recurring event."""

    class Frequency(models.TextChoices):
        DAILY = "DAILY", _("every day")
        WEEKLY = "WEEKLY", _("every week")
        MONTHLY = "MONTHLY", _("every month")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(_("repeats"), max_length=8, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(
        _("every"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    count = models.PositiveSmallIntegerField(
        _("occurrences"), validators=[MinValueValidator(2), MaxValueValidator(60)]
    )
    # The first occurrence as it was planned: the rule's DTSTART and every occurrence's length.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("series of events")
        verbose_name_plural = _("series of events")

    def __str__(self) -> str:
        return f"{self.frequency}/{self.interval} x{self.count}"

    @property
    def rrule(self) -> dict:
        return {"FREQ": self.frequency, "INTERVAL": self.interval, "COUNT": self.count}


class Event(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="events", verbose_name=_("organiser")
    )
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    occurrence = models.PositiveSmallIntegerField(default=0)  # its index in the series
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject"),
    )
    hosts = models.ManyToManyField(
        Person, blank=True, related_name="hosted_events", verbose_name=_("hosts")
    )
    # The audience: who may register.
    for_teachers = models.BooleanField(_("teachers"), default=True)
    for_students = models.BooleanField(_("students"), default=False)
    for_parents = models.BooleanField(_("parents"), default=False)
    for_public = models.BooleanField(_("anyone"), default=False)
    audience_subjects = models.ManyToManyField(
        Subject,
        blank=True,
        related_name="+",
        verbose_name=_("teachers of these subjects"),
    )
    grade_min = models.PositiveSmallIntegerField(
        _("from grade"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
    )
    grade_max = models.PositiveSmallIntegerField(
        _("to grade"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # The venue: an institution's room, or a shared resource booked through the resource
    # centres (``booking_ref``: the booking's id there).
    venue = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue"),
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    resource_id = models.BigIntegerField(_("shared resource"), null=True, blank=True)
    booking_id = models.BigIntegerField(null=True, blank=True)
    capacity_in_person = models.PositiveIntegerField(
        _("places in person"), default=0, help_text=_("0: no participation in person.")
    )
    capacity_remote = models.PositiveIntegerField(
        _("places online"), default=0, help_text=_("0: no remote participation.")
    )
    provider = models.CharField(
        _("video"), max_length=8, choices=Provider.choices, blank=True, default=""
    )
    external_url = models.URLField(_("link to the webinar"), max_length=500, blank=True)
    room_key = models.CharField(max_length=32, default=new_room_key, editable=False)
    moderator_password = models.CharField(max_length=32, default=new_password, editable=False)
    attendee_password = models.CharField(max_length=32, default=new_password, editable=False)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("When empty: at the start of the event."),
    )
    materials = models.TextField(_("materials"), blank=True, help_text=_("Links, one a line."))
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    cancel_reason = models.CharField(_("reason of the cancellation"), max_length=300, blank=True)
    # The open lesson: the host teacher's class, topic, goals and planned results, and the
    # lesson of the journal it is.
    group = models.ForeignKey(
        StudyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("class"),
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    planned_results = models.TextField(_("planned results"), blank=True)
    lesson = models.OneToOneField(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="open_event",
        verbose_name=_("lesson of the journal"),
    )
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped on changes
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_times_ordered",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(grade_min__isnull=True)
                | Q(grade_max__isnull=True)
                | Q(grade_max__gte=models.F("grade_min")),
                name="event_grades_ordered",
                violation_error_message=_("The last grade cannot be below the first one."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "starts_at"], name="event_calendar_idx"),
            models.Index(fields=["institution", "starts_at"], name="event_institution_idx"),
            models.Index(fields=["series"], name="event_series_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_open_lesson(self) -> bool:
        return self.kind == Kind.OPEN_LESSON

    @property
    def is_online(self) -> bool:
        return bool(self.provider) and self.capacity_remote > 0

    @property
    def is_in_person(self) -> bool:
        return self.capacity_in_person > 0

    @property
    def joins_from(self) -> dt.datetime:
        return self.starts_at - JOIN_EARLY

    @property
    def closes_at(self) -> dt.datetime:
        return self.registration_closes_at or self.starts_at

    def material_links(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]
