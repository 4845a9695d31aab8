"""The builder's forms. Field names are the services' (``subject_id``, ``venue_ids``…), so
that a service's ValidationError lands on its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from setka.core.clock import now, today
from setka.core.dates import DateField
from setka.events.models import Event
from setka.events.models import Kind as EventKind
from setka.events.models import Status as EventStatus
from setka.journal.models import StudyGroup, Subject
from setka.network.models import GENERAL_KINDS, Institution, Membership

from .models import STEPS, Item, Schedule

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class Errors:
    def apply_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            name = field if field in self.fields else None  # type: ignore[attr-defined]
            for message in messages:
                self.add_error(name, message)  # type: ignore[attr-defined]


class ScheduleForm(Errors, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    first_day = DateField(label=_("From"), widget=_date_input())
    last_day = DateField(label=_("Until"), widget=_date_input())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Allowed days"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
    )
    preferred_weekdays = forms.TypedMultipleChoiceField(
        label=_("Preferred days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The builder places items on these days when it can."),
    )
    day_starts = forms.TimeField(label=_("Allowed from"), widget=_time_input(), initial=dt.time(8))
    day_ends = forms.TimeField(label=_("Allowed until"), widget=_time_input(), initial=dt.time(18))
    step_minutes = forms.TypedChoiceField(
        label=_("Start times every"),
        coerce=int,
        initial=10,
        choices=[(s, _("%(n)s min") % {"n": s}) for s in STEPS],
    )
    time_limit = forms.IntegerField(
        label=_("Time limit of the builder, seconds"),
        min_value=1,
        max_value=120,
        initial=10,
        help_text=_("The builder stops after this time with the best schedule it has found."),
    )

    @classmethod
    def of(cls, schedule: Schedule, data=None) -> ScheduleForm:
        initial = {name: getattr(schedule, name) for name in cls.base_fields}
        return cls(data, initial=initial)


def _institutions(municipality_id: int, general: bool = False):
    qs = Institution.objects.filter(municipality_id=municipality_id, is_active=True)
    if general:
        qs = qs.filter(kind__in=GENERAL_KINDS)
    return [(i.pk, i.short_name) for i in qs.order_by("short_name", "id")]


class ItemForm(Errors, forms.Form):
    """One item. An open lesson is made at one school (``institution``: its classes and
    teachers are offered); a group viewing at one or several (one item per school)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Made from the subject and the class when empty."),
    )
    subject_id = forms.TypedChoiceField(label=_("Subject"), coerce=int)
    duration = forms.IntegerField(label=_("Duration, minutes"), min_value=10, max_value=240)
    audience_ids = forms.TypedMultipleChoiceField(
        label=_("Invite the teachers of the subject at"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subject_teachers = forms.BooleanField(
        label=_("They must attend: the builder finds a time when none of them teaches"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data=None, *, schedule: Schedule, kind: str, institution=None, **kw):
        super().__init__(data, **kw)
        self.kind, self.schedule, self.institution = kind, schedule, institution
        m = schedule.municipality_id
        self.fields["subject_id"].choices = [
            (s.pk, s.name)
            for s in Subject.objects.filter(municipality_id=m).order_by("order", "name")
        ]
        self.fields["audience_ids"].choices = _institutions(m, general=True)
        if kind == Item.Kind.OPEN_LESSON:
            self._open_lesson(institution)
        else:
            self._viewing(m)

    def _open_lesson(self, institution) -> None:
        self.fields["duration"].initial = 45
        self.fields["group_id"] = forms.TypedChoiceField(label=_("Class"), coerce=int)
        self.fields["host_id"] = forms.TypedChoiceField(label=_("Host teacher"), coerce=int)
        self.fields["online"] = forms.BooleanField(
            label=_("Broadcast online (needs a videoconference room at the school)"),
            required=False,
        )
        groups = StudyGroup.objects.filter(
            institution=institution,
            kind=StudyGroup.Kind.CLASS,
            year__starts_on__lte=self.schedule.last_day,
            year__ends_on__gte=self.schedule.first_day,
        ).order_by("grade", "name")
        self.fields["group_id"].choices = [(g.pk, g.name) for g in groups]
        teachers = (
            Membership.objects.active(today())
            .filter(institution=institution, role=Membership.Role.TEACHER)
            .select_related("person")
            .order_by("person__surname", "person__given_name")
        )
        self.fields["host_id"].choices = [(t.person_id, t.person.full_name) for t in teachers]
        self.order_fields(
            [
                "group_id",
                "subject_id",
                "host_id",
                "duration",
                "online",
                "title",
                "audience_ids",
                "subject_teachers",
                "note",
            ]
        )

    def _viewing(self, municipality_id: int) -> None:
        self.fields["duration"].initial = 90
        self.fields["subject_teachers"].initial = True
        self.fields["venue_ids"] = forms.TypedMultipleChoiceField(
            label=_("Where it is watched (one viewing per school)"),
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            choices=_institutions(municipality_id),
        )
        webinars = Event.objects.filter(
            municipality_id=municipality_id,
            kind=EventKind.WEBINAR,
            status=EventStatus.PUBLISHED,
            starts_at__gte=now(),
            venue__isnull=True,
        ).order_by("starts_at")[:100]
        self.fields["webinar_event_id"] = forms.TypedChoiceField(
            label=_("Webinar of the calendar"),
            coerce=int,
            required=False,
            empty_value=None,
            choices=[("", "—")]
            + [
                (e.pk, f"{timezone.localtime(e.starts_at):%d.%m %H:%M} {e.title}") for e in webinars
            ],
            help_text=_("A live webinar: the viewing takes place at its time."),
        )
        self.fields["webinar_url"] = forms.URLField(
            label=_("Link to the webinar or its recording"),
            required=False,
            max_length=500,
            assume_scheme="https",
        )
        self.fields["fixed_day"] = DateField(
            label=_("Fixed day"), required=False, widget=_date_input()
        )
        self.fields["fixed_time"] = forms.TimeField(
            label=_("Fixed start"),
            required=False,
            widget=_time_input(),
            help_text=_(
                "For a live webinar not in the calendar; empty for a recording, which "
                "the builder places at a free time."
            ),
        )
        self.fields["audience_ids"].label = _("Also invite the teachers of the subject at")
        self.order_fields(
            [
                "venue_ids",
                "subject_id",
                "subject_teachers",
                "duration",
                "webinar_event_id",
                "webinar_url",
                "fixed_day",
                "fixed_time",
                "title",
                "audience_ids",
                "note",
            ]
        )

    def clean(self):
        data = super().clean()
        if self.kind == Item.Kind.VIEWING:
            day, time = data.get("fixed_day"), data.get("fixed_time")
            if bool(day) != bool(time):
                self.add_error("fixed_time", _("Give both the day and the start, or neither."))
        return data

    def service_data(self) -> list[dict[str, Any]]:
        """The services' fields: one dict per item to create (a viewing per school)."""
        d = self.cleaned_data
        common = {
            "kind": self.kind,
            "title": d.get("title", ""),
            "subject_id": d["subject_id"],
            "duration": d["duration"],
            "audience_ids": d.get("audience_ids") or [],
            "note": d.get("note", ""),
        }
        if self.kind == Item.Kind.OPEN_LESSON:
            return [
                {
                    **common,
                    "group_id": d["group_id"],
                    "host_id": d["host_id"],
                    "online": d.get("online", False),
                }
            ]
        fixed = None
        if d.get("fixed_day") and d.get("fixed_time"):
            fixed = timezone.make_aware(dt.datetime.combine(d["fixed_day"], d["fixed_time"]))
        extra = {
            "webinar_event_id": d.get("webinar_event_id"),
            "webinar_url": d.get("webinar_url", ""),
        }
        if fixed is not None:
            extra["fixed_start"] = fixed
        return [{**common, **extra, "venue_ids": [v]} for v in d.get("venue_ids") or []]


class AdjustForm(Errors, forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=dt.date.fromisoformat)
    time = forms.TimeField(label=_("Start"), widget=_time_input())
    venue = forms.ChoiceField(label=_("Venue"))
    note = forms.CharField(label=_("Why (told to those affected)"), max_length=300, required=False)

    def __init__(self, data=None, *, days: list[dt.date], venues: list[tuple[str, str]], **kw):
        super().__init__(data, **kw)
        self.fields["day"].choices = [(d.isoformat(), f"{d:%d.%m.%Y}") for d in days]
        self.fields["venue"].choices = venues
