"""The notification centre: what happened, for whom, and how each person wants to be told.

A :class:`Notification` is one event for one person with a sign-in account: shown in the
bell and the list, and delivered by e-mail at once or in the digest by the person's
:class:`Preference` for its kind. Its text is built when it is shown, in the reader's
language, from ``kind`` and ``data`` (``kinds.py``); it is kept for a school year."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setka.core.clock import now
from setka.network.models import Institution, Municipality, Person


class Channel(models.TextChoices):
    """How a person is told of a kind of event. The bell always shows it."""

    IN_APP = "in_app", _("only in Setka")
    EMAIL = "email", _("e-mail at once")
    DIGEST = "digest", _("in the e-mail digest")


class Delivery(models.TextChoices):
    NONE = "none", _("not by e-mail")
    PENDING = "pending", _("to send")
    DIGEST = "digest", _("waits for the digest")
    SENT = "sent", _("sent")
    FAILED = "failed", _("could not be sent")


class Notification(models.Model):
    recipient = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("to")
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=64)
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The person the event is about (a parent's child), to group the digest and the list.
    about = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    delivery = models.CharField(
        _("e-mail"), max_length=8, choices=Delivery.choices, default=Delivery.NONE
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_idx"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread_idx"
            ),
            models.Index(
                fields=["delivery", "recipient"],
                condition=Q(delivery__in=["pending", "digest"]),
                name="notif_delivery_idx",
            ),
            models.Index(fields=["created_at"], name="notif_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Preference(models.Model):
    """A person's channel for one kind of event (the kind's default when there is none)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("how"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="notif_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind} → {self.channel}"


class DigestSchedule(models.Model):
    """How often a person's digest goes out, and when the last one did."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("every day")
        WEEKLY = "weekly", _("once a week")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="digest")
    frequency = models.CharField(
        _("how often"), max_length=8, choices=Frequency.choices, default=Frequency.DAILY
    )
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest schedule")
        verbose_name_plural = _("digest schedules")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.frequency}"
