"""The event form of the organisers' pages, and the filters of the calendar."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from setka.core.clock import today
from setka.core.converters import parse_id
from setka.journal.models import StudyGroup, Subject
from setka.network.models import Institution, Membership, Person
from setka.network.roles import UserRoles

from .models import Event, Series
from .selectors import Filters

LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTime(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [LOCAL, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])
        super().__init__(**kwargs)


FIELDS = [
    "institution", "kind", "title", "description", "subject", "hosts", "starts_at", "ends_at",
    "venue", "room", "capacity_in_person", "capacity_remote", "provider", "external_url",
    "registration_opens_at", "registration_closes_at", "for_teachers", "for_students",
    "for_parents", "for_public", "audience_subjects", "grade_min", "grade_max", "group", "topic",
    "goals", "planned_results", "materials",
]  # fmt: skip


def allowed_institutions(roles: UserRoles):
    municipal = roles.methodologist_of | roles.municipal_admin_of
    return (
        Institution.objects.active()
        .filter(Q(pk__in=roles.admin_of | roles.teacher_of) | Q(municipality_id__in=municipal))
        .order_by("short_name")
    )


def _resources(municipality_ids):
    """The shared resources that can be booked (the resource centres' module), if present."""
    try:
        from setka.resources.models import Resource
    except ImportError:  # pragma: no cover - the resource centres are not installed
        return None
    return (
        Resource.objects.filter(is_active=True, institution__municipality_id__in=municipality_ids)
        .select_related("institution")
        .order_by("institution__short_name", "name")
    )


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class EventForm(forms.ModelForm):
    starts_at = LocalDateTime(label=_("starts at"))
    ends_at = LocalDateTime(label=_("ends at"))
    registration_opens_at = LocalDateTime(label=_("registration opens"), required=False)
    registration_closes_at = LocalDateTime(
        label=_("registration closes"), required=False, help_text=_("When empty: at the start.")
    )
    repeat = forms.ChoiceField(
        label=_("repeats"),
        required=False,
        choices=[("", _("does not repeat")), *Series.Frequency.choices],
    )
    repeat_count = forms.IntegerField(
        label=_("occurrences"), required=False, min_value=2, max_value=60
    )

    class Meta:
        model = Event
        fields = FIELDS
        formfield_callback = _formfield
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "planned_results": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, roles: UserRoles, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = allowed_institutions(roles)
        municipality_ids = {roles.municipality_id} if roles.municipality_id else set()
        self.fields["institution"].queryset = institutions
        self.fields["venue"].queryset = (
            Institution.objects.active()
            .filter(municipality_id__in=municipality_ids)
            .order_by("short_name")
        )
        subjects = Subject.objects.filter(municipality_id__in=municipality_ids)
        self.fields["subject"].queryset = subjects
        self.fields["audience_subjects"].queryset = subjects
        self.fields["audience_subjects"].widget = forms.CheckboxSelectMultiple()
        self.fields["audience_subjects"].choices = [(s.pk, s.name) for s in subjects]
        teacher_ids = (
            Membership.objects.active()
            .filter(institution__in=institutions, role=Membership.Role.TEACHER)
            .values("person_id")
        )
        self.fields["hosts"].queryset = Person.objects.filter(pk__in=teacher_ids)
        self.fields["group"].queryset = (
            StudyGroup.objects.filter(
                institution__in=institutions,
                kind=StudyGroup.Kind.CLASS,
                year__ends_on__gte=today(),
            )
            .select_related("institution")
            .order_by("institution__short_name", "grade", "letter")
        )
        self.fields["group"].label_from_instance = lambda g: (
            f"{g.name} — {g.institution.short_name}"
        )
        self.fields["hosts"].label_from_instance = lambda p: p.full_name
        resources = _resources(municipality_ids)
        if creating and resources is not None:
            self.fields["resource"] = forms.ModelChoiceField(
                label=_("shared resource"),
                queryset=resources,
                required=False,
                help_text=_(
                    "A room, laboratory or equipment of a resource centre: it is booked for the "
                    "event (and the booking moves or is released with it)."
                ),
            )
        if not creating:
            del self.fields["repeat"]
            del self.fields["repeat_count"]
            del self.fields["institution"]

    def clean(self):
        data = super().clean()
        if data.get("repeat") and not data.get("repeat_count"):
            self.add_error("repeat_count", _("How many times?"))
        return data

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("repeat", "repeat_count")}
        if data.get("resource") is None:
            data.pop("resource", None)
        data["hosts"] = list(data.get("hosts") or [])
        data["audience_subjects"] = list(data.get("audience_subjects") or [])
        if self.cleaned_data.get("repeat"):
            data["repeat"] = {
                "frequency": self.cleaned_data["repeat"],
                "interval": 1,
                "count": self.cleaned_data["repeat_count"],
            }
        return data

    def apply_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            name = field if field in self.fields else None
            if field.startswith("repeat"):
                name = "repeat_count" if "repeat_count" in self.fields else None
            for message in messages:
                self.add_error(name, message)


def parse_filters(params) -> Filters:
    online = params.get("online")
    return Filters(
        kind=params.get("kind", "")[:20],
        subject=parse_id(params.get("subject")),
        audience=params.get("audience", "")[:20],
        institution=parse_id(params.get("institution")),
        online=True if online == "1" else False if online == "0" else None,
        q=(params.get("q") or "")[:100].strip(),
    )
