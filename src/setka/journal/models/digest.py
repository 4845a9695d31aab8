"""A parent's choice of an e-mail digest of their children's new marks and absences."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from setka.network.models import Person


class DigestSubscription(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", _("every day")
        WEEKLY = "weekly", _("once a week")
        OFF = "off", _("do not send")

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="journal_digest", verbose_name=_("parent")
    )
    frequency = models.CharField(
        _("how often"), max_length=8, choices=Frequency.choices, default=Frequency.OFF
    )
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("journal digest subscription")
        verbose_name_plural = _("journal digest subscriptions")
        indexes = [models.Index(fields=["frequency"], name="digest_frequency_idx")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.frequency}"
