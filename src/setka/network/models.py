"""The network registry: the municipality, its institutions, people, their memberships and
municipal roles, and guardianship. Roles are memberships with dates, never global flags."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from setka.core.clock import today
from setka.core.models import TimeStampedModel
from setka.core.names import validate_name

#: The earliest year of founding Setka takes (the oldest schools of Russia are of the 1700s).
FOUNDED_MIN_YEAR = 1700


def validate_founded_on(value: dt.date | None) -> None:
    """An institution is founded between :data:`FOUNDED_MIN_YEAR` and this year."""
    if value is None:
        return
    if value.year > today().year:
        raise ValidationError(
            gettext("The date of founding cannot be after this year (%(year)d).")
            % {"year": today().year},
            code="founded_in_future",
        )
    if value.year < FOUNDED_MIN_YEAR:
        raise ValidationError(
            gettext("The date of founding cannot be before %(year)d.") % {"year": FOUNDED_MIN_YEAR},
            code="founded_too_early",
        )


class Municipality(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=200)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Irkutsk")
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InstitutionKind(models.TextChoices):
    SCHOOL = "school", _("general school")
    LYCEUM = "lyceum", _("lyceum")
    GYMNASIUM = "gymnasium", _("gymnasium")
    METHODOLOGICAL_CENTRE = "imc", _("information and methodological centre")
    ADDITIONAL_EDUCATION = "ddt", _("centre of additional education")
    ARTS_SCHOOL = "arts_school", _("music or art school")
    SPORTS_SCHOOL = "sports_school", _("sports school")
    CULTURE_HOUSE = "culture_house", _("house of culture")
    LIBRARY = "library", _("library")
    MUSEUM = "museum", _("museum")
    COLLEGE = "college", _("college")
    UNIVERSITY = "university", _("university")


class KindGroup(models.TextChoices):
    GENERAL = "general", _("General education")
    METHODOLOGICAL = "methodological", _("Methodological service")
    ADDITIONAL = "additional", _("Additional education")
    CULTURE = "culture", _("Culture")
    PROFESSIONAL = "professional", _("Vocational and higher education")


KIND_GROUP = {
    InstitutionKind.SCHOOL: KindGroup.GENERAL,
    InstitutionKind.LYCEUM: KindGroup.GENERAL,
    InstitutionKind.GYMNASIUM: KindGroup.GENERAL,
    InstitutionKind.METHODOLOGICAL_CENTRE: KindGroup.METHODOLOGICAL,
    InstitutionKind.ADDITIONAL_EDUCATION: KindGroup.ADDITIONAL,
    InstitutionKind.ARTS_SCHOOL: KindGroup.ADDITIONAL,
    InstitutionKind.SPORTS_SCHOOL: KindGroup.ADDITIONAL,
    InstitutionKind.CULTURE_HOUSE: KindGroup.CULTURE,
    InstitutionKind.LIBRARY: KindGroup.CULTURE,
    InstitutionKind.MUSEUM: KindGroup.CULTURE,
    InstitutionKind.COLLEGE: KindGroup.PROFESSIONAL,
    InstitutionKind.UNIVERSITY: KindGroup.PROFESSIONAL,
}
GENERAL_KINDS = [k for k, g in KIND_GROUP.items() if g == KindGroup.GENERAL]


class InstitutionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Institution(TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="institutions"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionKind.choices)
    full_name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200)
    slug = models.SlugField(_("address on the site"), max_length=80, unique=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phones = models.CharField(_("phones"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    head_name = models.CharField(_("head"), max_length=200, blank=True)
    head_position = models.CharField(_("head's position"), max_length=200, blank=True)
    working_hours = models.CharField(_("working hours"), max_length=300, blank=True)
    founded_on = models.DateField(
        _("date of founding"), null=True, blank=True, validators=[validate_founded_on]
    )
    is_resource_centre = models.BooleanField(_("resource centre"), default=False)
    description = models.TextField(_("short description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["short_name"]
        indexes = [models.Index(fields=["municipality", "kind"], name="institution_kind_idx")]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("network:institution", kwargs={"slug": self.slug})

    @property
    def kind_group(self) -> str:
        return KIND_GROUP[InstitutionKind(self.kind)]

    @property
    def phone_list(self) -> list[str]:
        return [p.strip() for p in self.phones.replace(";", ",").split(",") if p.strip()]


class Person(TimeStampedModel):
    """A human being known to the network: a teacher, a student, a parent, an official.
    May have a sign-in account (``user``); most students need not."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    surname = models.CharField(_("surname"), max_length=100, validators=[validate_name])
    given_name = models.CharField(_("given name"), max_length=100, validators=[validate_name])
    patronymic = models.CharField(
        _("patronymic"), max_length=100, blank=True, validators=[validate_name]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["surname", "given_name", "patronymic", "id"]
        indexes = [
            models.Index(fields=["municipality", "surname", "given_name"], name="person_name_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        """ "Иванова А. П." — the form used in journals and lists."""
        initials = "".join(f"{p[0]}." for p in (self.given_name, self.patronymic) if p)
        return f"{self.surname} {initials}".strip()


class ActiveQuerySet(models.QuerySet):
    """Rows with ``starts_on``/``ends_on`` dates: active on a given day."""

    def active(self, on: dt.date | None = None):
        on = on or today()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        INSTITUTION_ADMIN = "admin", _("institution administrator")
        TEACHER = "teacher", _("teacher")
        STUDENT = "student", _("student")
        STAFF = "staff", pgettext_lazy("membership role", "staff")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), default=today)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["institution__short_name", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "role"], name="membership_inst_role_idx"),
            models.Index(fields=["person", "ends_on"], name="membership_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.institution}"

    def is_active_on(self, on: dt.date | None = None) -> bool:
        on = on or today()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class MunicipalRole(TimeStampedModel):
    class Role(models.TextChoices):
        MUNICIPAL_ADMIN = "admin", _("municipal administrator")
        METHODOLOGIST = "methodologist", _("methodologist")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="municipal_roles")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="municipal_roles"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), default=today)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipal role")
        verbose_name_plural = _("municipal roles")
        ordering = ["role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="municipal_role_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class Guardianship(TimeStampedModel):
    """A parent (or other legal representative) of a student."""

    class Kind(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        GUARDIAN = "guardian", _("guardian")
        OTHER = "other", _("other representative")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="guardianships"
    )
    guardian = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wards")
    student = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardians")
    kind = models.CharField(_("relation"), max_length=16, choices=Kind.choices, default="other")
    starts_on = models.DateField(_("from"), default=today)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(guardian=models.F("student")), name="guardianship_not_self"
            ),
            models.UniqueConstraint(
                fields=["guardian", "student"],
                condition=Q(ends_on__isnull=True),
                name="guardianship_unique_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.student}"
