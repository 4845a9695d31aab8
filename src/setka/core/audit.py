"""Writing the audit log. Services call :func:`audit_log` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import AuditEntry


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple | list):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` (foreign keys as ids), for a later :func:`diff`."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _plain(getattr(obj, attname))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _entry(
    action: str,
    actor: Any,
    obj: models.Model,
    *,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    institution_id: int | None = None,
    municipality_id: int | None = None,
) -> AuditEntry:
    if institution_id is None:
        institution_id = getattr(obj, "institution_id", None)
    if municipality_id is None:
        municipality_id = getattr(obj, "municipality_id", None)
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        object_repr=str(obj)[:255],
        institution_id=institution_id,
        municipality_id=municipality_id,
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        reason=reason,
    )


def audit_log(
    action: str,
    *,
    actor: Any,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    institution_id: int | None = None,
    municipality_id: int | None = None,
) -> AuditEntry:
    entry = _entry(
        action,
        actor,
        obj,
        changes=changes,
        reason=reason,
        institution_id=institution_id,
        municipality_id=municipality_id,
    )
    entry.save(force_insert=True)
    return entry


def audit_log_many(
    action: str, *, actor: Any, objects: list[tuple[models.Model, dict[str, Any]]]
) -> list[AuditEntry]:
    """:func:`audit_log` for many objects of one action (each with its changes), in one
    insert."""
    return AuditEntry.objects.bulk_create(
        [_entry(action, actor, obj, changes=changes) for obj, changes in objects]
    )


def audit_entries_for(*objects: models.Model) -> models.QuerySet[AuditEntry]:
    """The history of one or more objects of one model, with who did it (one query), in the
    log's own order (the newest first): ``.filter(action=…)`` narrows it, ``.order_by(…)``
    turns it."""
    if not objects:
        return AuditEntry.objects.none()
    labels = {o._meta.label_lower for o in objects}
    if len(labels) != 1:
        raise ValueError("audit_entries_for: objects of one model")
    return AuditEntry.objects.filter(
        object_type=labels.pop(), object_id__in=[o.pk for o in objects]
    ).select_related("actor__person")
