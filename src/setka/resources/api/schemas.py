from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from setka.core.api import InputSchema
from setka.core.api_errors import Id, Text

from ..models import Booking, Category, Resource, ResourceCategory, ResourceKind, Status


class ResourceRefOut(Schema):
    id: int
    name: str


class WindowOut(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday.")
    starts_at: dt.time
    ends_at: dt.time


class WindowIn(InputSchema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday.")
    starts_at: dt.time = Field(description="Local time of the municipality, e.g. `08:00`.")
    ends_at: dt.time


class ResourceOut(Schema):
    id: int
    institution: ResourceRefOut = Field(description="The resource centre that lends it.")
    kind: ResourceKind
    category: ResourceCategory
    name: str
    description: str
    location: str
    capacity: int | None = Field(description="Seats or people at a time.")
    features: list[str]
    needs_approval: bool = Field(description="Bookings wait for the centre's approval.")
    teachers_may_book: bool = Field(description="Teachers may book it for their institution.")
    is_public: bool = Field(description="Its busy time is public (and it has a feed).")
    is_active: bool = Field(description="It can be booked.")
    hours: list[WindowOut] = Field(description="Bookable hours by weekday, local time.")
    feed: str | None = Field(description="The path of its iCalendar feed (public ones).")

    @staticmethod
    def resolve_institution(obj: Resource) -> dict[str, Any]:
        return {"id": obj.institution_id, "name": obj.institution.short_name}

    @staticmethod
    def resolve_hours(obj: Resource) -> list[Any]:
        return list(obj.windows.all())

    @staticmethod
    def resolve_feed(obj: Resource) -> str | None:
        from django.urls import reverse

        return reverse("resources:feed", args=[obj.pk]) if obj.is_public else None


Name = Annotated[Text, Field(min_length=1, max_length=200)]
Line = Annotated[Text, Field(max_length=200)]
Feature = Annotated[Text, Field(min_length=1, max_length=100)]


class ResourceIn(InputSchema):
    institution_id: Id | None = Field(
        None,
        description="The resource centre (you administer it); may be left out by the "
        "administrators of one institution.",
    )
    kind: ResourceKind
    category: ResourceCategory = Category.OTHER
    name: Name
    description: Annotated[Text, Field(max_length=5000)] = ""
    location: Line = ""
    capacity: int | None = Field(None, ge=1, le=100_000)
    features: list[Feature] = Field(default_factory=list, max_length=20)
    needs_approval: bool = True
    teachers_may_book: bool = False
    is_public: bool = True
    is_active: bool = True
    hours: list[WindowIn] = Field(default_factory=list, max_length=50)


class ResourcePatchIn(InputSchema):
    kind: ResourceKind | None = None
    category: ResourceCategory | None = None
    name: Name | None = None
    description: Annotated[Text, Field(max_length=5000)] | None = None
    location: Line | None = None
    capacity: int | None = Field(None, ge=1, le=100_000)
    features: list[Feature] | None = Field(None, max_length=20)
    needs_approval: bool | None = None
    teachers_may_book: bool | None = None
    is_public: bool | None = None
    is_active: bool | None = None
    hours: list[WindowIn] | None = Field(
        None, max_length=50, description="When given, replaces all the hours."
    )


class ResourceFilter(Schema):
    kind: ResourceKind | None = None
    institution_id: Id | None = Field(None, description="Only this resource centre's.")
    q: Annotated[Text, Field(max_length=100)] = Field("", description="Words of the name.")


class BookingOut(Schema):
    id: int
    resource: ResourceRefOut
    owner: ResourceRefOut = Field(description="The resource centre.")
    institution: ResourceRefOut = Field(description="The institution it is booked for.")
    booked_by: ResourceRefOut | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    purpose: str
    party_size: int | None
    event_ref: str = Field(description="The event held in the resource, if any.")
    status: Status
    note: str = Field(description="The reason of a refusal or a cancellation.")
    created_at: dt.datetime

    @staticmethod
    def resolve_resource(obj: Booking) -> dict[str, Any]:
        return {"id": obj.resource_id, "name": obj.resource.name}

    @staticmethod
    def resolve_owner(obj: Booking) -> dict[str, Any]:
        return {"id": obj.owner_id, "name": obj.owner.short_name}

    @staticmethod
    def resolve_institution(obj: Booking) -> dict[str, Any]:
        return {"id": obj.institution_id, "name": obj.institution.short_name}

    @staticmethod
    def resolve_booked_by(obj: Booking) -> dict[str, Any] | None:
        person = obj.booked_by
        return {"id": person.pk, "name": person.short_name} if person else None


class SlotOut(Schema):
    """A booking on a resource's calendar, with what the caller may see of it."""

    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: Status
    detail: str = Field(description="`full`, `institution` (who holds it) or `busy`.")
    institution: ResourceRefOut | None = Field(description="Who holds the time (not for `busy`).")
    purpose: str | None = Field(description="Only with `full` detail.")


Purpose = Annotated[Text, Field(min_length=1, max_length=300)]


class BookingIn(InputSchema):
    institution_id: Id | None = Field(
        None,
        description="The institution it is booked for; may be left out by those who may book "
        "for one institution only.",
    )
    starts_at: dt.datetime = Field(
        description="ISO 8601; without an offset, the municipality's local time."
    )
    ends_at: dt.datetime
    purpose: Purpose
    party_size: int | None = Field(None, ge=1, le=100_000)
    event_ref: Annotated[Text, Field(max_length=100)] = ""


class BookingReasonIn(InputSchema):
    reason: Annotated[Text, Field(max_length=300)] = ""


class BookingFilter(Schema):
    side: str = Field(
        "",
        pattern="^(|owner|booker)$",
        description="`owner`: of my centres' resources; `booker`: ours; empty: both.",
    )
    status: Status | None = None
    upcoming: bool = Field(False, description="Only those not over yet, soonest first.")


class CalendarFilter(Schema):
    first: dt.date = Field(description="The first local day.")
    last: dt.date = Field(description="The last local day (at most 92 days after the first).")
