"""Resource centres: the rooms, equipment and specialists an institution shares with the
network, their bookable hours, and the bookings of other institutions.

Bookings of one resource never overlap while they are active (waiting for approval or
confirmed): on PostgreSQL an exclusion constraint (``BOOKING_NO_OVERLAP``, added by the
first migration) guarantees it, on SQLite the service checks inside an IMMEDIATE
transaction, which holds the database's write lock."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from setka.core.clock import now
from setka.core.models import TimeStampedModel
from setka.network.models import Institution, Person

#: The name of the PostgreSQL exclusion constraint (migration 0001): an IntegrityError
#: naming it is a clash of two bookings.
BOOKING_NO_OVERLAP = "resources_booking_no_overlap"


class ResourceKind(models.TextChoices):
    ROOM = "room", _("room")
    EQUIPMENT = "equipment", _("equipment")
    SPECIALIST = "specialist", _("specialist")


class ResourceCategory(models.TextChoices):
    """What a resource is, within its kind (for filters and icons)."""

    LABORATORY = "laboratory", _("laboratory")
    ASSEMBLY_HALL = "assembly_hall", _("assembly hall")
    SPORTS_HALL = "sports_hall", _("sports hall")
    CLASSROOM = "classroom", _("classroom or workshop")
    MOBILE_CLASS = "mobile_class", _("mobile class")
    PRINTER_3D = "printer_3d", _("3D printer")
    VIDEOCONFERENCE = "videoconference", _("videoconference kit")
    INTERACTIVE_BOARD = "interactive_board", _("interactive board")
    PSYCHOLOGIST = "psychologist", _("psychologist")
    SPEECH_THERAPIST = "speech_therapist", _("speech therapist")
    METHODOLOGIST = "methodologist", _("methodologist")
    OTHER = "other", pgettext_lazy("resource category", "other")


# Short names inside the app; the classes carry the domain in their names, which the OpenAPI
# schema uses (an enum "Kind" of another domain would replace this one there).
Kind, Category = ResourceKind, ResourceCategory

KIND_OF = {
    Category.LABORATORY: Kind.ROOM,
    Category.ASSEMBLY_HALL: Kind.ROOM,
    Category.SPORTS_HALL: Kind.ROOM,
    Category.CLASSROOM: Kind.ROOM,
    Category.MOBILE_CLASS: Kind.EQUIPMENT,
    Category.PRINTER_3D: Kind.EQUIPMENT,
    Category.VIDEOCONFERENCE: Kind.EQUIPMENT,
    Category.INTERACTIVE_BOARD: Kind.EQUIPMENT,
    Category.PSYCHOLOGIST: Kind.SPECIALIST,
    Category.SPEECH_THERAPIST: Kind.SPECIALIST,
    Category.METHODOLOGIST: Kind.SPECIALIST,
}


class Resource(TimeStampedModel):
    """A room, a piece of equipment or a specialist that a resource centre lends."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("resource centre"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("where"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats or people at a time.")
    )
    features = models.JSONField(_("features"), default=list, blank=True)
    needs_approval = models.BooleanField(_("bookings need approval"), default=True)
    teachers_may_book = models.BooleanField(_("teachers may book"), default=False)
    is_public = models.BooleanField(_("public calendar"), default=True)
    is_active = models.BooleanField(_("available for booking"), default=True)

    class Meta:
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["institution", "is_active"], name="resource_owner_idx")]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """Bookable hours: one time window of one weekday, in the municipality's time zone."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("bookable hours")
        verbose_name_plural = _("bookable hours")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="resource_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="resource_window_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday}: {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def holds(self, start: dt.time, end: dt.time) -> bool:
        return self.starts_at <= start and end <= self.ends_at


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("waits for approval")
    CONFIRMED = "confirmed", _("confirmed")
    REFUSED = "refused", _("refused")
    CANCELLED = "cancelled", _("cancelled")


Status = BookingStatus

#: The statuses that hold the time of a resource (a request waits with its slot kept).
ACTIVE = (Status.PENDING, Status.CONFIRMED)


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE)

    def overlapping(self, start: dt.datetime, end: dt.datetime):
        """Bookings whose time meets [start, end) (end-to-start is no overlap)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class Booking(models.Model):
    """One institution's use of a resource for a time. ``owner`` repeats the resource's
    institution, so that each side's lists and the map of the network read one table."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    owner = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked for")
    )
    booked_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    purpose = models.CharField(_("purpose"), max_length=300)
    party_size = models.PositiveIntegerField(_("people"), null=True, blank=True)
    # An event of the events module held in the resource ("events.event:42"), or empty.
    event_ref = models.CharField(_("event"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("booked at"), default=now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="resource_booking_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["resource", "starts_at"], name="booking_resource_idx"),
            models.Index(fields=["institution", "starts_at"], name="booking_booker_idx"),
            models.Index(fields=["owner", "status", "starts_at"], name="booking_owner_idx"),
            models.Index(fields=["booked_by", "starts_at"], name="booking_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE
