from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AnyHttpUrl

from setka.core.api import InputSchema
from setka.core.api_errors import Id, Text

from ..models import Event, Registration
from ..selectors import AUDIENCE_FIELDS

# Plain literals, not the models' enums: ninja names an enum's schema after its class, and
# other domains have their own Kind and Status.
KindValue = Literal[
    "open_lesson", "webinar", "master_class", "seminar", "association", "conference", "contest"
]
StatusValue = Literal["draft", "published", "cancelled", "finished"]
ProviderValue = Literal["", "jitsi", "bbb", "external"]
ModeValue = Literal["in_person", "remote"]
RegistrationStatusValue = Literal["registered", "waiting", "cancelled"]
RoleValue = Literal["host", "participant"]
FrequencyValue = Literal["DAILY", "WEEKLY", "MONTHLY"]


class BriefOut(Schema):
    id: int
    name: str


class EventOut(Schema):
    id: int
    kind: KindValue
    title: str
    status: StatusValue
    starts_at: dt.datetime
    ends_at: dt.datetime
    institution: BriefOut = Field(description="The organiser.")
    venue: BriefOut | None
    room: str
    subject: BriefOut | None
    online: bool = Field(description="Remote participation through a video provider.")
    capacity_in_person: int
    capacity_remote: int
    audience: list[str] = Field(description="`teachers`, `students`, `parents`, `public`.")
    grade_min: int | None
    grade_max: int | None
    series_id: int | None
    url: str = Field(description="The event's page (a path).")

    @staticmethod
    def resolve_institution(obj: Event) -> dict[str, Any]:
        return {"id": obj.institution_id, "name": obj.institution.short_name}  # type: ignore[union-attr]

    @staticmethod
    def resolve_venue(obj: Event) -> dict[str, Any] | None:
        venue = obj.venue
        return {"id": venue.pk, "name": venue.short_name} if venue is not None else None

    @staticmethod
    def resolve_subject(obj: Event) -> dict[str, Any] | None:
        subject = obj.subject
        return {"id": subject.pk, "name": subject.name} if subject is not None else None

    @staticmethod
    def resolve_online(obj: Event) -> bool:
        return obj.is_online

    @staticmethod
    def resolve_audience(obj: Event) -> list[str]:
        return [key for key, name in AUDIENCE_FIELDS.items() if getattr(obj, name)]

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return obj.get_absolute_url()


class EventDetailOut(EventOut):
    description: str
    provider: ProviderValue
    external_url: str = Field(description="Only for the organisers and hosts.")
    hosts: list[BriefOut]
    audience_subject_ids: list[int]
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime | None
    free_in_person: int
    free_remote: int
    materials: list[str]
    recording_url: str = Field(description="For registered participants, after the event.")
    cancel_reason: str
    group: BriefOut | None = Field(description="An open lesson's class.")
    topic: str
    goals: str
    planned_results: str
    lesson_id: int | None = Field(description="The lesson of the journal an open lesson is.")
    my_registration: EventRegistrationOut | None

    @staticmethod
    def resolve_hosts(obj: Event) -> list[dict[str, Any]]:
        return obj._api_hosts  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_group(obj: Event) -> dict[str, Any] | None:
        return obj._api_group  # type: ignore[attr-defined,no-any-return]


class RepeatIn(InputSchema):
    frequency: FrequencyValue
    interval: int = Field(1, ge=1, le=12)
    count: int = Field(ge=2, le=60)


Url = Annotated[AnyHttpUrl, Field(max_length=500)]


