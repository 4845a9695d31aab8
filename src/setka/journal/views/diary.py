"""The diary: the week of a student and the summary of their marks, for the student and their
parents (a parent switches between their children with ``?student=``), and the parent's
e-mail digest setting. Anyone else gets a 404, like for a page that does not exist.

The week costs a fixed number of queries: the session and the user, the user's roles, the
people the user may see (with the digest setting), then the four of ``diary_week``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from markupsafe import Markup, escape

from setka.core import clock
from setka.network.models import Person
from setka.network.roles import user_roles

from .. import diary as selectors
from ..models import AttendanceCode
from ..rooms import room_label
from ..services.digest import Frequency, digest_subscription_set, frequency_annotation


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("Send a summary to my e-mail"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose how often to send the summary."),
            "invalid_choice": gettext_lazy("Choose how often to send the summary."),
        },
    )


@dataclass
class DiaryAccess:
    viewer: Person | None
    is_parent: bool
    students: Sequence[Person]  # whose diaries the user may open: themself first, then children
    student: Person  # the one chosen

    @property
    def others(self) -> list[Person]:
        return [s for s in self.students if s.pk != self.student.pk]


def _access(request: HttpRequest, requested: str | None) -> DiaryAccess:
    """The students whose diary the user may read, and the one asked for (404 otherwise)."""
    roles = user_roles(request.user)
    ids = set(roles.children)
    if roles.student_of and roles.person_id is not None:
        ids.add(roles.person_id)
    if not ids:
        raise Http404
    wanted: int | None = None
    if requested:
        try:
            wanted = int(requested)
        except (TypeError, ValueError):
            raise Http404 from None
        if wanted not in ids:
            raise Http404
    people = list(
        Person.objects.filter(pk__in=ids | {roles.person_id})
        .annotate(digest_frequency=frequency_annotation())
        .order_by("birth_date", "given_name", "pk")
    )
    viewer = next((p for p in people if p.pk == roles.person_id), None)
    if viewer is not None:
        request.user.person = viewer  # type: ignore[union-attr]  # the header shows the name
    students = [p for p in people if p.pk in ids]
    students.sort(key=lambda p: p.pk != roles.person_id)  # the student themself first
    if not students:
        raise Http404
    chosen = next((p for p in students if p.pk == wanted), students[0])
    if not request.user.has_perm("journal.view_diary", chosen):
        raise Http404
    return DiaryAccess(
        viewer=viewer, is_parent=bool(roles.children), students=students, student=chosen
    )


def _url(name: str, student: Person, **params: object) -> str:
    query = {"student": student.pk, **{k: v for k, v in params.items() if v}}
    return reverse(name) + "?" + urlencode(query)


def _week_page(
    request: HttpRequest, access: DiaryAccess, week_param: str | None, *, form=None, status=200
) -> HttpResponse:
    today = clock.today()
    monday = selectors.parse_week(week_param, today)
    week = selectors.diary_week(access.student.pk, monday)
    this_monday = selectors.week_start(today)
    viewer = access.viewer
    if form is None and access.is_parent and viewer is not None:
        form = DigestForm(
            initial={"frequency": getattr(viewer, "digest_frequency", None) or Frequency.OFF}
        )
    has_email = bool(viewer is not None and (viewer.email or getattr(request.user, "email", "")))
    context = {
        "access": access,
        "student": access.student,
        "week": week,
        "today": today,
        "is_this_week": monday == this_monday,
        "main_institution_id": _main_institution(week),
        "previous_url": _url("journal:diary", access.student, week=week.previous.isoformat()),
        "next_url": _url("journal:diary", access.student, week=week.next.isoformat()),
        "this_week_url": _url("journal:diary", access.student),
        "summary_url": _url("journal:diary_summary", access.student),
        "switch_urls": [
            (s, _url("journal:diary", s, week=monday.isoformat())) for s in access.students
        ],
        "digest_form": form if access.is_parent else None,
        "has_email": has_email,
        "attendance_labels": AttendanceCode.choices,
        "days_html": render_days(week, today, _main_institution(week)),
    }
    return render(request, "journal/diary/week.html", context, status=status)


def _mark_view(mark: selectors.DiaryMark, titles: dict) -> dict[str, Any]:
    """The mark for the template; its weight and title made once per (kind, weight)."""
    key = (mark.kind, mark.weight)
    if key not in titles:
        weight = floatformat(mark.weight, "-1")
        titles[key] = (weight, mark.kind + _(", weight %(weight)s") % {"weight": weight})
    weight, title = titles[key]
    return {
        "text": mark.text,
        "subject": mark.subject,
        "kind_short": mark.kind_short,
        "weight_text": weight,
        "title": f"{title}: {mark.comment}" if mark.comment else title,
    }


def _homework_view(hw: selectors.DiaryHomework) -> dict[str, Any]:
    return {
        "subject": hw.subject,
        "html": Markup("<br>").join(escape(line) for line in hw.text.splitlines()),
        "minutes_text": ngettext("~%(minutes)s minute", "~%(minutes)s minutes", hw.minutes)
        % {"minutes": hw.minutes},
        "links": hw.links,
        "attachments": hw.attachments,
    }


def render_days(week: selectors.DiaryWeek, today, main_institution_id: int | None) -> str:
    """The days of the week as HTML (Jinja2): the phrases are translated here, once."""
    labels = dict(AttendanceCode.choices)
    titles: dict = {}
    days = []
    for day in week.days:
        lessons = []
        for lesson in day.lessons:
            meta = []
            if lesson.room:
                meta.append(room_label(lesson.room))
            if lesson.substitute:
                meta.append(
                    _("substitute: %(substitute)s (instead of %(teacher)s)")
                    % {"substitute": lesson.substitute, "teacher": lesson.teacher}
                )
            else:
                meta.append(lesson.teacher)
            if lesson.group_kind != "class":
                meta.append(lesson.group)
            time = (
                f"{lesson.starts_at:%H:%M}–{lesson.ends_at:%H:%M}"
                if lesson.starts_at and lesson.ends_at
                else ""
            )
            lessons.append(
                {
                    "number": lesson.number,
                    "time": time,
                    "subject": lesson.subject,
                    "is_cancelled": lesson.is_cancelled,
                    "is_control": lesson.kind == "control",
                    "open_event_id": lesson.open_event_id,
                    "attendance": lesson.attendance,
                    "attendance_label": labels.get(lesson.attendance, ""),
                    "marks": [_mark_view(m, titles) for m in lesson.marks],
                    "meta": " · ".join(meta),
                    "other_institution": lesson.institution
                    if main_institution_id and lesson.institution_id != main_institution_id
                    else "",
                    "moved": _("moved from %(date)s")
                    % {"date": date_format(lesson.moved_from, "j E")}
                    if lesson.moved_from
                    else "",
                    "topic": lesson.topic,
                    "homework": [_homework_view(hw) for hw in lesson.homework],
                }
            )
        days.append(
            {
                "id": f"{day.date:%Y%m%d}",
                "heading": date_format(day.date, "l, j E"),
                "is_today": day.date == today,
                "load": ngettext(
                    "Homework: ~%(minutes)s minute",
                    "Homework: ~%(minutes)s minutes",
                    day.homework_minutes,
                )
                % {"minutes": day.homework_minutes}
                if day.homework_minutes
                else "",
                "is_empty": day.is_empty,
                "lessons": lessons,
                "other_homework": [_homework_view(hw) for hw in day.other_homework],
                "other_marks": [_mark_view(m, titles) for m in day.other_marks],
            }
        )
    html = render_to_string("journal/diary_days.html", {"days": days}, using="jinja2")
    return Markup(html)  # noqa: S704 (rendered by Jinja2 with autoescaping)


def _main_institution(week: selectors.DiaryWeek) -> int | None:
    """The institution with most of the week's lessons: others are named on their lessons."""
    counts: dict[int, int] = {}
    for day in week.days:
        for lesson in day.lessons:
            counts[lesson.institution_id] = counts.get(lesson.institution_id, 0) + 1
    return max(counts, key=lambda i: counts[i]) if counts else None


