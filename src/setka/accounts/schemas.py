"""Input and output schemas of the accounts API: sign-in tokens and ``/me``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from setka.core.api import InputSchema
from setka.core.api_errors import Text
from setka.network.models import MunicipalRole
from setka.network.schemas import MembershipOut, MunicipalRoleKind, PersonBriefOut

from .models import ApiToken


class TokenCreateIn(InputSchema):
    username: Annotated[Text, Field(min_length=1, max_length=254)] = Field(
        description="The login or the e-mail address."
    )
    password: Annotated[str, Field(min_length=1, max_length=4096)]
    name: Annotated[Text, Field(min_length=1, max_length=100)] = Field(
        "API", description="What the token is for, e.g. “export script”."
    )
    expires_in_days: int = Field(
        90, ge=0, le=3650, description="How long the token works; 0 means it does not expire."
    )


class TokenCreatedOut(Schema):
    token: str = Field(description="The token itself. It is shown only once: keep it safe.")
    token_id: int
    name: str
    expires_at: dt.datetime | None


class TokenOut(Schema):
    id: int
    name: str
    key_prefix: str = Field(description="The beginning of the token, to recognise it.")
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    is_active: bool

    @staticmethod
    def resolve_is_active(obj: ApiToken) -> bool:
        return obj.is_active


class MyPersonOut(PersonBriefOut):
    email: str
    phone: str
    birth_date: dt.date | None


class MunicipalRoleOut(Schema):
    id: int
    municipality_id: int
    municipality_name: str
    role: MunicipalRoleKind
    role_display: str
    position: str
    starts_on: dt.date
    ends_on: dt.date | None

    @staticmethod
    def resolve_municipality_name(obj: MunicipalRole) -> str:
        return obj.municipality.name

    @staticmethod
    def resolve_role_display(obj: MunicipalRole) -> str:
        return str(obj.get_role_display())


class ChildOut(PersonBriefOut):
    birth_date: dt.date | None
    memberships: list[MembershipOut] = Field(description="Where the child studies today.")

    @staticmethod
    def resolve_memberships(obj: object) -> list:
        return list(getattr(obj, "active_memberships", []))


class MeOut(Schema):
    id: int = Field(description="The id of the account.")
    username: str
    email: str
    display_name: str
    person: MyPersonOut | None = Field(description="Who you are in the network, if known.")
    memberships: list[MembershipOut] = Field(description="Your memberships in force today.")
    municipal_roles: list[MunicipalRoleOut] = Field(description="Your municipal roles today.")
    children: list[ChildOut] = Field(description="The students you are a parent of.")
