"""Forms of network agreements. A new draft is filled with the customary wording of such
agreements, to be adjusted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from setka.core.clock import today
from setka.network.models import Institution

from ..models import Agreement, AgreementPart
from ..services.agreements import FIELDS, PART_FIELDS
from .common import DateInput, date_field

# The customary wording (Приказ Минобрнауки № 882/391 of 05.08.2020 on the network form).
DEFAULTS = {
    "student_status": (
        "Обучающиеся по образовательной программе являются обучающимися базовой организации. "
        "На время освоения частей программы в организации-участнике они сохраняют статус "
        "обучающихся базовой организации; организация-участник допускает их к занятиям на "
        "основании списка, согласованного сторонами."
    ),
    "credit_rules": (
        "Результаты освоения частей программы, реализуемых организацией-участником "
        "(промежуточная аттестация по периодам), засчитываются базовой организацией по "
        "соответствующему учебному предмету (курсу) на основании данных электронного журнала "
        "организации-участника. Зачёт производит заместитель руководителя базовой организации."
    ),
    "documents": (
        "Базовая организация выдаёт обучающимся, освоившим программу, документ об образовании "
        "(обучении) установленного образца; организация-участник выдаёт справку об освоении "
        "реализованной ею части программы."
    ),
    "changes_rules": (
        "Договор изменяется по соглашению сторон дополнительным соглашением в письменной форме, "
        "которое является его неотъемлемой частью."
    ),
    "termination_rules": (
        "Договор прекращается по истечении срока действия, по соглашению сторон или в "
        "одностороннем порядке с уведомлением других сторон не позднее чем за 30 дней; "
        "обучающиеся, не завершившие освоение программы, продолжают обучение в базовой "
        "организации."
    ),
}


def _school_year_end(day: dt.date) -> dt.date:
    return dt.date(day.year + (1 if day.month >= 7 else 0), 5, 31)


class AgreementForm(forms.ModelForm):
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Institution.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The institutions that implement parts of the programme with you."),
    )

    class Meta:
        model = Agreement
        fields = FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in DEFAULTS},
        }

    def __init__(self, *args: Any, base: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = (
            Institution.objects.active()
            .filter(municipality_id=base.municipality_id)
            .exclude(pk=base.pk)
            .order_by("short_name")
        )
        if self.instance.pk:
            self.fields["partners"].initial = list(
                self.instance.parties.exclude(institution=base).values_list(
                    "institution_id", flat=True
                )
            )
        else:
            for name, text in DEFAULTS.items():
                self.fields[name].initial = text
            self.fields["starts_on"].initial = today()
            self.fields["ends_on"].initial = _school_year_end(today())
            self.fields["place"].initial = (
                base.address.split(",")[1].strip() if base.address.count(",") else ""
            )

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in FIELDS if name in self.cleaned_data}

    def partner_ids(self) -> list[int]:
        return [i.pk for i in self.cleaned_data.get("partners") or []]


class PartForm(forms.ModelForm):
    institution = forms.TypedChoiceField(label=_("Implemented by"), coerce=int)

    class Meta:
        model = AgreementPart
        fields = PART_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 2}) for name in ("staff", "premises", "equipment")
        }

    def __init__(self, *args: Any, parties=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [
            (p.institution_id, p.institution.short_name) for p in parties
        ]
        self.order_fields(["institution", *PART_FIELDS])


class EndForm(forms.Form):
    on = date_field(_("Ends on"), required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScanForm(forms.Form):
    file = forms.FileField(label=_("Signed copy (PDF, JPEG or PNG, up to 10 MB)"))