@login_required
@require_http_methods(["GET", "HEAD"])
def diary(request: HttpRequest) -> HttpResponse:
    access = _access(request, request.GET.get("student"))
    return _week_page(request, access, request.GET.get("week"))


@login_required
@require_http_methods(["GET", "HEAD"])
def diary_summary(request: HttpRequest) -> HttpResponse:
    access = _access(request, request.GET.get("student"))
    today = clock.today()
    summary = selectors.diary_summary(access.student.pk, today)
    context = {
        "access": access,
        "student": access.student,
        "summary": summary,
        "week_url": _url("journal:diary", access.student),
        "switch_urls": [(s, _url("journal:diary_summary", s)) for s in access.students],
    }
    return render(request, "journal/diary/summary.html", context)


@login_required
@require_POST
def diary_digest(request: HttpRequest) -> HttpResponse:
    access = _access(request, request.POST.get("student"))
    if not access.is_parent:
        raise Http404
    form = DigestForm(request.POST)
    if form.is_valid():
        try:
            sub = digest_subscription_set(
                actor=request.user, frequency=form.cleaned_data["frequency"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if sub.frequency == Frequency.OFF:
                messages.success(request, _("The e-mail summary is turned off."))
            else:
                messages.success(
                    request,
                    _("The e-mail summary will come %(when)s.")
                    % {"when": sub.get_frequency_display()},
                )
            week = selectors.parse_week(request.POST.get("week"), clock.today())
            return redirect(_url("journal:diary", access.student, week=week.isoformat()))
    return _week_page(request, access, request.POST.get("week"), form=form, status=400)
