"""The iCalendar feeds, read by real clients: every feed parses with ``icalendar`` and
round-trips its events; a series expands (recurring-ical-events) to exactly the occurrences
Setka has, with a moved and a cancelled one; the personal feed needs its token."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse

from setka.events import services
from setka.events.models import Event, Status

from ..clock import TODAY, at
from .conftest import tomorrow

pytestmark = pytest.mark.django_db


def _parse(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _vevents(cal):
    return list(cal.walk("VEVENT"))


def test_municipal_feed_round_trips_its_events(client, world, make_event):
    one = make_event(title="Вебинар по финансовой грамотности")
    two = make_event(title="Мастер-класс", starts_at=tomorrow(10), institution=world.ddt,
                     venue=world.ddt, actor=world.users["metodist"])  # fmt: skip
    make_event(title="Черновик", status="draft")

    cal = _parse(client.get(reverse("events:feed")))

    got = {
        str(v["uid"]):
            (str(v["summary"]), v.decoded("dtstart"), v.decoded("dtend"), str(v["status"]))
        for v in _vevents(cal)
    }  # fmt: skip
    assert got == {
        f"event-{e.pk}@127.0.0.1": (e.title, e.starts_at, e.ends_at, "CONFIRMED")
        for e in (one, two)
    }


def test_series_expands_to_its_occurrences_with_a_moved_and_a_cancelled_one(
    client, world, make_event
):
    first = make_event(title="Школа молодого педагога",
                       repeat={"frequency": "WEEKLY", "interval": 1, "count": 5})  # fmt: skip
    occurrences = list(Event.objects.filter(series=first.series).order_by("occurrence"))
    moved = occurrences[2]
    services.event_update(actor=world.users["metodist"], event=moved,
                          starts_at=moved.starts_at + dt.timedelta(hours=2),
                          ends_at=moved.ends_at + dt.timedelta(hours=2))  # fmt: skip
    services.event_cancel(actor=world.users["metodist"], event=occurrences[3], reason="Праздник")

    cal = _parse(client.get(reverse("events:feed")))
    expanded = recurring_ical_events.of(cal).between(at(TODAY), at(TODAY + dt.timedelta(days=60)))

    expected = [
        (e.starts_at, e.ends_at)
        for e in Event.objects.filter(series=first.series).exclude(status=Status.CANCELLED)
        .order_by("starts_at")
    ]  # fmt: skip
    assert sorted((v.decoded("dtstart"), v.decoded("dtend")) for v in expanded) == expected
    assert len(expected) == 4


def test_feed_marks_a_cancelled_single_event(client, world, make_event):
    event = make_event()
    services.event_cancel(actor=world.users["metodist"], event=event)

    cal = _parse(client.get(reverse("events:institution_feed", args=["school-3"])))

    assert [(str(v["status"]), int(v["sequence"])) for v in _vevents(cal)] == [("CANCELLED", 1)]


def test_personal_feed_has_my_registrations_and_hosted_events(client, world, make_event):
    hosted = make_event(title="Мой урок")
    registered = make_event(title="Чужой семинар", hosts=[world.people["partner"]])
    make_event(title="Не моё", hosts=[world.people["partner"]])
    services.registration_create(actor=world.users["teacher"], event=registered, mode="remote")
    token = services.feed_token_of(world.people["teacher"].pk).token

    response = client.get(reverse("events:personal_feed", args=[token]))

    assert response["Cache-Control"] == "private, no-store"
    assert sorted(str(v["summary"]) for v in _vevents(_parse(response))) == sorted(
        [hosted.title, registered.title]
    )


def test_invalid_or_reset_feed_token_is_a_404(client, world, make_event):
    old = services.feed_token_of(world.people["teacher"].pk).token
    services.feed_token_reset(actor=world.users["teacher"])

    assert client.get(reverse("events:personal_feed", args=[old])).status_code == 404
    assert client.get(reverse("events:personal_feed", args=["nonsense"])).status_code == 404


def test_single_event_ics_parses(client, world, make_event):
    event = make_event()

    cal = _parse(client.get(reverse("events:ics", args=[event.pk])))

    assert [str(v["location"]) for v in _vevents(cal)] == [
        f"{world.school.short_name}, {world.school.address}, Актовый зал, онлайн"
    ]


def test_draft_ics_is_hidden_from_others(client, world, make_event):
    event = make_event(status="draft")

    assert client.get(reverse("events:ics", args=[event.pk])).status_code == 404
