"""Forms of the readiness pages (the question form's choices are one option per line)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.core import dates
from setka.network.models import InstitutionKind

from .index import SETTINGS_FIELDS
from .models import Dimension, IndexSettings, Question, QuestionKind, Questionnaire


def DayField(**kwargs: Any) -> dates.DateField:  # noqa: N802 - a field, like Django's
    """A date typed by a person (ISO or DD.MM.YYYY, years 1900–2100)."""
    return dates.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           **kwargs)  # fmt: skip


class CampaignForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    questionnaire = forms.ModelChoiceField(
        label=gettext_lazy("Questionnaire"), queryset=Questionnaire.objects.none(), required=False
    )
    starts_on = DayField(label=gettext_lazy("Opens on"))
    deadline = DayField(label=gettext_lazy("Deadline"))
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Institutions asked"),
        choices=InstitutionKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("None chosen: every active institution."),
    )
    teachers_asked = forms.BooleanField(
        label=gettext_lazy("Teachers assess their ICT competence"), required=False, initial=True
    )

    def __init__(self, *args: Any, municipality_id: int, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(
            municipality_id=municipality_id
        )
        if editing:
            del self.fields["questionnaire"]
            del self.fields["kinds"]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = IndexSettings
        fields = list(SETTINGS_FIELDS)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    until = DayField(label=gettext_lazy("Open for answers until"), required=False)
    reason = forms.CharField(label=gettext_lazy("Comment"), max_length=1000, required=False)


def _parse_choices(text: str) -> list[dict[str, Any]]:
    """``value | label | score`` per line (score optional)."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (2, 3):
            raise ValidationError(
                _("Line %(n)s: write “value | label | score” (the score may be left out).")
                % {"n": n}
            )
        score: float | None = None
        if len(parts) == 3 and parts[2]:
            try:
                score = float(Decimal(parts[2].replace(",", ".")))
            except ArithmeticError as exc:
                raise ValidationError(_("Line %(n)s: the score is a number.") % {"n": n}) from exc
        out.append({"value": parts[0], "label": parts[1], "score": score})
    return out


def choices_text(choices: list[dict[str, Any]]) -> str:
    lines = []
    for c in choices:
        score = c.get("score")
        tail = "" if score is None else f" | {score:g}"
        lines.append(f"{c['value']} | {c['label']}{tail}")
    return "\n".join(lines)


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "For a choice: one option per line, “value | label | score 0–100” (no score: not "
            "scored)."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "code", "text", "help_text", "dimension", "kind", "unit", "required", "weight",
            "integer", "min_value", "max_value", "not_more_than", "score_target", "score_per",
            "lower_is_better", "target_is_bandwidth_goal", "position",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = Dimension.choices
        self.fields["kind"].choices = QuestionKind.choices
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["choices_text"].initial = choices_text(self.instance.choices)

    def clean_choices_text(self) -> list[dict[str, Any]]:
        return _parse_choices(self.cleaned_data.get("choices_text", ""))

    def data_for_service(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "choices_text"}
        data["choices"] = self.cleaned_data.get("choices_text") or []
        return data

    def _post_clean(self) -> None:  # the service validates the question as a whole
        pass
