"""Forms of the journal's administration pages (the structure of a year) and of the imports.
They only parse input: the services validate the rest and write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from setka.core import dates
from setka.core.clock import today
from setka.network.models import Institution, Membership, Person

from .models import AcademicYear, StudyGroup, Subject
from .models.structure import MAX_SHIFT
from .models.timetable import Weekday


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on a field when the form has it, above
    the form otherwise."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        form.add_error(key if key in form.fields else None, errors)


def save_form(form: forms.Form, save: Callable[[dict[str, Any]], object]) -> bool:
    """Call ``save`` with the cleaned data of a valid form; a ValidationError it raises goes
    onto the form (:func:`apply_errors`). True when the form was valid and ``save`` succeeded."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    return True


def date_field(label, *, required: bool = True, initial: Any = None) -> forms.DateField:
    """A date of the years Setka works with (``core.dates``: 1900–2100)."""
    return dates.DateField(label=label, widget=DateInput(), required=required, initial=initial)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


def teachers_of(institution: Institution | int, on: dt.date | None = None) -> QuerySet[Person]:
    """People who teach (or administer) at the institution on ``on``."""
    pk = institution if isinstance(institution, int) else institution.pk
    ids = (
        Membership.objects.active(on or today())
        .filter(
            institution_id=pk,
            role__in=[Membership.Role.TEACHER, Membership.Role.INSTITUTION_ADMIN],
        )
        .values("person_id")
    )
    return Person.objects.filter(pk__in=ids).order_by("surname", "given_name", "patronymic")


def subjects_of(institution: Institution) -> QuerySet[Subject]:
    return Subject.objects.filter(municipality_id=institution.municipality_id)


# --- years ---------------------------------------------------------------------------------

ROUNDING_HELP: dict[str, Any] = {
    AcademicYear.Rounding.HALF_UP: _(
        "The usual arithmetic rule: an average of 3.50 or more gives 4, 3.49 gives 3."
    ),
    AcademicYear.Rounding.SIXTY: _(
        "A stricter rule: the mark goes up only from .60 — 3.60 gives 4, 3.59 gives 3."
    ),
}


class YearSettingsForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the year"), max_length=20, help_text=_("For example 2026/2027.")
    )
    rounding = forms.ChoiceField(
        label=_("Rounding of the suggested period mark"),
        choices=AcademicYear.Rounding.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The teacher sees the suggested mark computed from the weighted average and can "
            "confirm or change it."
        ),
    )
    min_marks_for_period = forms.IntegerField(
        label=_("Minimum marks for a period mark"),
        min_value=0,
        max_value=20,
        help_text=_("With fewer marks in the period no mark is suggested."),
    )
    school_day_ends_at = forms.TimeField(
        label=_("The school day ends at"),
        widget=TimeInput(),
        help_text=_("Homework entered later than this on the lesson's day is flagged as late."),
    )


