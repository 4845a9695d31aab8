"""Applications to offers and the enrolment they lead to. An accepted application holds a
place of the offer and, when the offer has a group in the provider's journal, the student's
membership of that group."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setka.core.models import TimeStampedModel
from setka.journal.models import GroupMember
from setka.network.models import Institution, Person

from .offers import Offer


class ApplicationStatus(models.TextChoices):
    HOME_REVIEW = "home_review", _("awaiting the home school")
    PENDING = "pending", _("awaiting the provider")
    ACCEPTED = "accepted", _("accepted")
    WAITLISTED = "waitlisted", _("on the waiting list")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Application(TimeStampedModel):
    Status = ApplicationStatus

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="applications")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    student = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="offer_applications")
    applicant = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("applied by")
    )
    home_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("home school")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    message = models.TextField(_("message"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    home_confirmed_at = models.DateTimeField(null=True, blank=True)
    home_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        GroupMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    LIVE = (Status.HOME_REVIEW, Status.PENDING, Status.ACCEPTED, Status.WAITLISTED)
    DECIDABLE = (Status.PENDING, Status.WAITLISTED)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["created_at", "id"]
        constraints = [
            # One live application of a student to an offer, also under concurrent requests.
            models.UniqueConstraint(
                fields=["offer", "student"],
                condition=Q(status__in=["home_review", "pending", "accepted", "waitlisted"]),
                name="application_unique_live",
            ),
        ]
        indexes = [
            models.Index(fields=["offer", "status"], name="application_offer_idx"),
            models.Index(fields=["student", "status"], name="application_student_idx"),
            models.Index(fields=["home_institution", "status"], name="application_home_idx"),
            models.Index(fields=["institution", "status"], name="application_provider_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.offer}"

    def get_absolute_url(self) -> str:
        return reverse("programs:application", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE
