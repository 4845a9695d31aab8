"""Schemas of the schedule builder's API. Choices are literals (an enum's schema is named after
its class, and other domains have their own ``Kind`` and ``Status``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from setka.core.api import InputSchema
from setka.core.api_errors import Day, Id, Text

from ..models import Change, Item, Schedule, Version
from ..solver.reasons import text as reason_text

ItemKind = Literal["open_lesson", "viewing"]
Weekday = Annotated[int, Field(ge=0, le=6)]
Title = Annotated[Text, Field(min_length=1, max_length=200)]


class BriefOut(Schema):
    id: int
    name: str


def _person(p) -> dict[str, Any] | None:
    return {"id": p.pk, "name": p.full_name} if p is not None else None


def _institution(i) -> dict[str, Any] | None:
    return {"id": i.pk, "name": i.short_name} if i is not None else None


class ScheduleFields(InputSchema):
    weekdays: list[Weekday] | None = Field(
        None, max_length=7, description="Allowed days, Monday 0 … Sunday 6 (default Mon–Fri)."
    )
    preferred_weekdays: list[Weekday] | None = Field(None, max_length=7)
    day_starts: dt.time | None = Field(None, description="Allowed from (default 08:00).")
    day_ends: dt.time | None = Field(None, description="Allowed until (default 18:00).")
    step_minutes: Literal[5, 10, 15, 20, 30, 60] | None = Field(
        None, description="Start times every so many minutes (default 10)."
    )
    time_limit: int | None = Field(
        None, ge=1, le=120, description="The builder's time limit, seconds (default 10)."
    )


class ScheduleIn(ScheduleFields):
    title: Title
    first_day: Day
    last_day: Day


class SchedulePatch(ScheduleFields):
    title: Title | None = None
    first_day: Day | None = None
    last_day: Day | None = None


class ScheduleRunOut(Schema):
    id: int
    number: int
    status: Literal["queued", "running", "done", "failed"]
    time_limit: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    solver_status: str = Field(description="CP-SAT's: OPTIMAL, FEASIBLE, UNKNOWN…")
    objective: float | None
    bound: float | None = Field(description="The solver's bound of the objective.")
    gap: float | None = Field(description="(bound − objective) / bound: 0 when proven optimal.")
    wall_seconds: float | None
    items_total: int
    placed: int
    greedy_placed: int = Field(description="What a first fit in input order placed.")
    candidates: int
    used_greedy: bool = Field(description="The baseline placed more and was kept.")
    error: str


class ScheduleOut(Schema):
    id: int
    title: str
    first_day: dt.date
    last_day: dt.date
    weekdays: list[int]
    preferred_weekdays: list[int]
    day_starts: dt.time
    day_ends: dt.time
    step_minutes: int
    time_limit: int
    state: Literal["draft", "running", "proposed", "published"]
    version: int = Field(description="The published version (0: never published).")
    published_at: dt.datetime | None
    url: str

    @staticmethod
    def resolve_url(obj: Schedule) -> str:
        return obj.get_absolute_url()


class ScheduleDetailOut(ScheduleOut):
    last_run: ScheduleRunOut | None


class ScheduleItemFields(InputSchema):
    title: Annotated[Text, Field(max_length=200)] | None = Field(
        None, description="Made from the subject and the class when empty."
    )
    subject_id: Id | None = None
    duration: int | None = Field(None, ge=10, le=240, description="Minutes.")
    host_id: Id | None = Field(None, description="An open lesson's host teacher.")
    group_id: Id | None = Field(None, description="An open lesson's class.")
    online: bool | None = Field(None, description="An open lesson broadcast online.")
    venue_ids: list[Id] | None = Field(
        None, max_length=100, description="A viewing's possible schools (the solver picks one)."
    )
    target_ids: list[Id] | None = Field(
        None, max_length=500, description="Teachers who must attend (none may be teaching)."
    )
    audience_ids: list[Id] | None = Field(
        None, max_length=200, description="Schools whose teachers of the subject are invited."
    )
    webinar_url: Annotated[Text, Field(max_length=500)] | None = None
    webinar_event_id: Id | None = Field(None, description="A live webinar of the calendar.")
    fixed_start: dt.datetime | None = Field(None, description="A live webinar's time.")
    fixed_end: dt.datetime | None = None
    note: Annotated[Text, Field(max_length=2000)] | None = None


class ScheduleItemIn(ScheduleItemFields):
    kind: ItemKind
    subject_id: Id
    subject_teachers: bool = Field(
        False,
        description="The teachers of the subject at the invited schools (the venues when none "
        "is given) must attend.",
    )


class ScheduleItemPatch(ScheduleItemFields):
    pinned: Literal[False] | None = Field(None, description="`false`: let the builder place it.")


class ScheduleReasonOut(Schema):
    code: str
    message: str = Field(description="In the language of the request.")


class SchedulePlacementOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: BriefOut
    resource_id: int | None = Field(description="The videoconference kit booked for it.")


class ScheduleItemOut(Schema):
    id: int
    position: int
    kind: ItemKind
    title: str
    subject: BriefOut
    duration: int
    host: BriefOut | None
    group: BriefOut | None
    online: bool
    venues: list[BriefOut]
    targets: list[BriefOut]
    audience: list[BriefOut]
    webinar_url: str
    webinar_event_id: int | None
    fixed_start: dt.datetime | None
    note: str
    placement: SchedulePlacementOut | None = Field(description="Where the proposal puts it.")
    pinned: bool = Field(description="Placed by hand: the builder keeps it.")
    event_id: int | None = Field(description="Its event, once published.")
    reason: ScheduleReasonOut | None = Field(description="Why it is not placed.")
    warnings: list[ScheduleReasonOut]

    @staticmethod
    def resolve_subject(obj: Item) -> dict[str, Any]:
        return {"id": obj.subject_id, "name": obj.subject.name}

    @staticmethod
    def resolve_host(obj: Item) -> dict[str, Any] | None:
        return _person(obj.host)

    @staticmethod
    def resolve_group(obj: Item) -> dict[str, Any] | None:
        return {"id": obj.group.pk, "name": obj.group.name} if obj.group else None

    @staticmethod
    def resolve_venues(obj: Item) -> list[dict[str, Any]]:
        return [_institution(v) for v in obj.venues.all()]  # type: ignore[misc]

    @staticmethod
    def resolve_targets(obj: Item) -> list[dict[str, Any]]:
        return [_person(p) for p in obj.targets.all()]  # type: ignore[misc]

    @staticmethod
    def resolve_audience(obj: Item) -> list[dict[str, Any]]:
        return [_institution(i) for i in obj.audience.all()]  # type: ignore[misc]

    @staticmethod
    def resolve_placement(obj: Item) -> dict[str, Any] | None:
        if obj.starts_at is None or obj.venue is None:
            return None
        return {
            "starts_at": obj.starts_at,
            "ends_at": obj.ends_at,
            "venue": _institution(obj.venue),
            "resource_id": obj.resource_id,
        }

    @staticmethod
    def resolve_reason(obj: Item) -> dict[str, Any] | None:
        if not obj.reason:
            return None
        return {"code": obj.reason.get("code", ""), "message": reason_text(obj.reason)}

    @staticmethod
    def resolve_warnings(obj: Item) -> list[dict[str, Any]]:
        return [{"code": w.get("code", ""), "message": reason_text(w)} for w in obj.warnings]


class ScheduleItemMoveIn(InputSchema):
    starts_at: dt.datetime
    venue_id: Id | None = Field(None, description="One of the item's venues (default: its own).")
    resource_id: Id | None = Field(None, description="A videoconference kit at a venue.")
    note: Annotated[Text, Field(max_length=300)] = Field(
        "", description="Why: told to those affected when the item is published."
    )


class ScheduleVersionOut(Schema):
    number: int
    published_at: dt.datetime
    published_by: BriefOut | None
    placed: int
    added: int

    @staticmethod
    def resolve_published_by(obj: Version) -> dict[str, Any] | None:
        return _person(obj.published_by)


class SchedulePlaceOut(Schema):
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    venue_id: int | None = None
    venue: str = ""


class ScheduleChangeOut(Schema):
    id: int
    version: int = Field(description="The published version it changed.")
    kind: Literal["added", "moved", "cancelled"]
    item_id: int | None
    event_id: int | None
    title: str
    before: SchedulePlaceOut | None
    after: SchedulePlaceOut | None
    note: str
    actor: BriefOut | None
    notified: int = Field(description="How many people were told.")
    created_at: dt.datetime

    @staticmethod
    def resolve_actor(obj: Change) -> dict[str, Any] | None:
        return _person(obj.actor)

    @staticmethod
    def resolve_before(obj: Change) -> dict[str, Any] | None:
        return obj.before or None

    @staticmethod
    def resolve_after(obj: Change) -> dict[str, Any] | None:
        return obj.after or None


class ScheduleItemDeleteOut(Schema):
    change: ScheduleChangeOut | None = Field(description="The changelog entry of a published item.")
