"""Every rule of what a methodologist types, checked before anything is written; errors by
field (ValidationError), so that the pages show them by the field and the API answers a 422
naming it. Ids of teachers, classes, subjects and venues must be of the schedule's
municipality; a teacher is someone with a teacher's membership there today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.clock import today
from setka.core.plurals import too_long_text
from setka.events.models import Event
from setka.events.models import Kind as EventKind
from setka.journal.models import StudyGroup, Subject
from setka.network.models import Institution, Membership, Person

from ..models import MAX_DAYS, STEPS, Item, Schedule

TITLE_MAX = 200
NOTE_MAX = 2000
DURATIONS = {Item.Kind.OPEN_LESSON: 45, Item.Kind.VIEWING: 90}


def _ids(values: Iterable[Any] | None) -> list[int]:
    out = []
    for v in values or []:
        out.append(v if isinstance(v, int) else v.pk)
    return list(dict.fromkeys(out))


def clean_schedule(data: dict[str, Any], current: Schedule | None = None) -> dict[str, Any]:
    """The fields of a schedule (``data`` may hold some of them for a change)."""
    errors: dict[str, str] = {}
    get = (lambda k: data[k] if k in data else getattr(current, k)) if current else data.get
    title = (get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the schedule a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = too_long_text(TITLE_MAX)
    first, last = get("first_day"), get("last_day")
    if first is None:
        errors["first_day"] = _("Give the first day of the period.")
    if last is None:
        errors["last_day"] = _("Give the last day of the period.")
    if first and last:
        if last < first:
            errors["last_day"] = _("The period ends before it starts.")
        elif (last - first).days + 1 > MAX_DAYS:
            errors["last_day"] = ngettext(
                "A period lasts at most %(n)s day.", "A period lasts at most %(n)s days.", MAX_DAYS
            ) % {"n": MAX_DAYS}
        elif last < today():
            errors["last_day"] = _("The period is over: choose days from today on.")
    weekdays = get("weekdays")
    if weekdays is None:
        weekdays = [0, 1, 2, 3, 4]
    preferred = get("preferred_weekdays") or []
    if not weekdays or any(not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
        errors["weekdays"] = _("Choose at least one day of the week.")
    elif any(not isinstance(d, int) or d not in weekdays for d in preferred):
        errors["preferred_weekdays"] = _("Preferred days must be among the allowed ones.")
    starts, ends = get("day_starts") or dt.time(8), get("day_ends") or dt.time(18)
    if ends <= starts:
        errors["day_ends"] = _("The allowed hours end before they start.")
    step = get("step_minutes")
    step = 10 if step is None else step
    if step not in STEPS:
        errors["step_minutes"] = _("Choose one of: %(steps)s.") % {
            "steps": ", ".join(str(s) for s in STEPS)
        }
    limit = get("time_limit")
    limit = 10 if limit is None else limit
    if not isinstance(limit, int) or not 1 <= limit <= 120:
        errors["time_limit"] = _("The time limit is from 1 to 120 seconds.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "first_day": first,
        "last_day": last,
        "weekdays": sorted(set(weekdays)),
        "preferred_weekdays": sorted(set(preferred)),
        "day_starts": starts,
        "day_ends": ends,
        "step_minutes": step,
        "time_limit": limit,
    }


def teachers_of(municipality_id: int, ids: list[int]) -> dict[int, Person]:
    """The people of ``ids`` who teach in the municipality today."""
    found = (
        Membership.objects.active(today())
        .filter(
            person_id__in=ids,
            role=Membership.Role.TEACHER,
            institution__municipality_id=municipality_id,
        )
        .select_related("person")
    )
    return {m.person_id: m.person for m in found}


def _institutions(municipality_id: int, ids: list[int]) -> list[Institution]:
    return list(Institution.objects.filter(pk__in=ids, municipality_id=municipality_id))


def _moment(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def within_schedule(schedule: Schedule, start: dt.datetime, minutes: int) -> str | None:
    """Why an item of ``minutes`` at ``start`` is outside the schedule's days and hours."""
    local = timezone.localtime(start)
    end = local + dt.timedelta(minutes=minutes)
    if not schedule.first_day <= local.date() <= schedule.last_day:
        return _("The time is outside the period of the schedule.")
    if local.weekday() not in (schedule.weekdays or []):
        return _("This day of the week is not allowed in the schedule.")
    if (
        local.time() < schedule.day_starts
        or end.date() != local.date()
        or (end.time() > schedule.day_ends)
    ):
        return _("The time is outside the allowed hours (%(a)s–%(b)s).") % {
            "a": f"{schedule.day_starts:%H:%M}",
            "b": f"{schedule.day_ends:%H:%M}",
        }
    return None