class EventFields(InputSchema):
    kind: KindValue | None = None
    title: Annotated[Text, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[Text, Field(max_length=20000)] | None = None
    subject_id: Id | None = None
    host_ids: list[Id] | None = Field(None, max_length=20)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    venue_id: Id | None = None
    room: Annotated[Text, Field(max_length=100)] | None = None
    capacity_in_person: int | None = Field(None, ge=0, le=100000)
    capacity_remote: int | None = Field(None, ge=0, le=100000)
    provider: ProviderValue | None = None
    external_url: Url | None = None
    registration_opens_at: dt.datetime | None = None
    registration_closes_at: dt.datetime | None = None
    for_teachers: bool | None = None
    for_students: bool | None = None
    for_parents: bool | None = None
    for_public: bool | None = None
    audience_subject_ids: list[Id] | None = Field(None, max_length=50)
    grade_min: int | None = Field(None, ge=1, le=11)
    grade_max: int | None = Field(None, ge=1, le=11)
    group_id: Id | None = None
    topic: Annotated[Text, Field(max_length=300)] | None = None
    goals: Annotated[Text, Field(max_length=5000)] | None = None
    planned_results: Annotated[Text, Field(max_length=5000)] | None = None
    materials: Annotated[Text, Field(max_length=5000)] | None = None


class EventIn(EventFields):
    institution_id: Id = Field(description="The organiser.")
    kind: KindValue
    title: Annotated[Text, Field(min_length=1, max_length=200)]
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: Literal["draft", "published"] = Field("draft", description="`draft` or `published`.")
    resource_id: Id | None = Field(None, description="A shared resource to book for the event.")
    repeat: RepeatIn | None = Field(None, description="A series: one event per occurrence.")


class EventPatch(EventFields):
    pass


class EventCancelIn(InputSchema):
    reason: Annotated[Text, Field(max_length=300)] = ""


class EventRegistrationOut(Schema):
    id: int
    event_id: int
    person: BriefOut
    mode: ModeValue
    status: RegistrationStatusValue
    created_at: dt.datetime
    checked_in_at: dt.datetime | None
    joined_at: dt.datetime | None

    @staticmethod
    def resolve_person(obj: Registration) -> dict[str, Any]:
        return {"id": obj.person_id, "name": obj.person.full_name}


class RegistrationIn(InputSchema):
    mode: ModeValue
    person_id: Id | None = Field(None, description="Organisers only: register another person.")


class CheckInIn(InputSchema):
    present: bool = True


class JoinOut(Schema):
    url: str = Field(description="Open it to enter the room (valid for this person only).")


class RecordingIn(InputSchema):
    url: Url | None = None


class ScoreIn(InputSchema):
    value: int = Field(ge=0, le=2, description="0 — not present, 1 — partly, 2 — fully.")
    comment: Annotated[Text, Field(max_length=500)] = ""


class ProtocolIn(InputSchema):
    scores: dict[str, ScoreIn] = Field(description="Criterion id → score; every criterion in use.")
    comment: Annotated[Text, Field(max_length=5000)] = ""


class ProtocolOut(Schema):
    id: int
    event_id: int
    comment: str
    scores: dict[str, int]


class CriterionOut(Schema):
    id: int
    title: str
    hint: str
    order: int
    is_active: bool


class SummaryRowOut(Schema):
    criterion: CriterionOut
    average: float | None
    count: int
    comments: list[str]


class ObserverProtocolOut(Schema):
    observer: BriefOut
    scores: list[int | None]


class SummaryOut(Schema):
    observers: int
    percent: int | None = Field(description="The scores given as a share of the maximum.")
    rows: list[SummaryRowOut]
    general_comments: list[str]
    protocols: list[ObserverProtocolOut] = Field(description="The methodologists only.")


class CertificateOut(Schema):
    code: str
    role: RoleValue
    person: str
    event_id: int
    event_title: str
    event_kind: KindValue
    date: dt.date
    hours: float
    organiser: str
    pdf_url: str
    check_url: str


class FeedOut(Schema):
    url: str = Field(description="The personal feed (secret: anyone with it reads the feed).")
    webcal_url: str


class EventFilter(Schema):
    kind: KindValue | None = None
    subject_id: Id | None = None
    audience: str | None = Field(None, description="`teachers`, `students`, `parents`, `public`.")
    institution_id: Id | None = Field(None, description="Organiser or venue.")
    online: bool | None = None
    starts_after: dt.datetime | None = Field(None, description="Ending after this moment.")
    starts_before: dt.datetime | None = Field(None, description="Starting before this moment.")


EventDetailOut.model_rebuild()