class YearForm(YearSettingsForm):
    """A new year: dates, the periods of ``scheme`` with their dates, and the settings."""

    starts_on = date_field(_("The year starts on"))
    ends_on = date_field(_("The year ends on"))
    add_holidays = forms.BooleanField(
        label=_("Add the usual holidays and public holidays (they can be changed later)"),
        required=False,
        initial=True,
    )

    field_order = ["name", "starts_on", "ends_on"]

    def __init__(self, *args: Any, period_names: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period_names = period_names
        for i, name in enumerate(period_names, start=1):
            self.fields[f"p{i}_start"] = date_field(_("%(name)s: from") % {"name": name})
            self.fields[f"p{i}_end"] = date_field(_("%(name)s: until") % {"name": name})

    def period_fields(self) -> list[tuple[str, Any, Any]]:
        return [
            (name, self[f"p{i}_start"], self[f"p{i}_end"])
            for i, name in enumerate(self.period_names, start=1)
        ]

    def settings_fields(self) -> list:
        return [self[n] for n in ("rounding", "min_marks_for_period", "school_day_ends_at")]

    def periods(self) -> list[tuple[dt.date, dt.date]]:
        data = self.cleaned_data
        return [
            (data[f"p{i}_start"], data[f"p{i}_end"]) for i in range(1, len(self.period_names) + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end <= start:
            self.add_error("ends_on", _("The year must end after it starts."))
        return data


class HolidayForm(forms.Form):
    name = forms.CharField(label=_("Name of the holiday"), max_length=100)
    starts_on = date_field(_("From"))
    ends_on = date_field(_("Until"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "holiday")
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].help_text = _("Leave empty for a single day.")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class EndForm(forms.Form):
    ends_on = date_field(_("Last day"))


def end_on_posted_day(
    data: Any, end: Callable[[dt.date], object], invalid: str
) -> tuple[dt.date | None, list[str]]:
    """Read the last day of an :class:`EndForm` from ``data`` and call ``end`` with it. Returns
    the day when that is done; otherwise None and the errors to show: ``[invalid]`` when the day
    is not a date, the messages of a ValidationError ``end`` raises."""
    form = EndForm(data)
    if not form.is_valid():
        return None, [invalid]
    day = form.cleaned_data["ends_on"]
    try:
        end(day)
    except ValidationError as exc:
        return None, exc.messages
    return day, []


# --- classes and groups ---------------------------------------------------------------------


def _shift_label(n: int) -> str:
    return gettext("Shift %(n)s") % {"n": n}


# Lazy: the labels follow the language of each request.
SHIFT_CHOICES = [(n, lazy(_shift_label, str)(n)) for n in range(1, MAX_SHIFT + 1)]


def shift_field(*, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Shift"),
        choices=SHIFT_CHOICES
        if required
        else [("", _("as the class, or the first")), *SHIFT_CHOICES],
        coerce=int,
        empty_value=None,
        required=required,
        help_text=_("The lessons take this shift's bells."),
    )


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StudyGroup.Kind.choices)
    grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=11, required=False)
    letter = forms.CharField(label=_("Letter"), max_length=4, required=False)
    name = forms.CharField(
        label=_("Name of the class or group"),
        max_length=100,
        required=False,
        help_text=_("For a class, leave empty: the name is the grade and the letter, e.g. 7Б."),
    )
    parent = forms.ModelChoiceField(
        label=_("Class"),
        queryset=StudyGroup.objects.none(),
        required=False,
        help_text=_("For a subgroup: the class it is part of."),
    )
    class_teacher = PersonChoiceField(
        label=_("Class teacher"), queryset=Person.objects.none(), required=False
    )
    shift = shift_field(required=False)

    def __init__(self, *args: Any, year: AcademicYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = StudyGroup.objects.filter(
            year=year, kind=StudyGroup.Kind.CLASS
        )
        self.fields["class_teacher"].queryset = teachers_of(year.institution_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == StudyGroup.Kind.CLASS:
            if not data.get("grade"):
                self.add_error("grade", _("A class needs a grade from 1 to 11."))
            elif not data.get("name"):
                data["name"] = f"{data['grade']}{(data.get('letter') or '').strip().upper()}"
            data["parent"] = None
        else:
            if not data.get("name"):
                self.add_error("name", _("Give the group a name, e.g. “7Б английский, группа 1”."))
            if kind == StudyGroup.Kind.SUBGROUP and not data.get("parent"):
                self.add_error("parent", _("Choose the class the subgroup is part of."))
            if kind != StudyGroup.Kind.SUBGROUP:
                data["parent"] = None
        return data


class GroupEditForm(forms.Form):
    name = forms.CharField(label=_("Name of the class or group"), max_length=100)
    grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=11, required=False)
    letter = forms.CharField(label=_("Letter"), max_length=4, required=False)
    class_teacher = PersonChoiceField(
        label=_("Class teacher"), queryset=Person.objects.none(), required=False
    )
    shift = shift_field()

    def __init__(self, *args: Any, group: StudyGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_teacher"].queryset = teachers_of(group.institution_id)


class MemberAddForm(forms.Form):
    students = forms.TypedMultipleChoiceField(
        label=_("Students"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    starts_on = date_field(_("In the group from"))

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["students"].choices = candidates


class AssignmentForm(forms.Form):
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.none())
    teacher = PersonChoiceField(label=_("Teacher"), queryset=Person.objects.none())
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        min_value=Decimal("0.5"),
        max_value=Decimal(20),
        decimal_places=1,
        initial=1,
    )
    starts_on = date_field(_("From"))

    def __init__(self, *args: Any, group: StudyGroup, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "assignment")
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects_of(group.institution)
        self.fields["teacher"].queryset = teachers_of(group.institution_id)


# --- bells and timetable -----------------------------------------------------------------------


class BellForm(forms.Form):
    shift = forms.IntegerField(label=_("Shift"), min_value=1, max_value=MAX_SHIFT, initial=1)
    number = forms.IntegerField(label=_("Lesson number"), min_value=0, max_value=12)
    starts_at = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Ends at"), widget=TimeInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The lesson must end after it starts."))
        return data


class TimetableEntryForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=Weekday.choices, coerce=int
    )
    number = forms.IntegerField(label=_("Lesson number"), min_value=0, max_value=12)
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.none())
    teacher = PersonChoiceField(label=_("Teacher"), queryset=Person.objects.none())
    room = forms.CharField(label=_("Room"), max_length=50, required=False)
    valid_from = date_field(_("Valid from"))
    valid_to = date_field(_("Valid until"), required=False)

    def __init__(self, *args: Any, group: StudyGroup, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "entry")
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects_of(group.institution)
        self.fields["teacher"].queryset = teachers_of(group.institution_id)
        self.fields["valid_to"].help_text = _("Leave empty: until the end of the year.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end date cannot be before the start date."))
        return data


class GenerateForm(forms.Form):
    since = date_field(_("Rebuild from"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["since"].help_text = _(
            "Empty: only add the missing lessons of the whole year. With a date: from that day "
            "on, also remove the lessons the timetable no longer gives (an ended entry, a new "
            "holiday) if they hold nothing — no marks, attendance, homework or topic."
        )


# --- single lessons ---------------------------------------------------------------------------


class SubstituteForm(forms.Form):
    substitute = PersonChoiceField(
        label=_("Substitute teacher"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— no substitute —"),
    )

    def __init__(self, *args: Any, institution_id: int, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = teachers_of(institution_id, on)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the lesson cancelled?"), max_length=500)


class MoveForm(forms.Form):
    date = date_field(_("New date"))
    number = forms.IntegerField(label=_("Lesson number"), min_value=0, max_value=12)


# --- imports ----------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, do not import"), required=False, initial=True
    )

    def __init__(self, *args: Any, limit_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = limit_text or _(
            "CSV (UTF-8 or Windows-1251, separated by ; or ,) or Excel (.xlsx), up to 5 MB."
        )


class PlanImportForm(ImportForm):
    subject = forms.ModelChoiceField(label=_("Subject"), queryset=Subject.objects.none())
    starts_on = date_field(_("Lay the plan from"))
    replace = forms.BooleanField(label=_("Replace topics already entered"), required=False)

    field_order = ["subject", "starts_on", "file", "replace", "dry_run"]

    def __init__(self, *args: Any, subjects: QuerySet[Subject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects
        self.fields["starts_on"].help_text = _(
            "The first lesson of the plan goes to the first lesson on or after this date."
        )
