from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import field_validator

from setka.core.api import InputSchema
from setka.core.api_errors import Day, Id, Text

from ..models import (
    Admission,
    Agreement,
    AgreementPart,
    Application,
    Area,
    Offer,
    OfferKind,
    ProgrammeLevel,
    StudyForm,
    Venue,
)
from ..models.agreements import AgreementStatus
from ..models.applications import ApplicationStatus
from ..models.offers import OfferStatus

Title = Annotated[Text, Field(min_length=1, max_length=200)]
LongText = Annotated[Text, Field(max_length=10000)]
Reason = Annotated[Text, Field(max_length=2000)]
Grade = Annotated[int, Field(ge=1, le=11)]
Age = Annotated[int, Field(ge=3, le=25)]


class BriefOut(Schema):
    id: int
    name: str


class SlotIO(Schema):
    weekday: Annotated[int, Field(ge=1, le=7)] | None = Field(
        None, description="1 (Monday) to 7 (Sunday), for a weekly time; or give `date`."
    )
    date: Day | None = Field(None, description="For a single date; or give `weekday`.")
    starts_at: dt.time
    ends_at: dt.time


class OfferOut(Schema):
    id: int
    title: str
    description: str
    kind: OfferKind
    area: Area
    status: OfferStatus
    institution: BriefOut = Field(description="The provider.")
    subject: BriefOut | None = Field(description="The subject in the provider's journal.")
    grade_min: int | None
    grade_max: int | None
    age_min: int | None
    age_max: int | None
    form: StudyForm
    venue: Venue
    venue_institution: BriefOut | None
    room: str
    online_url: str
    capacity: int
    places_taken: int
    free_places: int
    admission: Admission
    applications_open_on: dt.date
    applications_close_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    hours: int
    is_credited: bool
    credited_subject: BriefOut | None
    agreement_id: int | None
    group_id: int | None = Field(description="The offer's group in the provider's journal.")
    slots: list[SlotIO]
    teacher_ids: list[int]

    @staticmethod
    def _brief(obj: Any, name: str = "name") -> dict[str, Any] | None:
        return {"id": obj.pk, "name": getattr(obj, name)} if obj is not None else None

    @staticmethod
    def resolve_institution(obj: Offer) -> dict[str, Any] | None:
        return OfferOut._brief(obj.institution, "short_name")

    @staticmethod
    def resolve_venue_institution(obj: Offer) -> dict[str, Any] | None:
        return OfferOut._brief(obj.venue_institution, "short_name")

    @staticmethod
    def resolve_subject(obj: Offer) -> dict[str, Any] | None:
        return OfferOut._brief(obj.subject)

    @staticmethod
    def resolve_credited_subject(obj: Offer) -> dict[str, Any] | None:
        return OfferOut._brief(obj.credited_subject)

    @staticmethod
    def resolve_slots(obj: Offer) -> list[Any]:
        return list(obj.slots.all())

    @staticmethod
    def resolve_teacher_ids(obj: Offer) -> list[int]:
        return [t.pk for t in obj.teachers.all()]


class OfferFields(InputSchema):
    """The fields of an offer (all optional when changing one)."""

    title: Title | None = None
    description: LongText | None = None
    kind: OfferKind | None = None
    area: Area | None = None
    subject_id: Id | None = None
    grade_min: Grade | None = None
    grade_max: Grade | None = None
    age_min: Age | None = None
    age_max: Age | None = None
    form: StudyForm | None = None
    venue: Venue | None = None
    venue_institution_id: Id | None = None
    room: Annotated[Text, Field(max_length=200)] | None = None
    online_url: Annotated[Text, Field(max_length=200)] | None = None
    capacity: Annotated[int, Field(ge=1, le=500)] | None = None
    admission: Admission | None = None
    applications_open_on: Day | None = None
    applications_close_on: Day | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    hours: Annotated[int, Field(ge=1, le=2000)] | None = None
    is_credited: bool | None = None
    credited_subject_id: Id | None = None
    agreement_id: Id | None = None
    slots: Annotated[list[SlotIO], Field(max_length=20)] | None = Field(
        None, description="The times of classes (replace all of them when given)."
    )
    teacher_ids: Annotated[list[Id], Field(max_length=50)] | None = Field(
        None, description="The provider's teachers of the course (replace them when given)."
    )


