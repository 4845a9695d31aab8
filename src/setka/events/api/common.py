"""What the routers of the events API share: the detail answer, errors, lookups."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from setka.core.api import forbidden
from setka.core.api_errors import PROBLEM, ApiProblem
from setka.journal.models import StudyGroup, Subject
from setka.network.models import Institution, Person
from setka.network.roles import user_roles

from .. import rules, selectors
from ..models import Event, Mode, Registration


def forbid(exc: PermissionDenied) -> ApiProblem:
    return forbidden(str(exc) or "")


def conflict(request: HttpRequest, detail: str, registration: Registration) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _("Conflict"),
        "status": 409,
        "detail": detail,
        "instance": request.path,
        "conflict": {
            "id": registration.pk,
            "event_id": registration.event_id,
            "mode": registration.mode,
            "status": registration.status,
        },
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=409, content_type=PROBLEM)


def invalid(field: str, message: str) -> ApiProblem:
    return ApiProblem(422, _("Invalid input"), _("Some fields are invalid."),
                      [{"field": field, "message": message, "code": "invalid"}])  # fmt: skip


def _lookup(model, pk, field: str, municipality_id: int | None, attr: str = "municipality_id"):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None or (municipality_id is not None and getattr(obj, attr) != municipality_id):
        raise invalid(field, _("There is no such object."))
    return obj


def service_fields(data: dict[str, Any], municipality_id: int | None) -> dict[str, Any]:
    """The API's ``…_id`` fields as the objects the services take (422 for unknown ids)."""
    out = dict(data)
    if "subject_id" in out:
        out["subject"] = _lookup(Subject, out.pop("subject_id"), "subject_id", municipality_id)
    if "venue_id" in out:
        out["venue"] = _lookup(Institution, out.pop("venue_id"), "venue_id", municipality_id)
    if "group_id" in out:
        group = out.pop("group_id")
        out["group"] = (
            None if group is None else _lookup(
                StudyGroup.objects.select_related("institution"), group, "group_id", None
            )
        )  # fmt: skip
    if "host_ids" in out:
        ids = out.pop("host_ids") or []
        found = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if len(found) != len(set(ids)):
            raise invalid("host_ids", _("There is no such person."))
        out["hosts"] = ids
    if "audience_subject_ids" in out:
        ids = out.pop("audience_subject_ids") or []
        subjects = list(Subject.objects.filter(pk__in=ids, municipality_id=municipality_id or 0))
        if len(subjects) != len(set(ids)):
            raise invalid("audience_subject_ids", _("There is no such subject."))
        out["audience_subjects"] = subjects
    if "external_url" in out and out["external_url"] is not None:
        out["external_url"] = str(out["external_url"])
    return out


def detail(request: HttpRequest, event: Event) -> dict[str, Any]:
    roles = user_roles(request.user)
    hosts = list(event.hosts.all())
    registration = selectors.registration_of(roles.person_id, event)
    if registration is not None:
        registration.person = Person.objects.get(pk=registration.person_id)
    taken = selectors.taken(event)
    runs = rules.runs(roles, event)
    sees_recording = runs or (
        registration is not None and registration.status == Registration.Status.REGISTERED
    )
    return {
        "event": event,
        "description": event.description,
        "provider": event.provider,
        "external_url": event.external_url if runs else "",
        "hosts": [{"id": h.pk, "name": h.full_name} for h in hosts],
        "audience_subject_ids": [s.pk for s in event.audience_subjects.all()],
        "free_in_person": max(event.capacity_in_person - taken[Mode.IN_PERSON], 0),
        "free_remote": max(event.capacity_remote - taken[Mode.REMOTE], 0) if event.provider else 0,
        "materials": event.material_links(),
        "recording_url": event.recording_url if sees_recording else "",
        "group": {"id": event.group.pk, "name": event.group.name} if event.group else None,
        "lesson_id": event.lesson_id if runs else None,
        "my_registration": registration,
    }


def detail_out(request: HttpRequest, event: Event) -> Event:
    """The event with the detail's extra fields set on it (``EventDetailOut`` reads them)."""
    data = detail(request, event)
    data.pop("event")
    event._api_hosts = data.pop("hosts")  # type: ignore[attr-defined]
    event._api_group = data.pop("group")  # type: ignore[attr-defined]
    for key, value in data.items():
        setattr(event, key, value)
    return event
