"""The catalogue: what an institution offers to the students of the network (profile courses,
electives, clubs and sections, modules of network programmes), when, where and for whom."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from setka.core.clock import today
from setka.core.models import TimeStampedModel
from setka.journal.models import StudyGroup, Subject
from setka.network.models import Institution, Municipality, Person

from .agreements import Agreement

MAX_CAPACITY = 500


class OfferKind(models.TextChoices):
    PROFILE = "profile", _("profile course")
    ELECTIVE = "elective", _("elective course")
    CLUB = "club", _("club or section")
    MODULE = "module", _("module of a network programme")


class Area(models.TextChoices):
    MATHS = "maths", _("mathematics and computer science")
    SCIENCE = "science", _("natural sciences")
    HUMANITIES = "humanities", _("languages and literature")
    SOCIAL = "social", _("social sciences and economics")
    TECHNOLOGY = "technology", _("technology and engineering")
    ARTS = "arts", _("arts and music")
    SPORT = "sport", _("physical culture and sport")
    CAREER = "career", _("career guidance and pedagogy")


class StudyForm(models.TextChoices):
    FULL_TIME = "full_time", _("full-time")  # очная
    PART_TIME = "part_time", _("part-time")  # очно-заочная
    EXTRAMURAL = "extramural", _("extramural")  # заочная
    DISTANCE = "distance", _("distance learning")  # дистанционная
    EXTERNAL = "external", _("external study")  # экстернат


class Venue(models.TextChoices):
    OWN = "own", _("at the provider")
    PARTNER = "partner", _("at a partner's premises")
    ONLINE = "online", _("online")


class Admission(models.TextChoices):
    DECISION = "decision", _("by the provider's decision")
    FIRST_COME = "first_come", _("first come, first served")


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", pgettext_lazy("offer status", "published")
    ARCHIVED = "archived", _("archived")


class Offer(TimeStampedModel):
    Status = OfferStatus

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="offers")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="offers", verbose_name=_("provider")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    area = models.CharField(_("subject area"), max_length=16, choices=Area.choices)
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject in the provider's journal"),
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
    age_min = models.PositiveSmallIntegerField(
        _("from age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(25)],
    )
    age_max = models.PositiveSmallIntegerField(
        _("to age"), null=True, blank=True, validators=[MinValueValidator(3), MaxValueValidator(25)]
    )
    form = models.CharField(
        _("form of study"), max_length=16, choices=StudyForm.choices, default=StudyForm.FULL_TIME
    )
    venue = models.CharField(_("venue"), max_length=16, choices=Venue.choices, default=Venue.OWN)
    venue_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_offers",
        verbose_name=_("partner hosting it"),
    )
    room = models.CharField(_("room"), max_length=200, blank=True)
    online_url = models.URLField(_("link to the online classes"), blank=True)
    teachers = models.ManyToManyField(
        Person, blank=True, related_name="taught_offers", verbose_name=_("teachers")
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    places_taken = models.PositiveSmallIntegerField(_("places taken"), default=0, editable=False)
    admission = models.CharField(
        _("admission"), max_length=16, choices=Admission.choices, default=Admission.DECISION
    )
    applications_open_on = models.DateField(_("applications from"))
    applications_close_on = models.DateField(_("applications until"))
    starts_on = models.DateField(_("classes from"))
    ends_on = models.DateField(_("classes until"))
    hours = models.PositiveSmallIntegerField(
        _("hours"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    is_credited = models.BooleanField(_("results are credited by the home school"), default=False)
    credited_subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("credited as"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("network agreement"),
    )
    group = models.OneToOneField(
        StudyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offer",
        verbose_name=_("group in the journal"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # Russian full-text search (PostgreSQL): kept by the services; unused on SQLite.
    search = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="offer_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(applications_close_on__gte=models.F("applications_open_on")),
                name="offer_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(grade_min__isnull=True)
                | Q(grade_max__isnull=True)
                | Q(grade_max__gte=models.F("grade_min")),
                name="offer_grades_ordered",
            ),
            models.CheckConstraint(
                condition=Q(places_taken__lte=models.F("capacity")), name="offer_capacity_kept"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "kind"], name="offer_catalogue_idx"),
            models.Index(fields=["institution", "status"], name="offer_provider_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:offer", args=[self.pk])

    @property
    def free_places(self) -> int:
        return max(0, self.capacity - self.places_taken)

    @property
    def window_open(self) -> bool:
        return self.applications_open_on <= today() <= self.applications_close_on

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def grades_label(self) -> str:
        if self.grade_min and self.grade_max:
            if self.grade_min == self.grade_max:
                return str(_("grade %(n)s") % {"n": self.grade_min})
            return str(_("grades %(a)s–%(b)s") % {"a": self.grade_min, "b": self.grade_max})
        if self.age_min or self.age_max:
            return str(_("ages %(a)s–%(b)s") % {"a": self.age_min or "…", "b": self.age_max or "…"})
        return ""


class OfferSlot(models.Model):
    """When the offer meets: every week on a weekday, or on a date."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    date = models.DateField(_("date"), null=True, blank=True)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("time of classes")
        verbose_name_plural = _("times of classes")
        ordering = ["date", "weekday", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(weekday__isnull=False) & Q(date__isnull=True))
                | (Q(weekday__isnull=True) & Q(date__isnull=False)),
                name="offer_slot_weekday_or_date",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="offer_slot_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        when = self.date.isoformat() if self.date else str(self.weekday)
        return f"{when} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
