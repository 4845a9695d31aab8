"""The municipal schedule builder: a methodologist collects items (open lessons, group
viewings of webinars) to place in a period, runs the CP-SAT solver, adjusts the proposal and
publishes it as events of the municipal calendar; every publication is a version, and later
changes of published items are kept as a changelog.

A schedule belongs to its municipality; its items, runs, versions and changes to it."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setka.core.clock import now
from setka.events.models import Event
from setka.journal.models import StudyGroup, Subject
from setka.network.models import Institution, Municipality, Person

WORKDAYS = [0, 1, 2, 3, 4]  # Monday = 0
MAX_DAYS = 92  # the longest period (a quarter): the solver's model grows with it
STEPS = (5, 10, 15, 20, 30, 60)


def workdays() -> list[int]:
    return list(WORKDAYS)


class Schedule(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        RUNNING = "running", _("the builder is running")
        PROPOSED = "proposed", _("proposal to publish")
        PUBLISHED = "published", _("published")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    weekdays = models.JSONField(_("allowed days"), default=workdays)
    preferred_weekdays = models.JSONField(_("preferred days"), default=list, blank=True)
    day_starts = models.TimeField(_("allowed from"), default=dt.time(8, 0))
    day_ends = models.TimeField(_("allowed until"), default=dt.time(18, 0))
    step_minutes = models.PositiveSmallIntegerField(
        _("start times every (minutes)"),
        default=10,
        choices=[(s, str(s)) for s in STEPS],
    )
    time_limit = models.PositiveSmallIntegerField(
        _("time limit of the builder (seconds)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("published version"), default=0)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("municipal schedule")
        verbose_name_plural = _("municipal schedules")
        ordering = ["-first_day", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="schedule_days_ordered"
            ),
            models.CheckConstraint(
                condition=Q(day_ends__gt=F("day_starts")), name="schedule_hours_ordered"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "state"], name="schedule_state_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("schedule:detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.state == self.State.RUNNING


class Item(models.Model):
    """Something to place: an open lesson (its host teacher, class and subject) or a group
    viewing of a webinar by the teachers of a subject at a school (a live webinar at its fixed
    time, or a recording at any free time)."""

    class Kind(models.TextChoices):
        OPEN_LESSON = "open_lesson", _("open lesson")
        VIEWING = "viewing", _("group viewing of a webinar")

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)  # the methodologist's order
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(10), MaxValueValidator(240)]
    )
    host = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host teacher"),
    )
    group = models.ForeignKey(
        StudyGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("class"),
    )
    online = models.BooleanField(
        _("online participation"),
        default=False,
        help_text=_("An open lesson broadcast to remote observers (a videoconference room)."),
    )
    venues = models.ManyToManyField(
        Institution, related_name="+", verbose_name=_("where it may take place")
    )
    targets = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("teachers who must attend")
    )
    audience = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="+",
        verbose_name=_("schools whose teachers of the subject are invited"),
    )
    webinar_url = models.URLField(_("link to the webinar"), max_length=500, blank=True)
    webinar_event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("webinar of the calendar"),
    )
    fixed_start = models.DateTimeField(_("fixed start"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The proposal (or the published placement): when and where, or why not.
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    venue = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue"),
    )
    resource_id = models.BigIntegerField(_("videoconference kit"), null=True, blank=True)
    pinned = models.BooleanField(_("placed by hand"), default=False)
    reason = models.JSONField(default=dict, blank=True)  # {"code": ..., "params": {...}}
    warnings = models.JSONField(default=list, blank=True)
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("item of a schedule")
        verbose_name_plural = _("items of a schedule")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["schedule", "position"], name="schedule_item_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_placed(self) -> bool:
        return self.starts_at is not None

    @property
    def is_published(self) -> bool:
        return self.event_id is not None

    @property
    def needs_room(self) -> bool:
        """Whether it takes a videoconference room of its venue."""
        return self.kind == self.Kind.VIEWING or self.online


class Run(models.Model):
    """One run of the builder: its solver's status, objective, bound and time, and the greedy
    baseline's count on the same candidates."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField(default=1)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    time_limit = models.PositiveSmallIntegerField(default=10)
    created_at = models.DateTimeField(default=now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    solver_status = models.CharField(max_length=16, blank=True)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    wall_seconds = models.FloatField(null=True, blank=True)
    items_total = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    greedy_placed = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    used_greedy = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("run of the builder")
        verbose_name_plural = _("runs of the builder")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="schedule_run_number")
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id}#{self.number}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Version(models.Model):
    """A publication: what was published, when and by whom."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=now)
    published_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    placed = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    snapshot = models.JSONField(default=list)  # [{item, title, starts_at, ends_at, venue}]

    class Meta:
        verbose_name = _("version of a schedule")
        verbose_name_plural = _("versions of a schedule")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="schedule_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} v{self.number}"


class Change(models.Model):
    """A change of a published schedule: an item moved, cancelled or added (from → to)."""

    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        MOVED = "moved", _("moved")
        CANCELLED = "cancelled", _("cancelled")

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField()  # the published version it changed
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    event_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("item"), max_length=200)
    before = models.JSONField(default=dict, blank=True)  # {starts_at, ends_at, venue, venue_name}
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("why"), max_length=300, blank=True)
    actor = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notified = models.PositiveIntegerField(default=0)  # people told
    created_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("change of a published schedule")
        verbose_name_plural = _("changes of a published schedule")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["schedule", "created_at"], name="schedule_change_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
