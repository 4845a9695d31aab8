"""Jitsi Meet: one room per event on the configured server (``JITSI_URL``). With an app
secret (``JITSI_APP_ID``/``JITSI_APP_SECRET``, the server's token authentication) every
participant gets a JWT (HS256) with ``iss``, ``aud``, ``sub``, ``room``, ``exp`` and
``context.user``, moderator rights only for hosts; without one, the public room link."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlsplit

import jwt
from django.conf import settings

from setka.core.clock import now

from ..models import Event

AUDIENCE = "jitsi"
# A token is valid until an hour after the event ends (joining late, reconnecting).
GRACE = dt.timedelta(hours=1)


def room_name(event: Event) -> str:
    return f"setka-{event.pk}-{event.room_key}"


def server() -> str:
    return (settings.JITSI_URL or "https://meet.jit.si").rstrip("/")


def claims(event: Event, *, name: str, email: str, user_id: str, moderator: bool) -> dict:
    moment = now()
    return {
        "iss": settings.JITSI_APP_ID,
        "aud": AUDIENCE,
        "sub": urlsplit(server()).hostname or "",
        "room": room_name(event),
        "iat": int(moment.timestamp()),
        "nbf": int((moment - dt.timedelta(minutes=1)).timestamp()),
        "exp": int((event.ends_at + GRACE).timestamp()),
        "moderator": moderator,
        "context": {
            "user": {
                "id": user_id,
                "name": name,
                "email": email,
                "moderator": "true" if moderator else "false",
            }
        },
    }


def token(event: Event, **who) -> str:
    return jwt.encode(claims(event, **who), settings.JITSI_APP_SECRET, algorithm="HS256")


def join_url(event: Event, *, name: str, email: str, user_id: str, moderator: bool) -> str:
    base = f"{server()}/{quote(room_name(event))}"
    if not settings.JITSI_APP_SECRET:
        return base
    signed = token(event, name=name, email=email, user_id=user_id, moderator=moderator)
    return f"{base}?jwt={signed}"