class OfferIn(OfferFields):
    institution_id: Id = Field(description="The provider: an institution you administer.")
    title: Title
    kind: OfferKind
    area: Area
    capacity: Annotated[int, Field(ge=1, le=500)]
    applications_open_on: Day
    applications_close_on: Day
    starts_on: Day
    ends_on: Day
    hours: Annotated[int, Field(ge=1, le=2000)]


class StatusIn(InputSchema):
    status: OfferStatus


class GroupIn(InputSchema):
    group_id: Id | None = Field(
        None, description="A network or elective group of the provider; none: open a new one."
    )


class CatalogueFilter(Schema):
    q: Annotated[str, Field(max_length=200)] = Field("", description="Full-text search.")
    kind: OfferKind | None = None
    area: Area | None = None
    form: StudyForm | None = None
    grade: Grade | None = None
    institution_id: Id | None = None
    weekday: Annotated[int, Field(ge=1, le=7)] | None = None
    after: dt.time | None = Field(None, description="Classes begin at or after.")
    before: dt.time | None = Field(None, description="Classes end by.")
    free: bool = Field(False, description="Only offers with free places.")
    open: bool = Field(False, description="Only offers taking applications today.")
    fits_student_id: Id | None = Field(
        None,
        description="Hide the offers clashing with this student's lessons (yourself or your "
        "child).",
    )

    @field_validator("after", "before")
    @classmethod
    def _local_time(cls, value: dt.time | None) -> dt.time | None:
        """A class's time is local wall-clock time: an offset (``00:00:00Z``) is dropped."""
        return value.replace(tzinfo=None) if value is not None else None


class ApplicationOut(Schema):
    id: int
    offer_id: int
    offer_title: str
    provider: BriefOut
    student: BriefOut
    applicant_id: int
    home_institution: BriefOut
    status: ApplicationStatus
    message: str
    reason: str
    created_at: dt.datetime
    home_confirmed_at: dt.datetime | None
    decided_at: dt.datetime | None
    group_member_id: int | None = Field(description="The membership of the journal group.")

    @staticmethod
    def resolve_offer_title(obj: Application) -> str:
        return obj.offer.title

    @staticmethod
    def resolve_provider(obj: Application) -> dict[str, Any]:
        return {"id": obj.offer.institution_id, "name": obj.offer.institution.short_name}

    @staticmethod
    def resolve_student(obj: Application) -> dict[str, Any]:
        return {"id": obj.student_id, "name": obj.student.short_name}

    @staticmethod
    def resolve_home_institution(obj: Application) -> dict[str, Any]:
        return {"id": obj.home_institution_id, "name": obj.home_institution.short_name}

    @staticmethod
    def resolve_group_member_id(obj: Application) -> int | None:
        return obj.member_id


class ApplicationIn(InputSchema):
    offer_id: Id
    student_id: Id = Field(description="Yourself (a student) or your child.")
    message: Reason = ""


class ApplicationFilter(Schema):
    show: str = Field(
        "mine",
        pattern="^(mine|decide|all)$",
        description="`mine`: yours and your children's; `decide`: awaiting your institutions' "
        "decision; `all`: every one you may see.",
    )


class ConfirmIn(InputSchema):
    approve: bool
    reason: Reason = ""


class DecideIn(InputSchema):
    decision: str = Field(pattern="^(accept|reject|waitlist)$")
    reason: Reason = ""


class ReasonIn(InputSchema):
    reason: Reason = ""


class PartyOut(Schema):
    institution: BriefOut
    role: str
    approved_at: dt.datetime | None


class PartOut(Schema):
    id: int
    institution: BriefOut
    title: str
    hours: int | None
    staff: str
    premises: str
    equipment: str

    @staticmethod
    def resolve_institution(obj: AgreementPart) -> dict[str, Any]:
        return {"id": obj.institution_id, "name": obj.institution.short_name}


class ScanOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    uploaded_at: dt.datetime
    url: str


class AgreementOut(Schema):
    id: int
    number: str
    programme: str
    level: ProgrammeLevel
    institution: BriefOut = Field(description="The base institution.")
    status: AgreementStatus
    effective_status: AgreementStatus = Field(
        description="`ended` for an agreement in force whose term has passed."
    )
    starts_on: dt.date
    ends_on: dt.date
    parties: list[PartyOut]

    @staticmethod
    def resolve_institution(obj: Agreement) -> dict[str, Any]:
        return {"id": obj.institution_id, "name": obj.institution.short_name}

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[dict[str, Any]]:
        parties = getattr(obj, "party_list", None)
        if parties is None:
            parties = obj.parties.all()
        return [
            {
                "institution": {"id": p.institution_id, "name": p.institution.short_name},
                "role": p.role,
                "approved_at": p.approved_at,
            }
            for p in parties
        ]