def clean_item(schedule: Schedule, data: dict[str, Any], current: Item | None = None) -> dict:
    """The fields of an item, with its relations read (ids of this municipality only)."""
    errors: dict[str, str] = {}
    m = schedule.municipality_id

    def get(key: str, default: Any = None) -> Any:
        if key in data:
            return data[key]
        if current is not None:
            return _current(current, key)
        return default

    kind = get("kind")
    if kind not in Item.Kind.values:
        errors["kind"] = _("Choose an open lesson or a group viewing of a webinar.")
    subject = Subject.objects.filter(pk=get("subject_id") or 0, municipality_id=m).first()
    if subject is None:
        errors["subject_id"] = _("There is no such subject.")
    duration = get("duration") or DURATIONS.get(kind, 45)
    if not isinstance(duration, int) or not 10 <= duration <= 240:
        errors["duration"] = _("An item lasts from 10 to 240 minutes.")
    host = group = None
    venue_ids = _ids(get("venue_ids"))
    if kind == Item.Kind.OPEN_LESSON:
        host_id = get("host_id")
        host = teachers_of(m, [host_id]).get(host_id) if host_id else None
        if host is None:
            errors["host_id"] = (
                _("There is no such teacher.")
                if host_id
                else _("An open lesson needs its host teacher.")
            )
        group_id = get("group_id")
        group = (
            StudyGroup.objects.select_related("institution")
            .filter(pk=group_id or 0, institution__municipality_id=m)
            .first()
        )
        if group is None:
            errors["group_id"] = (
                _("There is no such class.") if group_id else _("An open lesson needs the class.")
            )
        else:
            venue_ids = [group.institution_id]
            if host is not None and not teachers_of_institution(group.institution_id, host.pk):
                errors["host_id"] = _("The host must teach at the school of the class.")
    venues = _institutions(m, venue_ids)
    if kind == Item.Kind.VIEWING and not venue_ids:
        errors["venue_ids"] = _("Choose the schools where the webinar is watched.")
    elif len(venues) != len(venue_ids):
        errors["venue_ids"] = _("There is no such institution.")
    target_ids = _ids(get("target_ids"))
    targets = teachers_of(m, target_ids)
    if len(targets) != len(target_ids):
        errors["target_ids"] = _("There is no such teacher.")
    audience_ids = _ids(get("audience_ids"))
    audience = _institutions(m, audience_ids)
    if len(audience) != len(audience_ids):
        errors["audience_ids"] = _("There is no such institution.")
    webinar_event = None
    if get("webinar_event_id"):
        webinar_event = Event.objects.filter(
            pk=get("webinar_event_id"), municipality_id=m, kind=EventKind.WEBINAR
        ).first()
        if webinar_event is None:
            errors["webinar_event_id"] = _("There is no such webinar in the calendar.")
    url = (get("webinar_url") or "").strip()
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            errors["webinar_url"] = _("Enter a valid link (https://…).")
    fixed_start, fixed_end = _moment(get("fixed_start")), _moment(data.get("fixed_end"))
    if fixed_start is None and webinar_event is not None:
        fixed_start, fixed_end = webinar_event.starts_at, webinar_event.ends_at
    if fixed_end is not None and fixed_start is None:
        errors["fixed_start"] = _("Give the start of the fixed time too.")
    elif fixed_start is not None and fixed_end is not None:
        if fixed_end <= fixed_start:
            errors["fixed_end"] = _("The item ends before it starts.")
        else:
            duration = int((fixed_end - fixed_start).total_seconds() // 60)
            if not 10 <= duration <= 240:
                errors["fixed_end"] = _("An item lasts from 10 to 240 minutes.")
    if fixed_start is not None and "fixed_end" not in errors and isinstance(duration, int):
        outside = within_schedule(schedule, fixed_start, duration)
        if outside:
            errors["fixed_start"] = outside
    title = (get("title") or "").strip()
    if len(title) > TITLE_MAX:
        errors["title"] = too_long_text(TITLE_MAX)
    note = (get("note") or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = too_long_text(NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    if not title:
        title = default_title(kind, subject, group)
    return {
        "kind": kind,
        "subject": subject,
        "duration": duration,
        "host": host,
        "group": group,
        "venues": venues,
        "targets": list(targets.values()),
        "audience": audience,
        "webinar_event": webinar_event,
        "webinar_url": url,
        "fixed_start": fixed_start,
        "title": title,
        "note": note,
        "online": bool(get("online", False)),
    }


def teachers_of_institution(institution_id: int, person_id: int) -> bool:
    return (
        Membership.objects.active(today())
        .filter(institution_id=institution_id, person_id=person_id, role=Membership.Role.TEACHER)
        .exists()
    )


def default_title(kind: str, subject: Subject | None, group: StudyGroup | None) -> str:
    name = subject.name if subject else ""
    if kind == Item.Kind.OPEN_LESSON:
        return _("Open lesson: %(subject)s, %(group)s") % {
            "subject": name,
            "group": group.name if group else "",
        }
    return _("Group viewing of a webinar: %(subject)s") % {"subject": name}


def _current(item: Item, key: str) -> Any:
    if key == "venue_ids":
        return [v.pk for v in item.venues.all()]
    if key == "target_ids":
        return [p.pk for p in item.targets.all()]
    if key == "audience_ids":
        return [i.pk for i in item.audience.all()]
    if key.endswith("_id"):
        return getattr(item, key)
    return getattr(item, key)
