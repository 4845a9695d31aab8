"""BigBlueButton: API calls signed with ``checksum = sha1(call + query + shared secret)``,
as the BigBlueButton API documentation describes. The meeting is created on the server side
when someone joins (create is idempotent there); participants join with the moderator or
viewer role; the recordings are listed after the event."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from django.conf import settings

from ..models import Event

TIMEOUT = 10


class BBBError(Exception):
    pass


def checksum(call: str, query: str, secret: str) -> str:
    return hashlib.sha1((call + query + secret).encode(), usedforsecurity=False).hexdigest()


def signed_url(call: str, params: list[tuple[str, str]]) -> str:
    query = urlencode(params)
    base = settings.BBB_URL.rstrip("/")
    return f"{base}/api/{call}?{query}&checksum={checksum(call, query, settings.BBB_SECRET)}"


def meeting_id(event: Event) -> str:
    return f"setka-{event.pk}-{event.room_key}"


def _call(call: str, params: list[tuple[str, str]]) -> ET.Element:
    url = signed_url(call, params)
    if not url.startswith(("http://", "https://")):
        raise BBBError("BBB_URL is not an http(s) address")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310
            root = ET.fromstring(response.read())  # noqa: S314 - the configured server's answer
    except (urllib.error.URLError, OSError, ET.ParseError) as exc:
        raise BBBError(str(exc)) from exc
    if root.findtext("returncode") != "SUCCESS":
        raise BBBError(root.findtext("message") or root.findtext("messageKey") or "FAILED")
    return root


def create(event: Event) -> None:
    _call(
        "create",
        [
            ("name", event.title[:200]),
            ("meetingID", meeting_id(event)),
            ("attendeePW", event.attendee_password),
            ("moderatorPW", event.moderator_password),
            ("record", "true"),
            ("autoStartRecording", "false"),
            ("allowStartStopRecording", "true"),
        ],
    )


def join_url(event: Event, *, name: str, user_id: str, moderator: bool) -> str:
    return signed_url(
        "join",
        [
            ("fullName", name),
            ("meetingID", meeting_id(event)),
            ("password", event.moderator_password if moderator else event.attendee_password),
            ("role", "MODERATOR" if moderator else "VIEWER"),
            ("userID", user_id),
            ("redirect", "true"),
        ],
    )


def recordings(event: Event) -> list[str]:
    root = _call("getRecordings", [("meetingID", meeting_id(event))])
    return [
        url.text.strip()
        for url in root.iterfind("./recordings/recording/playback/format/url")
        if url.text and url.text.strip()
    ]
