"""The forms of the lesson page: topic and kind, homework with files, and the admin actions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Lesson
from ..services.homework import MAX_ATTACHMENTS, check_attachment


class TopicForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind of lesson"), choices=Lesson.Kind.choices)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


class HomeworkForm(forms.Form):
    text = forms.CharField(
        label=_("Task"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_("Leave empty to remove the homework."),
    )
    links = forms.CharField(
        label=_("Links"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One address per line (https://…)."),
    )
    minutes = forms.IntegerField(
        label=_("Estimated time, minutes"), min_value=1, max_value=240, initial=20
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: the next lesson of the subject."),
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("Up to 10 MB each, at most ten files."),
    )

    def __init__(self, *args, attached: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.attached = attached

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if self.attached + len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("No more than ten files per homework."))
        for f in files:
            try:
                check_attachment(f)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["files"]) from exc
        return files

    def clean(self):
        data = super().clean() or {}
        if data.get("attachments") and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the task before attaching files."))
        return data


class MoveForm(forms.Form):
    date = forms.DateField(
        label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    number = forms.IntegerField(label=_("Lesson number"), min_value=0, max_value=12)
