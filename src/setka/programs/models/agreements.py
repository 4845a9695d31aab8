"""Network agreements (art. 15 of Federal Law 273-ФЗ): a base institution and its partners
implement a programme together; the agreement says who implements which part with which
resources, the status of the students, how results are credited and which documents are
issued, its term and how it changes and ends."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setka.core.clock import today
from setka.core.models import TimeStampedModel
from setka.network.models import Institution, Municipality


class ProgrammeLevel(models.TextChoices):
    GENERAL = "general", _("general education programme")
    ADDITIONAL = "additional", _("additional general education programme")
    VOCATIONAL = "vocational", _("vocational education programme")
    HIGHER = "higher", _("higher education programme")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    AGREED = "agreed", _("agreed by all parties")
    ACTIVE = "active", _("in force")
    ENDED = "ended", _("ended")


class Agreement(TimeStampedModel):
    Status = AgreementStatus

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="agreements"
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="base_agreements",
        verbose_name=_("base institution"),
    )
    number = models.CharField(_("number"), max_length=50, blank=True)
    programme = models.CharField(_("programme"), max_length=300)
    level = models.CharField(
        _("kind of programme"),
        max_length=16,
        choices=ProgrammeLevel.choices,
        default=ProgrammeLevel.ADDITIONAL,
    )
    place = models.CharField(_("place of signing"), max_length=100, blank=True)
    student_status = models.TextField(_("status of the students"))
    credit_rules = models.TextField(_("how and by whom results are credited"))
    documents = models.TextField(_("documents issued"))
    changes_rules = models.TextField(_("how the agreement is changed"))
    termination_rules = models.TextField(_("how the agreement ends"))
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("network agreement")
        verbose_name_plural = _("network agreements")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="agreement_dates_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status"], name="agreement_muni_status_idx"),
        ]

    def __str__(self) -> str:
        number = f"№ {self.number} " if self.number else ""
        return f"{number}«{self.programme}»"

    def get_absolute_url(self) -> str:
        return reverse("programs:agreement", args=[self.pk])

    @property
    def effective_status(self) -> str:
        """An active agreement whose term has passed is ended, whatever is stored."""
        if self.status == self.Status.ACTIVE and self.ends_on < today():
            return self.Status.ENDED
        return self.status

    def get_effective_status_display(self) -> str:
        return str(self.Status(self.effective_status).label)

    @property
    def takes_students(self) -> bool:
        """Offers under it may enrol students: agreed or in force, and the term not over."""
        return self.status in (self.Status.AGREED, self.Status.ACTIVE) and self.ends_on >= today()

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class AgreementParty(models.Model):
    class Role(models.TextChoices):
        BASE = "base", _("base institution")
        PARTNER = "partner", _("partner")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="agreement_parties"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("party of an agreement")
        verbose_name_plural = _("parties of agreements")
        ordering = ["-role", "institution__short_name"]  # the base first
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution"], name="agreement_party_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} ({self.get_role_display()})"


class AgreementPart(models.Model):
    """A part (module) of the programme: who implements it, in how many hours, with which
    staff, premises and equipment."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parts")
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("implemented by"),
    )
    title = models.CharField(_("part of the programme"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    staff = models.TextField(_("staff"), blank=True)
    premises = models.TextField(_("premises"), blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("part of a programme")
        verbose_name_plural = _("parts of programmes")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


def scan_upload_to(instance: AgreementScan, filename: str) -> str:
    return f"agreements/{instance.agreement_id}/{os.path.basename(filename)[-100:]}"


class AgreementScan(models.Model):
    """A signed copy of the agreement (a scan or a signed PDF): served only to the parties."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField(_("file"), upload_to=scan_upload_to, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("signed copy")
        verbose_name_plural = _("signed copies")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
