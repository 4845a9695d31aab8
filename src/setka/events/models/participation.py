"""Taking part: registrations (in person or remote, with a waiting list), observation
protocols of open lessons, participation certificates and the secret personal feed."""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setka.core.clock import now
from setka.network.models import Municipality, Person

from .event import Event

# No 0/O, 1/I/L: a code is read from paper and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    REMOTE = "remote", _("online")


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="event_registrations")
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), default=now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("present"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined online"), null=True, blank=True)
    # Reminders sent (each once): the day before, and shortly before the start.
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_soon_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=~Q(status="cancelled"),
                name="registration_once",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "mode"], name="registration_event_idx"),
            models.Index(fields=["person", "status"], name="registration_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.event_id} ({self.status}, {self.mode})"

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None or self.joined_at is not None


class Criterion(models.Model):
    """One line of the observation protocol (карта анализа урока), scored 0–2."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    title = models.CharField(_("criterion"), max_length=300)
    hint = models.CharField(_("what to look at"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("observation criterion")
        verbose_name_plural = _("observation criteria")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


MAX_SCORE = 2


class Protocol(models.Model):
    """One observer's protocol of one open lesson."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="protocols")
    observer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(_("general comment"), blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("observation protocol")
        verbose_name_plural = _("observation protocols")
        constraints = [
            models.UniqueConstraint(fields=["event", "observer"], name="protocol_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.observer_id}"


class Score(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(MAX_SCORE)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["protocol", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(value__lte=MAX_SCORE), name="score_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class Certificate(models.Model):
    class Role(models.TextChoices):
        HOST = "host", _("host")
        PARTICIPANT = "participant", _("participant")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="certificates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("as"), max_length=12, choices=Role.choices)
    code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_certificate_code
    )
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    issued_at = models.DateTimeField(_("issued"), default=now)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="certificate_once"),
        ]

    def __str__(self) -> str:
        return self.code


class FeedToken(models.Model):
    """The secret of a person's personal calendar feed; reset makes the old one stop."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="event_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.person_id}"
