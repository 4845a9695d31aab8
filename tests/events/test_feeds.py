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


def test_public_feed_is_served_from_the_cache_until_an_event_changes(
    client, world, make_event, django_assert_num_queries
):
    event = make_event(title="Вебинар")
    url = reverse("events:feed")
    first = client.get(url)

    with django_assert_num_queries(1):  # the stamp; the text comes from the cache
        again = client.get(url)
    services.event_update(actor=world.users["metodist"], event=event, title="Вебинар: новое")
    changed = client.get(url)

    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert [str(v["summary"]) for v in _vevents(_parse(changed))] == ["Вебинар: новое"]
    assert changed["ETag"] != first["ETag"]


def test_public_feed_answers_304_to_a_client_that_has_this_version(client, world, make_event):
    make_event()
    url = reverse("events:feed")
    etag = client.get(url)["ETag"]

    same = client.get(url, HTTP_IF_NONE_MATCH=etag)
    make_event(title="Ещё одно", starts_at=tomorrow(12))
    newer = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert (same.status_code, same.content) == (304, b"")
    assert newer.status_code == 200
    assert len(_vevents(_parse(newer))) == 2


def test_finishing_past_events_changes_the_feed_stamp(client, world, make_event):
    event = make_event()
    url = reverse("events:feed")
    Event.objects.filter(pk=event.pk).update(  # it took place this morning (a direct update:
        starts_at=at(TODAY) - dt.timedelta(hours=2),  # the stamp does not see it)
        ends_at=at(TODAY) - dt.timedelta(hours=1),
    )
    before = client.get(url)["ETag"]

    services.events_finish_past()

    assert client.get(url)["ETag"] != before
