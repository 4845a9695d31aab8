"""Forms of the catalogue and the provider's offers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setka.journal.models import StudyGroup, Subject
from setka.network.models import Institution, Membership, Person

from ..models import Agreement, Area, Offer, OfferKind, StudyForm
from ..selectors.catalogue import Filters
from ..services.offers import EDITABLE, MAX_SLOTS, Slot
from .common import DateInput, TimeInput, date_field

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class CatalogueForm(forms.Form):
    """The catalogue's filters (GET): an unreadable value is ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *OfferKind.choices]
    )
    area = forms.ChoiceField(
        label=_("Subject area"), required=False, choices=[("", _("Any area")), *Area.choices]
    )
    form = forms.ChoiceField(
        label=_("Form of study"), required=False, choices=[("", _("Any form")), *StudyForm.choices]
    )
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any grade")), *((g, str(g)) for g in range(1, 12))],
    )
    institution = forms.TypedChoiceField(
        label=_("Institution"), required=False, coerce=int, empty_value=None
    )
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any day")), *WEEKDAYS],
    )
    after = forms.TimeField(label=_("Not before"), required=False, widget=TimeInput())
    before = forms.TimeField(label=_("Ends by"), required=False, widget=TimeInput())
    free = forms.BooleanField(label=_("With free places"), required=False)
    open = forms.BooleanField(label=_("Taking applications now"), required=False)
    fits = forms.BooleanField(label=_("Fits my timetable"), required=False)
    student = forms.TypedChoiceField(
        label=_("Whose timetable"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, providers=(), students=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", _("Any institution")), *providers]
        self.fields["student"].choices = list(students)
        if len(students) < 2:
            del self.fields["student"]
        if not students:
            del self.fields["fits"]

    def filters(self, students=()) -> Filters:
        data = (
            self.cleaned_data
            if self.is_valid()
            else {
                k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors
            }
        )
        fits = None
        if data.get("fits") and students:
            wanted = data.get("student")
            ids = [pk for pk, _name in students]
            fits = wanted if wanted in ids else ids[0]
        return Filters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            area=data.get("area") or "",
            form=data.get("form") or "",
            grade=data.get("grade"),
            institution=data.get("institution"),
            weekday=data.get("weekday"),
            after=data.get("after"),
            before=data.get("before"),
            free=bool(data.get("free")),
            open=bool(data.get("open")),
            fits=fits,
        )


class OfferForm(forms.ModelForm):
    """An offer's own fields; its teachers are the provider's teachers."""

    online_url = forms.URLField(
        label=_("Link to the online classes"), required=False, max_length=200, assume_scheme="https"
    )

    teachers = forms.ModelMultipleChoiceField(
        label=_("Teachers"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Offer
        fields = EDITABLE
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "applications_open_on": DateInput(),
            "applications_close_on": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = institution.municipality_id
        subjects = Subject.objects.filter(municipality_id=municipality).order_by("order", "name")
        self.fields["subject"].queryset = subjects
        self.fields["credited_subject"].queryset = subjects
        self.fields["venue_institution"].queryset = (
            Institution.objects.active()
            .filter(municipality_id=municipality)
            .exclude(pk=institution.pk)
            .order_by("short_name")
        )
        self.fields["agreement"].queryset = (
            Agreement.objects.filter(parties__institution=institution)
            .exclude(status=Agreement.Status.ENDED)
            .order_by("-starts_on")
        )
        self.fields["teachers"].queryset = Person.objects.filter(
            memberships__in=Membership.objects.active().filter(
                institution=institution,
                role__in=[Membership.Role.TEACHER, Membership.Role.INSTITUTION_ADMIN],
            )
        ).distinct()
        if self.instance.pk:
            self.fields["teachers"].initial = list(
                self.instance.teachers.values_list("pk", flat=True)
            )

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in EDITABLE if name in self.cleaned_data}

    def teacher_ids(self) -> list[int]:
        return [p.pk for p in self.cleaned_data.get("teachers") or []]


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Every"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *WEEKDAYS],
    )
    date = date_field(_("or on"), required=False)
    starts_at = forms.TimeField(label=_("from"), required=False, widget=TimeInput())
    ends_at = forms.TimeField(label=_("until"), required=False, widget=TimeInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [data.get("weekday"), data.get("date"), data.get("starts_at"), data.get("ends_at")]
        if any(v is not None for v in given):
            if data.get("starts_at") is None or data.get("ends_at") is None:
                raise forms.ValidationError(_("Give the time the classes begin and end."))
            if (data.get("weekday") is None) == (data.get("date") is None):
                raise forms.ValidationError(_("Choose either a weekday or a date."))
        return data

    def slot(self) -> Slot | None:
        data = self.cleaned_data
        if data.get("starts_at") is None:
            return None
        return Slot(data.get("weekday"), data.get("date"), data["starts_at"], data["ends_at"])


SlotFormSet = forms.formset_factory(SlotForm, extra=0, max_num=MAX_SLOTS, absolute_max=MAX_SLOTS)


def slot_formset(data=None, offer: Offer | None = None):
    initial = []
    if offer is not None and offer.pk:
        initial = [
            {"weekday": s.weekday, "date": s.date, "starts_at": s.starts_at, "ends_at": s.ends_at}
            for s in offer.slots.all()
        ]
    formset = SlotFormSet(data, initial=initial, prefix="slots")
    formset.extra = max(0, min(3, MAX_SLOTS - len(initial)))
    return formset


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Offer.Status.choices)


class GroupForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("An existing group of the journal"),
        queryset=StudyGroup.objects.none(),
        required=False,
        empty_label=_("— open a new network group —"),
    )

    def __init__(self, *args: Any, offer: Offer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (
            StudyGroup.objects.filter(
                institution_id=offer.institution_id,
                kind__in=[StudyGroup.Kind.NETWORK, StudyGroup.Kind.ELECTIVE],
                offer__isnull=True,
                year__ends_on__gte=offer.starts_on,
            )
            .select_related("year")
            .order_by("-year__starts_on", "name")
        )


class ApplyForm(forms.Form):
    student = forms.TypedChoiceField(label=_("Who will study"), coerce=int)
    message = forms.CharField(
        label=_("A message to the provider"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the student already knows, questions about the course."),
    )

    def __init__(self, *args: Any, students=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = list(students)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(ReasonForm):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("waitlist", _("Waiting list")), ("reject", _("Reject"))]
    )


class ConfirmForm(ReasonForm):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Confirm")), ("0", _("Decline"))], coerce=lambda v: v == "1"
    )
