"""Forms of the registry pages. They only parse input: the services validate the rest and
write. Field labels and limits come from the models (``fields_for_model``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from setka.core import dates
from setka.core.clock import today
from setka.core.names import validate_name

from .importing import PERSON_KEYS
from .models import Guardianship, Institution, Membership, MunicipalRole, Person
from .services import INSTITUTION_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def apply_errors(form: forms.Form, exc: ValidationError, prefix: str = "") -> None:
    """Put a service's ValidationError on the form: on a field when the form has it, above
    the form otherwise. With ``prefix``, only the errors keyed ``prefix…`` are taken."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        if prefix and not key.startswith(prefix):
            continue
        name = key.removeprefix(prefix)
        form.add_error(name if name in form.fields else None, errors)


def _formfield(model_field, **kwargs: Any):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    if isinstance(model_field, models.DateField) and model_field.name != "founded_on":
        kwargs["form_class"] = dates.DateField  # 1900–2100 (founding has its own years)
    return model_field.formfield(**kwargs)


def _start(label=None) -> forms.DateField:
    return dates.DateField(
        label=label or _("Since"), widget=DateInput(), required=False, initial=today
    )


class InstitutionForm(forms.Form):
    """Every field of an institution, or only ``fields`` (the contacts an institution's own
    administrator may change). On create the address on the site is optional."""

    def __init__(
        self,
        *args: Any,
        fields: list[str] | None = None,
        creating: bool = False,
        municipalities: list | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if municipalities and len(municipalities) > 1:
            self.fields["municipality"] = forms.ChoiceField(
                label=_("Municipality"), choices=[(str(m.pk), m.name) for m in municipalities]
            )
            self._municipalities = {str(m.pk): m for m in municipalities}
        self.fields.update(
            forms.fields_for_model(
                Institution,
                fields=fields or INSTITUTION_FIELDS,
                widgets={
                    "founded_on": DateInput(),
                    "description": forms.Textarea(attrs={"rows": 4}),
                },
                formfield_callback=_formfield,
            )
        )
        help_texts = {
            "slug": _(
                "Latin letters, digits and hyphens; it is part of the public address. "
                "Leave empty to make it from the short name."
            )
            if creating
            else _("Part of the public address: old links stop working if you change it."),
            "phones": _("Separate several numbers with commas."),
            "latitude": _("In degrees, e.g. 52.2135 (find it on any online map)."),
            "longitude": _("In degrees, e.g. 104.0977."),
            "website": _("The full address, starting with https://"),
            "is_active": _(
                "Untick to take the institution out of the directory. Nothing is deleted, and "
                "it can be made active again."
            ),
        }
        for name, text in help_texts.items():
            if name in self.fields:
                self.fields[name].help_text = text
        if creating and "slug" in self.fields:
            self.fields["slug"].required = False

    def clean_municipality(self):
        return self._municipalities[self.cleaned_data["municipality"]]


class PersonForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                Person,
                fields=PERSON_KEYS,
                widgets={"birth_date": DateInput()},
                formfield_callback=_formfield,
            )
        )
        self.fields["birth_date"].help_text = _("Needed for students: it tells namesakes apart.")
        for name in ("surname", "given_name", "patronymic", "email", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def person_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in PERSON_KEYS if k in self.cleaned_data}


class PersonAddForm(PersonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(
            label=_("Role"), choices=[("", "—"), *Membership.Role.choices]
        )
        self.fields["position"] = forms.CharField(
            label=_("Position or class"),
            max_length=200,
            required=False,
            help_text=_("For example: mathematics teacher, or a class: 7 A."),
        )
        self.fields["starts_on"] = _start()


class ParentForm(forms.Form):
    """The optional parent of a new student (all empty: no parent)."""

    surname = forms.CharField(
        label=_("Parent's surname"), max_length=100, required=False, validators=[validate_name]
    )
    given_name = forms.CharField(
        label=_("Parent's given name"), max_length=100, required=False, validators=[validate_name]
    )
    patronymic = forms.CharField(
        label=_("Parent's patronymic"), max_length=100, required=False, validators=[validate_name]
    )
    email = forms.EmailField(label=_("Parent's e-mail"), required=False)
    phone = forms.CharField(label=_("Parent's phone"), max_length=50, required=False)
    kind = forms.ChoiceField(
        label=_("Relation"), choices=Guardianship.Kind.choices, initial=Guardianship.Kind.MOTHER
    )
    DATA = ("surname", "given_name", "patronymic", "email", "phone")

    def has_data(self) -> bool:
        return any(str(self.data.get(self.add_prefix(k), "")).strip() for k in self.DATA)

    def clean(self):
        data = super().clean() or {}
        if self.has_data():
            for name in ("surname", "given_name"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Fill this in, or leave all the parent's fields empty."))
        return data

    def person_data(self) -> dict[str, Any] | None:
        if not self.has_data():
            return None
        return {k: self.cleaned_data.get(k, "") for k in self.DATA}


class GuardianAddForm(ParentForm):
    """Link an existing person (found by a search) or describe a new one."""

    def __init__(self, *args: Any, candidates=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["existing"] = forms.ModelChoiceField(
            label=_("A person already in the network"),
            queryset=candidates if candidates is not None else Person.objects.none(),
            required=False,
            empty_label=_("— a new person, described below —"),
        )
        self.order_fields(["existing", "kind"])

    def clean(self):
        data = forms.Form.clean(self) or {}
        if data.get("existing") and self.has_data():
            raise ValidationError(
                _("Choose a person from the list or describe a new one, not both.")
            )
        if not data.get("existing"):
            if not self.has_data():
                raise ValidationError(_("Choose a person from the list or describe a new one."))
            return ParentForm.clean(self)
        return data


class MembershipAddForm(forms.Form):
    def __init__(self, *args: Any, institutions=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"] = forms.ModelChoiceField(
            label=_("Institution"), queryset=institutions, empty_label=None
        )
        self.fields["role"] = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
        self.fields["position"] = forms.CharField(
            label=_("Position or class"), max_length=200, required=False
        )
        self.fields["starts_on"] = _start()


class MunicipalRoleForm(forms.Form):
    def __init__(self, *args: Any, people=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = forms.ModelChoiceField(
            label=_("Person"), queryset=people, empty_label=None
        )
        self.fields["role"] = forms.ChoiceField(label=_("Role"), choices=MunicipalRole.Role.choices)
        self.fields["position"] = forms.CharField(
            label=_("Position"), max_length=200, required=False
        )
        self.fields["starts_on"] = _start()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or Excel (.xlsx), up to 5 MB and 5,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    skip_existing = forms.BooleanField(
        label=_("Skip people who already have this role here (instead of reporting an error)"),
        required=False,
    )
    dry_run = forms.BooleanField(label=_("Only check the file, do not import"), required=False)
