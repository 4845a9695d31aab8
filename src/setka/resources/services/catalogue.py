"""Resources: published and changed by their resource centre's administrators only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.audit import audit_log, diff, snapshot
from setka.core.plurals import too_long_text
from setka.network.models import Institution
from setka.network.roles import user_roles

from ..models import KIND_OF, Category, Kind, Resource, Window
from ..rules import manages_institution_resources, manages_resource

FIELDS = (
    "kind",
    "category",
    "name",
    "description",
    "location",
    "capacity",
    "features",
    "needs_approval",
    "teachers_may_book",
    "is_public",
    "is_active",
)
TEXT_LIMITS = {"name": 200, "location": 200, "description": 5000}
FEATURES_MAX = 20
FEATURE_LENGTH = 100

#: Windows by weekday (0 = Monday): [(from, until), ...].
Windows = Mapping[int, Sequence[tuple[dt.time, dt.time]]]


def _clean(data: dict[str, Any], windows: Windows | None) -> dict[str, str]:
    """Normalise ``data`` in place; answer the problems by field."""
    errors: dict[str, str] = {}
    for name, limit in TEXT_LIMITS.items():
        if name in data:
            data[name] = (data[name] or "").strip()
            if len(data[name]) > limit:
                errors[name] = too_long_text(limit)
    if "name" in data and not data["name"]:
        errors["name"] = _("Name the resource.")
    if "category" in data and data["category"] not in Category.values:
        errors["category"] = _("Choose one of the categories.")
    if "kind" in data and data["kind"] not in Kind.values:
        errors["kind"] = _("Choose a room, equipment or a specialist.")
    kind, category = data.get("kind"), data.get("category")
    if kind in Kind.values and category in KIND_OF and KIND_OF[Category(category)] != kind:
        errors["category"] = _("This category belongs to another kind of resource.")
    if data.get("capacity") is not None and not 1 <= data["capacity"] <= 100_000:
        errors["capacity"] = _("The capacity is a number from 1 to 100000.")
    if "features" in data:
        features = [str(f).strip() for f in data["features"] or [] if str(f).strip()]
        if len(features) > FEATURES_MAX:
            errors["features"] = ngettext(
                "At most %(n)d feature.", "At most %(n)d features.", FEATURES_MAX
            ) % {"n": FEATURES_MAX}
        elif any(len(f) > FEATURE_LENGTH for f in features):
            errors["features"] = ngettext(
                "A feature is at most %(n)d character.",
                "A feature is at most %(n)d characters.",
                FEATURE_LENGTH,
            ) % {"n": FEATURE_LENGTH}
        data["features"] = list(dict.fromkeys(features))
    for weekday, spans in (windows or {}).items():
        if weekday not in range(7):
            errors["hours"] = _("A weekday is a number from 0 (Monday) to 6 (Sunday).")
            break
        ordered = sorted(spans)
        if any(b <= a for a, b in ordered) or any(
            ordered[i + 1][0] < ordered[i][1] for i in range(len(ordered) - 1)
        ):
            errors["hours"] = _("The hours of one day overlap or end before they begin.")
            break
    return errors


def _set_windows(resource: Resource, windows: Windows) -> None:
    resource.windows.all().delete()
    Window.objects.bulk_create(
        Window(resource=resource, weekday=day, starts_at=a, ends_at=b)
        for day, spans in sorted(windows.items())
        for a, b in sorted(spans)
    )


def _windows_plain(resource: Resource) -> list[str]:
    return [str(w) for w in resource.windows.all()]


def resource_create(
    *, actor: Any, institution: Institution, data: dict[str, Any], windows: Windows
) -> Resource:
    """Publish a resource of ``institution`` (a resource centre the actor administers)."""
    if not manages_institution_resources(actor, institution):
        if institution.pk in user_roles(actor).admin_of:
            raise PermissionDenied(
                _("Only resource centres publish resources; ask the municipality to mark yours.")
            )
        raise PermissionDenied(_("Only the administrators of the resource centre do this."))
    data = {k: v for k, v in data.items() if k in FIELDS}
    data.setdefault("category", Category.OTHER)
    if "kind" not in data and data["category"] in KIND_OF:
        data["kind"] = KIND_OF[Category(data["category"])]
    errors = _clean(data, windows)
    if "kind" not in data and "kind" not in errors:
        errors["kind"] = _("Choose a room, equipment or a specialist.")
    if "name" not in data:
        errors["name"] = _("Name the resource.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        resource = Resource.objects.create(institution=institution, **data)
        _set_windows(resource, windows)
        audit_log(
            "resources.resource.create",
            actor=actor,
            obj=resource,
            changes={**snapshot(resource, FIELDS), "hours": _windows_plain(resource)},
        )
    return resource


def resource_update(
    *, actor: Any, resource: Resource, data: dict[str, Any], windows: Windows | None = None
) -> Resource:
    """Change a resource (only the fields given; the hours when ``windows`` is given).
    Existing bookings stay as they are."""
    if not manages_resource(actor, resource):
        raise PermissionDenied(_("Only the administrators of the resource centre do this."))
    data = {k: v for k, v in data.items() if k in FIELDS}
    merged = {"kind": resource.kind, "category": resource.category, **data}
    errors = _clean(merged, windows)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = {**snapshot(resource, FIELDS), "hours": _windows_plain(resource)}
        for name in data:
            setattr(resource, name, merged[name])
        for name in ("kind", "category"):
            setattr(resource, name, merged[name])
        resource.save()
        if windows is not None:
            _set_windows(resource, windows)
        after = {**snapshot(resource, FIELDS), "hours": _windows_plain(resource)}
        changes = diff(before, after)
        if changes:
            audit_log("resources.resource.update", actor=actor, obj=resource, changes=changes)
    return resource
