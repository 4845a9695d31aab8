"""Input and output schemas of the network API (institutions, people, memberships).

Inputs forbid unknown fields, trim strings, refuse NUL bytes and carry the same length
limits as the models, so that bad input is a clear 422 and never reaches the database.
The services still validate everything else (e-mail format, unique slug, dates in order)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema

from setka.core import clock
from setka.core.api import InputSchema
from setka.core.api_errors import Day, Id, PersonName, Text

from .models import Guardianship, Institution, InstitutionKind, Membership, MunicipalRole, Person

Name = Annotated[PersonName, Field(min_length=1, max_length=100)]
Short = Annotated[PersonName, Field(max_length=100)]
Line = Annotated[Text, Field(max_length=200)]
Email = Annotated[Text, Field(max_length=254)]
Phone = Annotated[Text, Field(max_length=50)]
Latitude = Annotated[Decimal, Field(ge=-90, le=90, max_digits=9, decimal_places=6)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=6)]
Slug = Annotated[Text, Field(max_length=80, pattern=r"^[-a-z0-9_]*$")]


def _enum_schema(title: str, values: list[str]) -> WithJsonSchema:
    return WithJsonSchema({"title": title, "type": "string", "enum": values})


# The choices are inlined in the OpenAPI schema: several of them are called ``Role``.
MembershipRole = Annotated[Membership.Role, _enum_schema("MembershipRole", Membership.Role.values)]
MunicipalRoleKind = Annotated[
    MunicipalRole.Role, _enum_schema("MunicipalRoleKind", MunicipalRole.Role.values)
]
GuardianshipKind = Annotated[
    Guardianship.Kind, _enum_schema("GuardianshipKind", Guardianship.Kind.values)
]


# --- institutions -------------------------------------------------------------------------


class InstitutionBriefOut(Schema):
    id: int
    kind: InstitutionKind
    short_name: str
    slug: str


class InstitutionOut(Schema):
    id: int
    kind: InstitutionKind
    kind_display: str = Field(description="The kind in the language of the request.")
    full_name: str
    short_name: str
    slug: str
    url: str = Field(description="The public page of the institution on this site.")
    address: str
    latitude: float | None
    longitude: float | None
    phones: str
    email: str
    website: str
    head_name: str
    head_position: str
    working_hours: str
    founded_on: dt.date | None
    is_resource_centre: bool
    description: str
    is_active: bool

    @staticmethod
    def resolve_kind_display(obj: Institution) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_url(obj: Institution) -> str:
        return obj.get_absolute_url()


class _InstitutionFields(InputSchema):
    address: Annotated[Text, Field(max_length=300)] = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    phones: Line = ""
    email: Email = ""
    website: Line = ""
    head_name: Line = ""
    head_position: Line = ""
    working_hours: Annotated[Text, Field(max_length=300)] = ""
    founded_on: dt.date | None = None
    is_resource_centre: bool = False
    description: Annotated[Text, Field(max_length=5000)] = ""
    is_active: bool = True


class InstitutionCreateIn(_InstitutionFields):
    kind: InstitutionKind
    full_name: Annotated[Text, Field(min_length=1, max_length=500)]
    short_name: Annotated[Text, Field(min_length=1, max_length=200)]
    slug: Slug = Field("", description="The address on the site; made from the name if empty.")


class InstitutionPatchIn(InputSchema):
    """Only the fields sent are changed. An institution's own administrator may change only
    the contacts: address, coordinates, phones, e-mail, website, head, working hours and
    description."""

    kind: InstitutionKind | None = None
    full_name: Annotated[Text, Field(min_length=1, max_length=500)] | None = None
    short_name: Annotated[Text, Field(min_length=1, max_length=200)] | None = None
    slug: Slug | None = None
    address: Annotated[Text, Field(max_length=300)] | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    phones: Line | None = None
    email: Email | None = None
    website: Line | None = None
    head_name: Line | None = None
    head_position: Line | None = None
    working_hours: Annotated[Text, Field(max_length=300)] | None = None
    founded_on: dt.date | None = None
    is_resource_centre: bool | None = None
    description: Annotated[Text, Field(max_length=5000)] | None = None
    is_active: bool | None = None


class InstitutionFilter(Schema):
    kind: InstitutionKind | None = Field(None, description="Only institutions of this kind.")
    q: Annotated[Text, Field(max_length=200)] = Field(
        "", description="Words to find in the name, address or head's name."
    )
    resource_centre: bool | None = Field(None, description="Only resource centres (or not).")


# --- people -------------------------------------------------------------------------------


class PersonBriefOut(Schema):
    id: int
    surname: str
    given_name: str
    patronymic: str
    full_name: str
    short_name: str


class PersonContactOut(PersonBriefOut):
    email: str
    phone: str
    has_account: bool = Field(description="Whether the person can sign in.")

    @staticmethod
    def resolve_has_account(obj: Person) -> bool:
        return obj.user_id is not None


class _Dated(Schema):
    starts_on: dt.date
    ends_on: dt.date | None
    is_active: bool = Field(description="Whether it is in force today.")

    @staticmethod
    def resolve_is_active(obj: Any) -> bool:
        today = clock.today()
        return bool(obj.starts_on <= today and (obj.ends_on is None or obj.ends_on >= today))


class MembershipOut(_Dated):
    id: int
    institution: InstitutionBriefOut
    role: MembershipRole
    role_display: str
    position: str

    @staticmethod
    def resolve_role_display(obj: Membership) -> str:
        return str(obj.get_role_display())


class MemberOut(_Dated):
    """A membership seen from its institution: who, in what role, since when."""

    id: int = Field(description="The id of the membership.")
    person: PersonContactOut
    role: MembershipRole
    role_display: str
    position: str

    @staticmethod
    def resolve_role_display(obj: Membership) -> str:
        return str(obj.get_role_display())


class GuardianshipOut(_Dated):
    id: int
    kind: GuardianshipKind
    kind_display: str
    guardian: PersonContactOut
    student: PersonBriefOut

    @staticmethod
    def resolve_kind_display(obj: Guardianship) -> str:
        return str(obj.get_kind_display())


class EmailChangeOut(Schema):
    changed_at: dt.datetime
    old: str = Field(description="The address before the change (empty: none).")
    new: str = Field(description="The address after the change (empty: removed).")
    by: str = Field(description="Who changed it.")


class PersonOut(PersonContactOut):
    """What the user may see of the person (the person page shows the same): the person
    themselves, their parents and the municipal admins see everything; an institution's
    administrator the roles in their institutions, the places where the person works and the
    relatives they may see themselves; a colleague where the person works now."""

    birth_date: dt.date | None = Field(description="Empty for colleagues.")
    memberships: list[MembershipOut] = Field(
        description="The memberships the user may see, former ones too."
    )
    guardians: list[GuardianshipOut] = Field(description="The person's parents.")
    wards: list[GuardianshipOut] = Field(description="The children of the person.")
    email_changes: list[EmailChangeOut] = Field(
        description=(
            "Changes of the e-mail address (the sign-in address of an account), the newest "
            "first: for the person and those who may change their data."
        )
    )

    @staticmethod
    def resolve_birth_date(obj: Person) -> dt.date | None:
        return obj.birth_date if obj.card.full else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_memberships(obj: Person) -> list[Membership]:
        return obj.card.memberships  # type: ignore[attr-defined]

    @staticmethod
    def resolve_guardians(obj: Person) -> list[Guardianship]:
        return obj.card.guardians  # type: ignore[attr-defined]

    @staticmethod
    def resolve_wards(obj: Person) -> list[Guardianship]:
        return obj.card.wards  # type: ignore[attr-defined]

    @staticmethod
    def resolve_email_changes(obj: Person) -> list[Any]:
        return obj.card.email_changes  # type: ignore[attr-defined]


class PersonIn(InputSchema):
    surname: Name
    given_name: Name
    patronymic: Short = ""
    email: Email = ""
    phone: Phone = ""
    birth_date: Day | None = Field(None, description="Needed for students.")


class PersonPatchIn(InputSchema):
    surname: Name | None = None
    given_name: Name | None = None
    patronymic: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    birth_date: Day | None = None


class MemberFilter(Schema):
    role: MembershipRole | None = Field(None, description="Only members in this role.")
    q: Annotated[Text, Field(max_length=200)] = Field("", description="Words of the name.")
    status: Literal["active", "former", "all"] = Field(
        "active", description="`active` (today), `former` (ended) or `all`."
    )


class MemberCreateIn(InputSchema):
    """Either ``person_id`` of someone you already manage, or ``person`` to create."""

    person_id: Id | None = None
    person: PersonIn | None = None
    role: MembershipRole
    position: Line = ""
    starts_on: Day | None = Field(None, description="Today if not given.")
    ends_on: Day | None = None


class MembershipCreateIn(InputSchema):
    institution_id: Id
    role: MembershipRole
    position: Line = ""
    starts_on: Day | None = Field(None, description="Today if not given.")
    ends_on: Day | None = None


class MembershipPatchIn(InputSchema):
    position: Line | None = None
    ends_on: Day | None = Field(None, description="Send null to reopen the membership.")


class GuardianCreateIn(InputSchema):
    """Either ``guardian_id`` of a parent you already manage, or ``guardian`` to create."""

    guardian_id: Id | None = None
    guardian: PersonIn | None = None
    kind: GuardianshipKind = Guardianship.Kind.OTHER


class AccountCreateIn(InputSchema):
    send_invitation: bool = Field(
        True, description="E-mail the person a link to set their password (if they have one)."
    )


class AccountOut(Schema):
    person_id: int
    username: str
    invitation_sent: bool
