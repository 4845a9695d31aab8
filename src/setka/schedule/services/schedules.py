"""Creating and changing schedules and their items. Every function checks the actor's right
itself (PermissionDenied), validates everything before writing (ValidationError by field),
writes the audit log, and never half-saves."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.core.clock import now
from setka.events.selectors import teachers_of_subjects
from setka.network.models import Municipality
from setka.network.roles import user_roles

from .. import rules
from ..models import Item, Schedule
from .validation import clean_item, clean_schedule

SCHEDULE_FIELDS = [
    "title",
    "first_day",
    "last_day",
    "weekdays",
    "preferred_weekdays",
    "day_starts",
    "day_ends",
    "step_minutes",
    "time_limit",
]
GRID_FIELDS = {"first_day", "last_day", "weekdays", "day_starts", "day_ends", "step_minutes"}
ITEM_FIELDS = [
    "kind",
    "title",
    "subject",
    "duration",
    "host",
    "group",
    "online",
    "webinar_url",
    "webinar_event",
    "fixed_start",
    "note",
]


class Busy(Exception):  # noqa: N818 - a 409 answer, not a failure of the code
    """The builder is running on this schedule: it cannot be changed now."""

    def __init__(self, schedule: Schedule) -> None:
        super().__init__(_("The builder is running on this schedule: wait until it finishes."))
        self.schedule = schedule


def check_builder(actor, municipality_id: int) -> int | None:
    roles = user_roles(actor)
    if not rules.builds(roles, municipality_id):
        raise PermissionDenied(_("Only the municipality's methodologists build its schedules."))
    return roles.person_id


def _not_running(schedule: Schedule) -> None:
    if schedule.state == Schedule.State.RUNNING:
        raise Busy(schedule)


def _locked(schedule: Schedule) -> Schedule:
    return Schedule.objects.select_for_update().get(pk=schedule.pk)


@transaction.atomic
def schedule_create(*, actor, municipality: Municipality, **fields: Any) -> Schedule:
    person_id = check_builder(actor, municipality.pk)
    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    clean = clean_schedule(fields)
    schedule = Schedule.objects.create(municipality=municipality, created_by_id=person_id, **clean)
    audit_log(
        "schedule.create",
        actor=actor,
        obj=schedule,
        municipality_id=municipality.pk,
        changes={k: [None, v] for k, v in clean.items()},
    )
    return schedule


@transaction.atomic
def schedule_update(*, actor, schedule: Schedule, **fields: Any) -> Schedule:
    check_builder(actor, schedule.municipality_id)
    schedule = _locked(schedule)
    _not_running(schedule)
    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    clean = clean_schedule(fields, current=schedule)
    changes = {k: [getattr(schedule, k), v] for k, v in clean.items() if getattr(schedule, k) != v}
    if GRID_FIELDS & set(changes):
        _published_stay_inside(schedule, clean)
    for name, value in clean.items():
        setattr(schedule, name, value)
    schedule.updated_at = now()
    schedule.save()
    if GRID_FIELDS & set(changes):
        # The proposal was made for other days and hours: the builder places them again.
        Item.objects.filter(schedule=schedule, event__isnull=True, pinned=False).update(
            starts_at=None, ends_at=None, venue=None, resource_id=None, reason={}, warnings=[]
        )
    if changes:
        audit_log(
            "schedule.update",
            actor=actor,
            obj=schedule,
            municipality_id=schedule.municipality_id,
            changes=changes,
        )
    return schedule


def _published_stay_inside(schedule: Schedule, clean: dict[str, Any]) -> None:
    for item in Item.objects.filter(
        schedule=schedule, event__isnull=False, starts_at__isnull=False
    ):
        local = timezone.localtime(item.starts_at)
        end = timezone.localtime(item.ends_at)
        if (
            not clean["first_day"] <= local.date() <= clean["last_day"]
            or local.weekday() not in clean["weekdays"]
            or local.time() < clean["day_starts"]
            or end.time() > clean["day_ends"]
        ):
            raise ValidationError(
                {
                    "first_day": _(
                        "The published item «%(title)s» would fall outside the period "
                        "or the hours; move or cancel it first."
                    )
                    % {"title": item.title}
                }
            )


def _relations(item: Item, clean: dict[str, Any]) -> None:
    item.venues.set(clean["venues"])
    item.targets.set(clean["targets"])
    item.audience.set(clean["audience"])


def _with_subject_teachers(clean: dict[str, Any]) -> None:
    """The teachers of the item's subject at its invited schools (its venues when none is
    chosen) must attend."""
    if not clean["audience"]:
        clean["audience"] = list(clean["venues"])
    found = (
        teachers_of_subjects([clean["subject"].pk])
        .filter(institution_id__in=[i.pk for i in clean["audience"]])
        .select_related("teacher")
        .order_by("teacher__surname", "teacher_id")
    )
    have = {p.pk for p in clean["targets"]}
    host_id = clean["host"].pk if clean["host"] else None
    for assignment in found:
        if assignment.teacher_id not in have and assignment.teacher_id != host_id:
            clean["targets"].append(assignment.teacher)
            have.add(assignment.teacher_id)


@transaction.atomic
def item_create(*, actor, schedule: Schedule, subject_teachers: bool = False, **data: Any) -> Item:
    """Add an item; ``subject_teachers``: every teacher of its subject at its invited schools
    (its venues when none is chosen) must attend."""
    check_builder(actor, schedule.municipality_id)
    schedule = _locked(schedule)
    _not_running(schedule)
    clean = clean_item(schedule, data)
    if subject_teachers:
        _with_subject_teachers(clean)
    position = (schedule.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = Item.objects.create(
        schedule=schedule, position=position, **{k: clean[k] for k in ITEM_FIELDS}
    )
    _relations(item, clean)
    _touch(schedule)
    audit_log(
        "schedule.item.create",
        actor=actor,
        obj=item,
        municipality_id=schedule.municipality_id,
        changes={"title": [None, item.title], "kind": [None, item.kind]},
    )
    return item


@transaction.atomic
def item_update(*, actor, item: Item, **data: Any) -> Item:
    """Change an item that is not published yet (a published one is moved or cancelled);
    ``pinned=False`` lets the builder place it again."""
    check_builder(actor, item.schedule.municipality_id)
    schedule = _locked(item.schedule)
    _not_running(schedule)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.event_id:
        raise ValidationError({"kind": _("This item is published: move it or cancel it instead.")})
    unpin = data.pop("pinned", None)
    if unpin not in (None, False):
        raise ValidationError({"pinned": _("Place an item by moving it.")})
    clean = clean_item(schedule, data, current=item)
    before = {k: getattr(item, k) for k in ITEM_FIELDS}
    for name in ITEM_FIELDS:
        setattr(item, name, clean[name])
    changes = {k: [before[k], getattr(item, k)] for k in ITEM_FIELDS if before[k] != clean[k]}
    if changes or unpin is False or {"venue_ids", "target_ids", "audience_ids"} & set(data):
        # What it needs changed: the builder places it again.
        item.starts_at = item.ends_at = item.venue = item.resource_id = None
        item.pinned, item.reason, item.warnings = False, {}, []
    item.save()
    _relations(item, clean)
    _touch(schedule)
    audit_log(
        "schedule.item.update",
        actor=actor,
        obj=item,
        municipality_id=schedule.municipality_id,
        changes=changes,
    )
    return item


def _touch(schedule: Schedule) -> None:
    schedule.updated_at = now()
    schedule.save(update_fields=["updated_at"])


__all__ = ["Busy", "item_create", "item_update", "schedule_create", "schedule_update"]
