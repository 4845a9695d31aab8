"""Every write of the events module. ``event_create``, ``event_update`` and
``event_cancel`` are also the entry points of other modules (the municipal schedule
builder creates and changes events through them)."""

from .events import event_cancel, event_create, event_publish, event_update, events_finish_past
from .feeds import feed_token_of, feed_token_reset
from .observation import (
    certificate_issue,
    criteria_ensure,
    criterion_save,
    protocol_save,
)
from .registrations import (
    AlreadyRegistered,
    checkin_set,
    join,
    recording_publish,
    registration_cancel,
    registration_create,
)
from .reminders import send_reminders

__all__ = [
    "AlreadyRegistered",
    "certificate_issue",
    "checkin_set",
    "criteria_ensure",
    "criterion_save",
    "event_cancel",
    "event_create",
    "event_publish",
    "event_update",
    "events_finish_past",
    "feed_token_of",
    "feed_token_reset",
    "join",
    "protocol_save",
    "recording_publish",
    "registration_cancel",
    "registration_create",
    "send_reminders",
]
