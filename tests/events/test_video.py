"""Remote participation: the Jitsi token verifies with PyJWT and carries its claims; the
BigBlueButton checksum reproduces the API documentation's example, and create/join/
getRecordings run against a fake BigBlueButton server (the provider's server is the only
thing mocked); the join page lets in only the registered, and only from shortly before."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest
from django.urls import reverse

from setka.core.clock import now
from setka.events import services
from setka.events.models import Provider
from setka.events.video import bbb, jitsi

pytestmark = pytest.mark.django_db
SECRET = "jitsi-test-secret-of-at-least-32-bytes"


def test_bbb_checksum_reproduces_the_documentation_example():
    query = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"

    assert bbb.checksum("create", query, "639259d4-9dd8-4b25-bf01-95f9567eaf4b") == (
        "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
    )


def _soon(make_event, **fields):
    starts = now() + dt.timedelta(minutes=10)
    return make_event(starts_at=starts, ends_at=starts + dt.timedelta(hours=1), **fields)


def test_jitsi_token_verifies_with_the_secret_and_carries_the_claims(settings, world, make_event):
    settings.JITSI_URL, settings.JITSI_APP_ID, settings.JITSI_APP_SECRET = (
        "https://meet.example.org", "setka", SECRET,
    )  # fmt: skip
    event = _soon(make_event)
    services.registration_create(actor=world.users["partner"], event=event, mode="remote")

    url = services.join(actor=world.users["partner"], event=event)
    host_url = services.join(actor=world.users["teacher"], event=event)

    token = url.split("?jwt=")[1]
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi")
    assert url.startswith(f"https://meet.example.org/{jitsi.room_name(event)}?jwt=")
    assert (claims["iss"], claims["sub"], claims["room"], claims["moderator"]) == (
        "setka", "meet.example.org", jitsi.room_name(event), False,
    )  # fmt: skip
    assert claims["exp"] > now().timestamp()
    assert claims["context"]["user"]["name"] == world.people["partner"].full_name
    assert claims["context"]["user"]["moderator"] == "false"
    host = jwt.decode(host_url.split("?jwt=")[1], SECRET, algorithms=["HS256"], audience="jitsi")
    assert (host["moderator"], host["context"]["user"]["moderator"]) == (True, "true")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token,
            "another-secret-also-of-32-bytes-at-least",
            algorithms=["HS256"],
            audience="jitsi",
        )


def test_jitsi_without_a_secret_gives_the_public_room(settings, world, make_event):
    settings.JITSI_URL, settings.JITSI_APP_SECRET = "https://meet.jit.si", ""
    event = _soon(make_event)

    assert services.join(actor=world.users["teacher"], event=event) == (
        f"https://meet.jit.si/{jitsi.room_name(event)}"
    )


class FakeBBB(BaseHTTPRequestHandler):
    calls: list = []
    secret = "bbb-test-secret"

    def do_GET(self):
        parts = urlsplit(self.path)
        call = parts.path.rsplit("/", 1)[-1]
        query, _sep, checksum = parts.query.rpartition("&checksum=")
        ok = hashlib.sha1((call + query + self.secret).encode()).hexdigest() == checksum  # noqa: S324
        FakeBBB.calls.append((call, dict(parse_qsl(query)), ok))
        if not ok:
            body = ("<response><returncode>FAILED</returncode>"
                    "<messageKey>checksumError</messageKey></response>")  # fmt: skip
        elif call == "getRecordings":
            body = ("<response><returncode>SUCCESS</returncode><recordings><recording><playback>"
                    "<format><type>presentation</type><url>https://bbb.example.org/playback/1</url>"
                    "</format></playback></recording></recordings></response>")  # fmt: skip
        else:
            body = "<response><returncode>SUCCESS</returncode></response>"
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_bbb(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeBBB)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeBBB.calls = []
    settings.BBB_URL = f"http://127.0.0.1:{server.server_port}/bigbluebutton/"
    settings.BBB_SECRET = FakeBBB.secret
    yield FakeBBB
    server.shutdown()
    server.server_close()


def test_bbb_join_creates_the_meeting_and_signs_the_join(fake_bbb, world, make_event):
    event = _soon(make_event, provider=Provider.BBB)
    services.registration_create(actor=world.users["partner"], event=event, mode="remote")

    url = services.join(actor=world.users["partner"], event=event)

    call, params, ok = fake_bbb.calls[0]
    assert (call, params["meetingID"], params["attendeePW"], ok) == (
        "create",
        bbb.meeting_id(event),
        event.attendee_password,
        True,
    )
    join = urlsplit(url)
    query, _sep, checksum = join.query.rpartition("&checksum=")
    joined = dict(parse_qsl(query))
    assert (joined["role"], joined["password"]) == ("VIEWER", event.attendee_password)
    assert checksum == bbb.checksum("join", query, fake_bbb.secret)
    assert fake_bbb.secret not in url


def test_bbb_recordings_are_listed_after_the_event(fake_bbb, world, make_event):
    event = _soon(make_event, provider=Provider.BBB)

    assert bbb.recordings(event) == ["https://bbb.example.org/playback/1"]


def test_join_page_refuses_the_unregistered_and_the_early(client, world, make_event):
    event = make_event()  # tomorrow
    client.force_login(world.users["partner"])

    not_registered = client.post(reverse("events:join", args=[event.pk]))
    services.registration_create(actor=world.users["partner"], event=event, mode="remote")
    too_early = client.post(reverse("events:join", args=[event.pk]))

    assert not_registered.status_code == 403
    assert "Подключиться могут только зарегистрированные" in not_registered.content.decode()
    assert too_early.status_code == 403
    assert "за 15 минут до начала" in too_early.content.decode()


def test_join_page_redirects_the_registered_and_records_attendance(client, world, make_event):
    event = _soon(make_event)
    registration = services.registration_create(
        actor=world.users["director"], event=event, mode="remote"
    )
    client.force_login(world.users["director"])

    response = client.post(reverse("events:join", args=[event.pk]))

    registration.refresh_from_db()
    assert response.status_code == 302
    assert response.url.startswith("https://meet.jit.si/setka-")
    assert registration.joined_at is not None
