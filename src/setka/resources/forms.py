"""Forms of the resource pages: a resource with its bookable hours, and a booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from .models import Category, Kind, Resource
from .timing import parse_windows, windows_text


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    location = forms.CharField(label=_("Where"), required=False, max_length=200)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, max_value=100_000,
        help_text=_("Seats or people at a time."),
    )  # fmt: skip
    features = forms.CharField(
        label=_("Features"), required=False, max_length=2200,
        help_text=_("Separated by commas: fume hood, 15 microscopes, projector."),
    )  # fmt: skip
    needs_approval = forms.BooleanField(label=_("Bookings need our approval"), required=False)
    teachers_may_book = forms.BooleanField(
        label=_("Teachers of other institutions may book it themselves"), required=False
    )
    is_public = forms.BooleanField(
        label=_("Public calendar (busy time visible to everyone, iCalendar feed)"), required=False
    )
    is_active = forms.BooleanField(label=_("Available for booking"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in range(7):
            self.fields[f"hours_{day}"] = forms.CharField(
                label=WEEKDAYS[day], required=False, max_length=200,
                widget=forms.TextInput(attrs={"placeholder": "8:00–17:00", "inputmode": "text"}),
            )  # fmt: skip

    @property
    def hour_fields(self):
        return [self[f"hours_{day}"] for day in range(7)]

    @property
    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("hours_")]

    @staticmethod
    def initial_for(resource: Resource | None) -> dict[str, Any]:
        if resource is None:
            return {"needs_approval": True, "is_public": True, "is_active": True}
        spans: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for w in resource.windows.all():
            spans.setdefault(w.weekday, []).append((w.starts_at, w.ends_at))
        return {
            **{name: getattr(resource, name) for name in (
                "name", "kind", "category", "description", "location", "capacity",
                "needs_approval", "teachers_may_book", "is_public", "is_active")},
            "features": ", ".join(resource.features),
            **{f"hours_{day}": windows_text(spans.get(day, [])) for day in range(7)},
        }  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        windows: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for day in range(7):
            try:
                spans = parse_windows(data.get(f"hours_{day}", ""))
            except ValueError as exc:
                self.add_error(f"hours_{day}", str(exc))
                continue
            if spans:
                windows[day] = spans
        data["windows"] = windows
        return data

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.base_field_names()}
        data["features"] = [f for f in (data.get("features") or "").split(",") if f.strip()]
        return data

    @staticmethod
    def base_field_names() -> tuple[str, ...]:
        return (
            "name", "kind", "category", "description", "location", "capacity", "features",
            "needs_approval", "teachers_may_book", "is_public", "is_active",
        )  # fmt: skip


class DayField(forms.DateField):
    """A date of 1900–2100 (ISO, as a date input sends it, or DD.MM.YYYY)."""

    input_formats = ["%Y-%m-%d", "%d.%m.%Y"]

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        if day is not None and not 1900 <= day.year <= 2100:
            raise forms.ValidationError(_("Enter a date between the years 1900 and 2100."))
        return day


class BookingForm(forms.Form):
    day = DayField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    institution = forms.TypedChoiceField(label=_("Booked for"), coerce=int)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=300,
        help_text=_("What for: a laboratory work of 9А, a seminar of the maths association…"),
    )  # fmt: skip
    party_size = forms.IntegerField(
        label=_("Number of people"), required=False, min_value=1, max_value=100_000
    )

    def __init__(self, *args: Any, institutions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = institutions
        if len(institutions) == 1:
            self.fields["institution"].initial = institutions[0][0]

    def moments(self, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["day"]
        return (
            dt.datetime.combine(day, self.cleaned_data["starts"], tzinfo=tz),
            dt.datetime.combine(day, self.cleaned_data["ends"], tzinfo=tz),
        )
