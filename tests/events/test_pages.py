"""The pages of the municipal calendar: list, month, week (with filters), the event page and
the organisers' pages; constant queries whatever the number of events; private headers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from setka.events import services
from setka.events.models import Event, Kind, Status

from ..clock import TODAY, iso
from .conftest import tomorrow

pytestmark = pytest.mark.django_db


def _many(make_event, world, n: int) -> None:
    for i in range(n):
        make_event(title=f"Семинар {i}", starts_at=tomorrow(9 + i % 8))


def test_list_shows_published_events_and_hides_drafts(client, world, make_event):
    make_event(title="Опубликованный семинар")
    make_event(title="Черновик семинара", status="draft")

    html = client.get(reverse("events:list")).content.decode()

    assert "Опубликованный семинар" in html
    assert "Черновик семинара" not in html
    assert "webcal://" in html


def test_filters_narrow_the_list(client, world, make_event):
    make_event(title="В школе", provider="", capacity_remote=0)
    make_event(title="В ДДТ", institution=world.ddt, venue=world.ddt, kind=Kind.MASTER_CLASS)

    html = client.get(reverse("events:list"), {"kind": "master_class"}).content.decode()
    online = client.get(reverse("events:list"), {"online": "1"}).content.decode()

    assert ("В ДДТ" in html, "В школе" in html) == (True, False)
    assert ("В ДДТ" in online, "В школе" in online) == (True, False)


def test_month_and_week_place_the_event_on_its_day(client, world, make_event):
    event = make_event(title="Семинар на завтра")
    day = TODAY + dt.timedelta(days=1)

    month = client.get(reverse("events:month"), {"m": f"{day:%Y-%m}"}).content.decode()
    week = client.get(reverse("events:week"), {"d": day.isoformat()}).content.decode()

    assert f'href="/events/{event.pk}/"' in month
    assert f'href="/events/{event.pk}/"' in week


def _flat(response) -> str:
    """The page without the white space around its tags (templates may lay it out freely)."""
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", response.content.decode()))


def test_calendar_pages_show_times_marks_and_the_chosen_filters(client, world, make_event):
    event = make_event(title="Семинар <Оценивание>", starts_at=tomorrow(9, 5))
    Event.objects.filter(pk=event.pk).update(status=Status.CANCELLED)
    day = TODAY + dt.timedelta(days=1)
    line = (
        f'<a href="/events/{event.pk}/">Семинар &lt;Оценивание&gt;</a>'
        '<span class="badge bad">отменён</span>'
    )

    month = _flat(client.get(reverse("events:month"), {"m": f"{day:%Y-%m}", "kind": "seminar"}))
    week = _flat(client.get(reverse("events:week"), {"d": day.isoformat(), "online": "1"}))
    listed = _flat(client.get(reverse("events:list"), {"audience": "teachers"}))

    assert f"<li><time>09:05</time>{line}</li>" in month
    assert '<option value="seminar" selected>Семинар</option>' in month
    assert f'<input type="hidden" name="m" value="{day:%Y-%m}">' in month
    assert 'href="/events/month/?m=' in month
    assert 'aria-current="page">Месяц</a>' in month
    assert f'<time datetime="{event.starts_at.isoformat()}">09:05–10:35</time>' in week
    assert f'aria-labelledby="day-{day:%Y%m%d}"' in week
    assert '<option value="1" selected>онлайн</option>' in week
    assert line in listed
    assert "?audience=teachers&amp;when=past" in listed


def test_list_pages(client, world, make_event):
    _many(make_event, world, 31)

    html = _flat(client.get(reverse("events:list"), {"page": "2"}))

    assert "<span>Страница 2 из 2</span>" in html
    assert '<a href="?page=1">← Назад</a>' in html


@pytest.mark.parametrize("raw", ["13-2026", "abc", "99999-01", ""])
def test_month_with_a_bad_month_shows_this_month(client, world, raw):
    assert client.get(reverse("events:month"), {"m": raw}).status_code == 200


@pytest.mark.parametrize("raw", ["2026-13-40", "x", "0001-01-01"])
def test_week_with_a_bad_day_shows_this_week(client, world, raw):
    assert client.get(reverse("events:week"), {"d": raw}).status_code == 200


@pytest.mark.parametrize("size", [1, 12])
def test_list_query_budget(client, world, make_event, size, django_assert_num_queries):
    _many(make_event, world, size)
    client.force_login(world.users["teacher"])
    client.get(reverse("events:list"))

    # session, user, roles, the stamps of the page's data (core.pagecache: the browser has
    # its CSRF cookie now), count, events, subjects, institutions, the user's name
    with django_assert_num_queries(9):
        client.get(reverse("events:list"), {"audience": "teachers"})
    # served again while nothing changed: session, user, stamps
    with django_assert_num_queries(3):
        client.get(reverse("events:list"), {"audience": "teachers"})


@pytest.mark.parametrize("size", [1, 12])
def test_month_query_budget(client, world, make_event, size, django_assert_num_queries):
    _many(make_event, world, size)

    with django_assert_num_queries(3):  # events, subjects, institutions
        client.get(reverse("events:month"))


@pytest.mark.parametrize("size", [1, 12])
def test_event_page_query_budget(client, world, make_event, size, django_assert_num_queries):
    event = make_event(capacity_in_person=20)
    for role in ["director", "partner", "other_teacher", "metodist"][: 1 + size // 4]:
        services.registration_create(actor=world.users[role], event=event, mode="in_person")
    client.force_login(world.users["teacher"])
    client.get(reverse("events:detail", args=[event.pk]))

    # session, user, roles, the stamps of the page's data (core.pagecache), event, its hosts
    # (once, for the rules and the page), subjects, my registration, taken, the user's name
    with django_assert_num_queries(10):
        client.get(reverse("events:detail", args=[event.pk]))
    # served again while nothing changed: session, user, stamps
    with django_assert_num_queries(3):
        client.get(reverse("events:detail", args=[event.pk]))


@pytest.mark.parametrize("size", [1, 12])
def test_feed_query_budget(client, world, make_event, size, django_assert_num_queries):
    _many(make_event, world, size)
    make_event(title="Серия", repeat={"frequency": "WEEKLY", "interval": 1, "count": 3})

    with django_assert_num_queries(3):  # the stamp, events, series
        client.get(reverse("events:feed"))
    with django_assert_num_queries(1):  # the stamp: the text is in the cache
        client.get(reverse("events:feed"))


@pytest.mark.parametrize("size", [1, 12])
def test_personal_feed_query_budget(client, world, make_event, size, django_assert_num_queries):
    _many(make_event, world, size)
    token = services.feed_token_of(world.people["teacher"].pk).token

    with django_assert_num_queries(2):  # token, events
        client.get(reverse("events:personal_feed", args=[token]))


def test_event_page_of_a_signed_in_person_is_private(client, world, make_event):
    event = make_event()
    client.force_login(world.users["teacher"])

    response = client.get(reverse("events:detail", args=[event.pk]))

    assert "private" in response["Cache-Control"]


def test_register_from_the_page_then_cancel(client, world, make_event):
    event = make_event()
    client.force_login(world.users["partner"])

    client.post(reverse("events:register", args=[event.pk]), {"mode": "remote"})
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    client.post(reverse("events:unregister", args=[event.pk]))

    assert "Вы записаны (онлайн)" in page
    assert event.registrations.get().status == "cancelled"


def test_register_twice_from_the_page_says_so(client, world, make_event):
    event = make_event()
    client.force_login(world.users["partner"])
    client.post(reverse("events:register", args=[event.pk]), {"mode": "remote"})

    response = client.post(
        reverse("events:register", args=[event.pk]), {"mode": "remote"}, follow=True
    )

    assert "Вы уже записаны на это мероприятие." in response.content.decode()
    assert event.registrations.count() == 1


def test_create_form_makes_a_draft(client, world):
    client.force_login(world.users["teacher"])
    day = TODAY + dt.timedelta(days=3)

    response = client.post(reverse("events:create"), {
        "institution": world.school.pk, "kind": "master_class", "title": "Мастер-класс по ТРИЗ",
        "starts_at": f"{day.isoformat()}T15:00", "ends_at": f"{day.isoformat()}T16:00",
        "venue": world.school.pk, "room": "12", "capacity_in_person": 10, "capacity_remote": 0,
        "for_teachers": "on",
    })  # fmt: skip

    event = Event.objects.get()
    assert response.status_code == 302
    assert (event.status, event.created_by_id) == (Status.DRAFT, world.people["teacher"].pk)


def test_create_form_refuses_an_event_ending_before_it_starts(client, world):
    client.force_login(world.users["teacher"])

    response = client.post(reverse("events:create"), {
        "institution": world.school.pk, "kind": "seminar", "title": "Семинар",
        "starts_at": f"{iso(2026, 12, 1)}T15:00", "ends_at": f"{iso(2026, 12, 1)}T14:00",
        "venue": world.school.pk, "capacity_in_person": 10, "capacity_remote": 0,
    })  # fmt: skip

    assert response.status_code == 400
    assert "Мероприятие должно заканчиваться позже, чем начинается." in response.content.decode()
    assert Event.objects.count() == 0


def test_registrations_page_checks_people_in(client, world, make_event):
    event = make_event(starts_at=tomorrow(9))
    registration = services.registration_create(
        actor=world.users["partner"], event=event, mode="in_person"
    )
    Event.objects.filter(pk=event.pk).update(starts_at=event.starts_at - dt.timedelta(days=1))
    client.force_login(world.users["teacher"])

    client.post(reverse("events:registrations", args=[event.pk]), {"registration": registration.pk})

    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_home_shows_my_upcoming_events(client, world, make_event):
    event = make_event(title="Семинар по оцениванию", hosts=[world.people["partner"]])
    services.registration_create(actor=world.users["director"], event=event, mode="remote")
    client.force_login(world.users["director"])

    html = client.get(reverse("home")).content.decode()

    assert "Семинар по оцениванию" in html
    assert 'id="events-upcoming"' in html