class AgreementDetailOut(AgreementOut):
    place: str
    student_status: str
    credit_rules: str
    documents: str
    changes_rules: str
    termination_rules: str
    agreed_at: dt.datetime | None
    activated_at: dt.datetime | None
    ended_at: dt.datetime | None
    parts: list[PartOut]
    offer_ids: list[int]
    scans: list[ScanOut] | None = Field(description="Signed copies (for the parties' admins).")

    @staticmethod
    def resolve_parts(obj: Agreement) -> list[Any]:
        return obj.detail_parts  # type: ignore[attr-defined]

    @staticmethod
    def resolve_scans(obj: Agreement) -> list[dict[str, Any]] | None:
        return obj.scan_list  # type: ignore[attr-defined]


class AgreementFields(InputSchema):
    number: Annotated[Text, Field(max_length=50)] | None = None
    programme: Annotated[Text, Field(min_length=1, max_length=300)] | None = None
    level: ProgrammeLevel | None = None
    place: Annotated[Text, Field(max_length=100)] | None = None
    student_status: Annotated[Text, Field(min_length=1, max_length=10000)] | None = None
    credit_rules: Annotated[Text, Field(min_length=1, max_length=10000)] | None = None
    documents: Annotated[Text, Field(min_length=1, max_length=10000)] | None = None
    changes_rules: Annotated[Text, Field(min_length=1, max_length=10000)] | None = None
    termination_rules: Annotated[Text, Field(min_length=1, max_length=10000)] | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    partner_ids: Annotated[list[Id], Field(min_length=1, max_length=30)] | None = None


class AgreementIn(AgreementFields):
    institution_id: Id = Field(description="The base institution: one you administer.")
    programme: Annotated[Text, Field(min_length=1, max_length=300)]
    student_status: Annotated[Text, Field(min_length=1, max_length=10000)]
    credit_rules: Annotated[Text, Field(min_length=1, max_length=10000)]
    documents: Annotated[Text, Field(min_length=1, max_length=10000)]
    changes_rules: Annotated[Text, Field(min_length=1, max_length=10000)]
    termination_rules: Annotated[Text, Field(min_length=1, max_length=10000)]
    starts_on: Day
    ends_on: Day
    partner_ids: Annotated[list[Id], Field(min_length=1, max_length=30)]


class PartIn(InputSchema):
    institution_id: Id = Field(description="The party that implements it.")
    title: Annotated[Text, Field(min_length=1, max_length=300)]
    hours: Annotated[int, Field(ge=1, le=5000)] | None = None
    staff: Annotated[Text, Field(max_length=5000)] = ""
    premises: Annotated[Text, Field(max_length=5000)] = ""
    equipment: Annotated[Text, Field(max_length=5000)] = ""


class EndIn(InputSchema):
    on: Day | None = Field(None, description="Today if not given.")
    reason: Reason = ""


class MapFilter(Schema):
    municipality_id: Id | None = None
    year: Annotated[int, Field(ge=2000, le=2100)] | None = Field(
        None,
        description="The school year by the calendar year it begins in (this one if not given).",
    )
    link: list[str] = Field(
        default_factory=list, description="agreements, enrolments, bookings, offers (all if none)."
    )
    group: str = Field("", description="Only institutions of this kind group.")

    @field_validator("link")
    @classmethod
    def _links(cls, value: list[str]) -> list[str]:
        return value[:10]


class MapNodeOut(Schema):
    id: int
    name: str
    kind: str
    group: str
    degree: int = Field(description="With how many institutions it cooperates.")


class MapLinkOut(Schema):
    a: int
    b: int
    counts: dict[str, int]
    total: int


class MapOut(Schema):
    municipality_id: int
    year: int
    first: dt.date
    last: dt.date
    kinds: list[str]
    nodes: list[MapNodeOut]
    links: list[MapLinkOut]
    outside: list[int] = Field(description="The institutions with no link this year.")


class CreditOut(Schema):
    student_id: int
    home_institution_id: int
    subject: BriefOut = Field(description="The home school's subject it is credited as.")
    offer_id: int
    offer: str
    provider: str
    periods: list[tuple[str, str]] = Field(description="(period, result) of the provider.")
    average: Decimal | None
    count: int


class CreditFilter(Schema):
    student_id: Id
    first: Day | None = None
    last: Day | None = None
