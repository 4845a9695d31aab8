"""Pages served again from the cache (``core.pagecache``): a second visit costs fewer queries
and gives the same page, with the signed-in person's private headers; any write to the page's
data (even an ``.update()`` without signals), another person, another language, another day
(or minute), a new notification or a waiting message gives a freshly made page; POSTs, errors
and browsers without a CSRF cookie are never stored, and ``PAGE_CACHE = False`` turns it off.

A page is rendered when the test client saw its templates (``response.templates``); a page
served from the cache renders none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from setka.core import pagecache
from setka.core.pagecache import cached_page
from setka.events.models import Event
from setka.programs.models import Offer

from ..clock import TODAY, at
from ..events.conftest import make_event  # noqa: F401 - events of the world
from ..journal.conftest import jw  # noqa: F401 - the school year of school №3
from ..notifications.conftest import note_for  # noqa: F401 - a notification for a role
from ..programs.conftest import pw  # noqa: F401 - the programmes of the world
from ..readiness.conftest import (  # noqa: F401 - an answered survey of school №3
    campaign,
    questionnaire,
    response,
    submitted,
)
from ..resources.conftest import next_monday, rw  # noqa: F401 - school №3's laboratory

pytestmark = pytest.mark.django_db

#: The browser's CSRF secret (what Django keeps in the ``csrftoken`` cookie).
SECRET = "Setka0CsrfSecret0ForTheTests0abc"  # 32 letters and digits


@pytest.fixture
def visit(client_for):
    """``visit(role)``: the test client signed in as ``role`` (or a visitor), whose browser
    already has its CSRF cookie (a page is only kept for such a browser)."""

    def make(role: str):
        client = client_for(role)
        client.cookies[settings.CSRF_COOKIE_NAME] = SECRET
        return client

    return make


def get(client, url: str, **extra):
    """GET ``url``: (the answer, the number of queries it cost)."""
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url, **extra)
    return answer, len(queries.captured_queries)


def rendered(answer) -> bool:
    return bool(answer.templates)


def html(answer) -> str:
    return answer.content.decode()


# 1. The second visit


def test_the_second_visit_of_an_offer_is_served_from_the_cache(visit, pw):
    client = visit("student")
    url = reverse("programs:offer", args=[pw.offer.pk])

    first, first_queries = get(client, url)
    second, second_queries = get(client, url)

    assert first.status_code == second.status_code == 200
    assert rendered(first)
    assert not rendered(second)
    assert second_queries < first_queries
    assert second.content == first.content
    assert "Робототехника" in html(second)
    cache_control = second["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert second["Content-Type"] == first["Content-Type"]
    # As a rendered page does, the kept one renews the browser's CSRF cookie (same secret).
    assert second.cookies[settings.CSRF_COOKIE_NAME].value == SECRET


def test_a_visitor_is_served_from_the_cache_too_without_private_headers(visit, pw):
    client = visit("anonymous")
    url = reverse("programs:offer", args=[pw.offer.pk])

    first, first_queries = get(client, url)
    second, second_queries = get(client, url)

    assert not rendered(second)
    assert second_queries < first_queries
    assert second.content == first.content
    assert "no-store" not in second.get("Cache-Control", "")


# 2. Invalidation by the data, however written


def test_an_offer_changed_by_a_bare_update_is_shown_changed(visit, pw):
    client = visit("student")
    url = reverse("programs:offer", args=[pw.offer.pk])
    get(client, url)
    assert not rendered(get(client, url)[0])

    Offer.objects.filter(pk=pw.offer.pk).update(title="Беспилотники")  # no signal, no service
    changed, _ = get(client, url)

    assert rendered(changed)
    assert "Беспилотники" in html(changed)
    assert not rendered(get(client, url)[0])  # and kept again


def test_the_catalogue_shows_an_offer_renamed_by_a_bare_update(visit, pw):
    client = visit("student")
    url = reverse("programs:catalogue")
    assert "Шахматы" in html(get(client, url)[0])

    Offer.objects.filter(pk=pw.elective.pk).update(title="Го")
    changed, _ = get(client, url)

    assert rendered(changed)
    assert "Шахматы" not in html(changed)


def test_an_event_changed_by_a_bare_update_is_shown_changed(visit, make_event):
    event = make_event(title="Формирующее оценивание")
    client = visit("teacher")
    url = reverse("events:detail", args=[event.pk])
    get(client, url)
    assert not rendered(get(client, url)[0])

    Event.objects.filter(pk=event.pk).update(title="Смысловое чтение")
    changed, _ = get(client, url)

    assert rendered(changed)
    assert "Смысловое чтение" in html(changed)
    assert "Формирующее оценивание" not in html(changed)


def test_a_write_to_another_domain_of_the_page_is_seen(visit, world, pw):
    """The offer page shows its provider (network): renaming the institution is seen."""
    client = visit("student")
    url = reverse("programs:offer", args=[pw.offer.pk])
    get(client, url)

    type(world.ddt).objects.filter(pk=world.ddt.pk).update(short_name="Дом творчества")
    changed, _ = get(client, url)

    assert rendered(changed)
    assert "Дом творчества" in html(changed)


# 3. Per person


def test_each_person_gets_their_own_page(visit, world, pw):
    url = reverse("programs:offer", args=[pw.offer.pk])
    teacher_name = world.users["teacher"].display_name
    director_name = world.users["director"].display_name

    teachers = html(visit("teacher").get(url))
    directors, _ = get(visit("director"), url)
    teachers_again, _ = get(visit("teacher"), url)

    assert teacher_name in teachers
    assert rendered(directors)
    assert director_name in html(directors)
    assert teacher_name not in html(directors)
    assert not rendered(teachers_again)  # the teacher's own page, kept
    assert teacher_name in html(teachers_again)
    assert director_name not in html(teachers_again)


def test_a_visitor_never_gets_a_signed_in_persons_page(visit, world, pw):
    name = world.users["student"].display_name
    for url in (reverse("programs:catalogue"), reverse("programs:offer", args=[pw.offer.pk])):
        client = visit("student")
        get(client, url)
        assert not rendered(get(client, url)[0])

        visitors, _ = get(visit("anonymous"), url)

        assert rendered(visitors)
        assert name not in html(visitors)
        assert 'id="bell"' not in html(visitors)
        assert reverse("accounts:login") in html(visitors)
        assert "no-store" not in visitors.get("Cache-Control", "")


def test_a_page_kept_for_a_superuser_is_not_served_once_the_flag_is_gone(visit, world, pw):
    """The account's flags are part of the key: a page kept for a superuser is not served
    once the flag is taken away."""
    user = world.users["teacher"]
    type(user).objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    client = visit("teacher")
    url = reverse("programs:offer", args=[pw.offer.pk])
    get(client, url)
    assert not rendered(get(client, url)[0])

    type(user).objects.filter(pk=user.pk).update(is_superuser=False, is_staff=False)

    assert rendered(get(client, url)[0])


def test_the_name_of_an_account_without_a_person_is_shown_changed(client, pw):
    """An account without a person (a superuser made with ``createsuperuser``) is named in
    the header by its own fields; the accounts are not stamped, so the key must carry them."""
    from .. import factories as f

    user = f.UserFactory(username="root", first_name="Ольга", last_name="Старая")
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = SECRET
    url = reverse("programs:offer", args=[pw.offer.pk])
    assert "Ольга Старая" in html(client.get(url))

    type(user).objects.filter(pk=user.pk).update(last_name="Новая")
    changed, _ = get(client, url)

    assert "Ольга Новая" in html(changed)


# 4. What is never stored or never served


def test_a_post_is_never_served_from_nor_stored_in_the_cache(visit, pw):
    client = visit("student")
    url = reverse("programs:offer", args=[pw.offer.pk])

    posted = client.post(url)
    first, _ = get(client, url)
    get(client, url)
    posted_again = client.post(url)

    assert rendered(posted)
    assert rendered(first)  # the POST's answer was not kept for the GET
    assert rendered(posted_again)  # a kept page is not the answer to a POST


def test_a_browser_without_a_csrf_cookie_is_not_stored(client_for, pw):
    client = client_for("student")
    url = reverse("programs:offer", args=[pw.offer.pk])

    first, first_queries = get(client, url)
    assert settings.CSRF_COOKIE_NAME in first.cookies  # the page gave the browser its cookie
    del client.cookies[settings.CSRF_COOKIE_NAME]
    second, second_queries = get(client, url)
    del client.cookies[settings.CSRF_COOKIE_NAME]
    third, third_queries = get(client, url)

    assert [rendered(first), rendered(second), rendered(third)] == [True, True, True]
    assert first_queries == second_queries == third_queries


def test_the_cookie_given_by_a_first_visit_lets_the_next_ones_use_the_cache(client_for, pw):
    client = client_for("student")
    url = reverse("programs:offer", args=[pw.offer.pk])

    first, _ = get(client, url)  # no cookie yet: rendered, not stored, the cookie given
    second, _ = get(client, url)  # the cookie: rendered and stored
    third, _ = get(client, url)

    assert [rendered(first), rendered(second)] == [True, True]
    assert not rendered(third)
    assert third.content == second.content


def test_an_invalid_csrf_cookie_is_not_stored(client_for, pw):
    client = client_for("student")
    url = reverse("programs:offer", args=[pw.offer.pk])
    for _ in range(2):
        client.cookies[settings.CSRF_COOKIE_NAME] = "not a secret"

        assert rendered(get(client, url)[0])


def test_a_waiting_message_is_shown_and_not_swallowed(visit, make_event):
    event = make_event()
    client = visit("other_teacher")  # not registered
    url = reverse("events:detail", args=[event.pk])
    kept = html(client.get(url))
    assert not rendered(get(client, url)[0])

    refused = client.post(reverse("events:unregister", args=[event.pk]))  # a message, no write
    with_message, _ = get(client, url)
    after, _ = get(client, url)

    assert refused.status_code == 302
    assert refused["Location"] == url
    assert rendered(with_message)
    assert 'class="messages"' in html(with_message)
    assert 'class="messages"' not in kept
    assert not rendered(after)  # the page kept before: the message was not stored in it
    assert 'class="messages"' not in html(after)


def test_a_missing_page_is_not_stored(visit, pw):
    client = visit("student")
    url = reverse("programs:offer", args=[pw.offer.pk + 1000])

    assert get(client, url)[0].status_code == 404
    assert get(client, url)[0].status_code == 404


def test_a_page_one_may_not_see_stays_refused(visit, world, submitted):
    url = reverse("readiness:institution", args=[world.school.slug])
    directors = visit("director")
    get(directors, url)
    assert not rendered(get(directors, url)[0])

    teacher = visit("teacher")
    assert get(teacher, url)[0].status_code == 404
    assert get(teacher, url)[0].status_code == 404
    visitor = visit("anonymous")
    assert get(visitor, url)[0].status_code == 302  # to the sign-in page
    assert get(visitor, url)[0].status_code == 302


def test_another_language_gets_its_own_page(visit, pw):
    client = visit("student")
    url = reverse("programs:offer", args=[pw.offer.pk])
    russian = html(client.get(url))
    assert not rendered(get(client, url)[0])

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _ = get(client, url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    russian_again, _ = get(client, url)

    assert '<html lang="ru">' in russian
    assert rendered(english)
    assert '<html lang="en">' in html(english)
    assert "Sign out" in html(english)
    assert not rendered(russian_again)
    assert russian_again.content.decode() == russian


def test_the_language_chosen_with_the_switch_is_served(visit, pw):
    client = visit("student")
    url = reverse("programs:offer", args=[pw.offer.pk])
    get(client, url)
    get(client, url)

    switched = client.post(reverse("set_language"), {"language": "en", "next": url})
    english, _ = get(client, url)

    assert switched.status_code == 302
    assert rendered(english)
    assert '<html lang="en">' in html(english)


def test_an_htmx_request_is_not_served_the_whole_page(visit, pw):
    client = visit("student")
    url = reverse("programs:catalogue")
    get(client, url)
    assert not rendered(get(client, url)[0])

    fragment, _ = get(client, url, headers={"HX-Request": "true", "HX-Target": "results"})

    assert rendered(fragment)


# 5. The clock


def test_a_page_kept_today_is_made_again_tomorrow(visit, pw, frozen_clock):
    client = visit("student")
    url = reverse("programs:offer", args=[pw.offer.pk])
    get(client, url)
    assert not rendered(get(client, url)[0])

    frozen_clock.shift(dt.timedelta(days=1))

    assert rendered(get(client, url)[0])
    assert not rendered(get(client, url)[0])


def test_the_day_is_part_of_the_key_not_only_the_expiry(visit, world, pw, frozen_clock):
    """Five minutes before midnight a page is kept; two minutes later (well within
    ``PAGE_CACHE_SECONDS``) it is a new day, and the page is made again."""
    assert settings.PAGE_CACHE_SECONDS > 5 * 60
    frozen_clock.move_to(at(TODAY, 23, 55))
    client = visit("student")  # signed in now: the session is fresh
    url = reverse("programs:offer", args=[pw.offer.pk])
    get(client, url)

    frozen_clock.shift(dt.timedelta(minutes=2))
    assert not rendered(get(client, url)[0])  # 23:57, the same day: kept
    frozen_clock.shift(dt.timedelta(minutes=4))  # 00:01 the next day
    tomorrow, _ = get(client, url)

    assert rendered(tomorrow)
    assert world.users["student"].display_name in html(tomorrow)  # still signed in


def test_the_event_page_is_made_again_after_a_minute(visit, make_event, frozen_clock):
    event = make_event()
    client = visit("teacher")
    url = reverse("events:detail", args=[event.pk])
    get(client, url)
    assert not rendered(get(client, url)[0])

    frozen_clock.shift(dt.timedelta(minutes=1))

    assert rendered(get(client, url)[0])
    assert not rendered(get(client, url)[0])


# 6. Off


def test_page_cache_off_renders_every_time(visit, pw, settings):
    settings.PAGE_CACHE = False
    client = visit("student")
    url = reverse("programs:offer", args=[pw.offer.pk])

    answers = [get(client, url) for _ in range(3)]

    assert all(rendered(answer) for answer, _ in answers)
    assert len({queries for _, queries in answers}) == 1


# 7. The bell


def test_a_new_notification_shows_in_the_bell_of_a_kept_page(visit, pw, note_for):
    client = visit("teacher")
    url = reverse("programs:offer", args=[pw.offer.pk])
    before = html(client.get(url))
    assert not rendered(get(client, url)[0])
    assert 'class="bell-count"' not in before

    note_for("teacher", 1)
    one, _ = get(client, url)
    note_for("teacher", 2)
    two, _ = get(client, url)

    assert 'class="bell-count">1<' in html(one)
    assert 'class="bell-count">2<' in html(two)
    assert not rendered(get(client, url)[0])


# 8. Every cached page


def _offer(request) -> str:
    return reverse("programs:offer", args=[request.getfixturevalue("pw").offer.pk])


def _event(request) -> str:
    event = request.getfixturevalue("make_event")()
    return reverse("events:detail", args=[event.pk])


def _events(name: str):
    def make(request) -> str:
        request.getfixturevalue("make_event")()
        return reverse(name)

    return make


def _resource(name: str):
    def make(request) -> str:
        return reverse(name, args=[request.getfixturevalue("rw").lab.pk])

    return make


def _readiness(request) -> str:
    request.getfixturevalue("submitted")
    return reverse("readiness:institution", args=[request.getfixturevalue("world").school.slug])


def _catalogue(request) -> str:
    request.getfixturevalue("pw")
    return reverse("programs:catalogue")


def _map(request) -> str:
    request.getfixturevalue("pw")
    return reverse("programs:map")


PAGES = [
    ("programs:catalogue", _catalogue, "student"),
    ("programs:catalogue", _catalogue, "anonymous"),
    ("programs:offer", _offer, "parent"),
    ("programs:map", _map, "metodist"),
    ("events:list", _events("events:list"), "teacher"),
    ("events:month", _events("events:month"), "teacher"),
    ("events:week", _events("events:week"), "metodist"),
    ("events:detail", _event, "teacher"),
    ("resources:resource", _resource("resources:resource"), "director"),
    ("resources:month", _resource("resources:month"), "teacher"),
    ("readiness:institution", _readiness, "director"),
]


@pytest.mark.parametrize(
    ("page", "address", "role"), PAGES, ids=[f"{page}-{role}" for page, _, role in PAGES]
)
def test_every_cached_page_is_served_from_the_cache(request, visit, world, page, address, role):
    url = address(request)
    client = visit(role)

    first, first_queries = get(client, url)
    second, second_queries = get(client, url)

    assert first.status_code == 200, page
    assert rendered(first)
    assert not rendered(second)
    assert second_queries < first_queries
    assert second.content == first.content


def test_a_resource_week_with_its_query_is_kept_apart(visit, rw):
    client = visit("director")
    url = reverse("resources:resource", args=[rw.lab.pk])
    get(client, url)
    assert not rendered(get(client, url)[0])

    later = get(client, url + f"?week={(next_monday() + dt.timedelta(days=7)).isoformat()}")[0]

    assert rendered(later)


# The decorator itself


@pytest.fixture
def request_for(rf: RequestFactory):
    def make(method: str = "get", secret: str | None = SECRET):
        request = getattr(rf, method)("/page/")
        request.user = AnonymousUser()
        if secret is not None:
            request.META["CSRF_COOKIE"] = secret
        return request

    return make


def _counting(make_response):
    calls = []

    @cached_page("programs")
    def view(request):
        calls.append(request)
        return make_response(request)

    return view, calls


def test_a_plain_page_is_made_once(request_for):
    view, calls = _counting(lambda r: HttpResponse(f"page {TODAY}"))

    first = view(request_for())
    second = view(request_for())

    assert len(calls) == 1
    assert first.content == second.content
    assert second.status_code == 200


@pytest.mark.parametrize(
    "make_response",
    [
        lambda r: HttpResponse("forbidden", status=403),
        lambda r: HttpResponse("missing", status=404),
        lambda r: HttpResponse("oops", status=500),
        lambda r: HttpResponseRedirect("/elsewhere/"),
        lambda r: StreamingHttpResponse(iter([b"a", b"b"])),
        lambda r: JsonResponse({"page": 1}),
        lambda r: _with_cookie(HttpResponse("page")),
    ],
    ids=["403", "404", "500", "redirect", "streaming", "json", "cookie"],
)
def test_what_is_not_a_plain_page_is_never_stored(request_for, make_response):
    view, calls = _counting(make_response)

    view(request_for())
    view(request_for())

    assert len(calls) == 2


def _with_cookie(response: HttpResponse) -> HttpResponse:
    response.set_cookie("seen", "1")
    return response


def test_a_page_that_changed_the_session_is_not_stored(request_for):
    from django.contrib.sessions.backends.cache import SessionStore

    def make_response(request):
        request.session["seen"] = True
        return HttpResponse("page")

    view, calls = _counting(make_response)
    for _ in range(2):
        request = request_for()
        request.session = SessionStore()
        view(request)

    assert len(calls) == 2


def test_a_page_that_rotated_the_csrf_secret_is_not_stored(request_for):
    from django.middleware.csrf import rotate_token

    def make_response(request):
        rotate_token(request)  # as signing in does: the page's tokens are of the new secret
        return HttpResponse("page")

    view, calls = _counting(make_response)
    view(request_for())
    view(request_for())

    assert len(calls) == 2


def test_a_post_or_put_is_never_served_a_kept_page(request_for):
    view, calls = _counting(lambda r: HttpResponse("page"))
    view(request_for("get"))
    view(request_for("get"))

    view(request_for("post"))
    view(request_for("put"))

    assert len(calls) == 3


def test_without_a_csrf_secret_the_view_always_runs(request_for):
    view, calls = _counting(lambda r: HttpResponse("page"))

    view(request_for(secret=None))
    view(request_for(secret=None))

    assert len(calls) == 2


def test_another_csrf_secret_gets_its_own_page(request_for):
    view, calls = _counting(lambda r: HttpResponse("page"))

    view(request_for())
    view(request_for(secret="Another0CsrfSecret0ForTheTests01"))

    assert len(calls) == 2


def test_an_unknown_domain_is_refused():
    with pytest.raises(ValueError, match="not stamped"):
        cached_page("notifications")


def test_the_key_names_no_page_when_the_cache_is_off(request_for, settings):
    settings.PAGE_CACHE = False

    assert pagecache.key(request_for(), ("programs",), minute=False) is None


def test_a_head_request_runs_the_view_not_the_cache(client):
    """A HEAD is answered by the view as it would be without the cache (the calendar's
    ``require_GET`` refuses it), even when a GET has stored the page."""
    client.cookies[settings.CSRF_COOKIE_NAME] = SECRET
    url = reverse("events:month")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # stored

    assert client.head(url).status_code == 405
