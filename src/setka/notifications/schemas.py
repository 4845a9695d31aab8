from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from setka.core.api import InputSchema

from . import kinds
from .models import Notification

# Plain literals, not the models' enums: ninja names an enum's schema after its class, and
# other domains have classes called Channel or Frequency too.
ChannelName = Literal["in_app", "email", "digest"]
DigestFrequency = Literal["daily", "weekly"]


# Not "PersonBriefOut": OpenAPI names a schema by its class, and network's would be replaced.
class AboutPersonOut(Schema):
    id: int
    name: str


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="What happened, e.g. `journal.mark.created`.")
    title: str = Field(description="The text of the notification, in the request's language.")
    url: str = Field(description="The page of the object on this site (a path), or empty.")
    created_at: dt.datetime
    read: bool
    read_at: dt.datetime | None
    about: AboutPersonOut | None = Field(
        description="The person it is about (a parent's child), if any."
    )
    institution_id: int | None

    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return kinds.title_of(obj.kind, obj.data)

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None

    @staticmethod
    def resolve_about(obj: Notification) -> dict[str, Any] | None:
        return {"id": obj.about.pk, "name": obj.about.short_name} if obj.about else None


class UnreadOut(Schema):
    unread: int


class CountOut(Schema):
    count: int


class KindPreferenceOut(Schema):
    kind: str
    group: str
    label: str
    channel: ChannelName
    default: ChannelName
    email_always: bool = Field(description="Always sent by e-mail: the channel cannot be in_app.")


class PreferencesOut(Schema):
    digest_frequency: DigestFrequency
    kinds: list[KindPreferenceOut]


class PreferencesIn(InputSchema):
    digest_frequency: DigestFrequency | None = None
    channels: dict[str, ChannelName] = Field(
        default_factory=dict,
        description="Kind → channel (`in_app`, `email` or `digest`); kinds not given stay.",
    )


class NotificationFilter(Schema):
    unread: bool = Field(False, description="Only the unread ones.")
