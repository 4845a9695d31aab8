"""The bell, the list, opening and reading, and the settings page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.notifications.models import Channel, DigestSchedule, Notification, Preference

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


def test_the_bell_shows_the_unread_count_on_every_page(client_for, note_for):
    note_for("parent", 1)
    note_for("parent", 2)

    html = client_for("parent").get(reverse("network:directory")).content.decode()

    assert 'class="bell-count">2<' in html
    assert reverse("notifications:bell") in html


def test_the_bell_is_not_there_for_visitors(client_for):
    html = client_for("anonymous").get(reverse("network:directory")).content.decode()

    assert 'id="bell"' not in html


def test_the_bell_fragment_is_small_and_counts(client_for, note_for):
    note_for("parent")

    response = client_for("parent").get(reverse("notifications:bell"))

    assert response.status_code == 200
    assert len(response.content) < 2000
    assert b'class="bell-count">1<' in response.content


def test_the_list_shows_only_my_notifications_with_the_unread_first_marked(client_for, note_for):
    note_for("parent", 1)
    note_for("student", 2)

    response = client_for("parent").get(reverse("notifications:list"))

    html = response.content.decode()
    assert [title for _, title in response.context["rows"]] == ["Ping 1"]
    assert "notification unread" in html


def test_the_unread_filter(client_for, note_for):
    first = note_for("parent", 1)
    note_for("parent", 2)
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)

    response = client_for("parent").get(reverse("notifications:list"), {"show": "unread"})

    assert [title for _, title in response.context["rows"]] == ["Ping 2"]


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(client_for, note_for):
    note = note_for("parent", url="/journal/diary/?week=2026-11-23")

    response = client_for("parent").get(reverse("notifications:open", args=[note.pk]))

    assert (response.status_code, response.url) == (302, "/journal/diary/?week=2026-11-23")
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_link_to_another_site_is_never_followed(client_for, note_for):
    note = note_for("parent", url="https://evil.example/")

    response = client_for("parent").get(reverse("notifications:open", args=[note.pk]))

    assert response.url == reverse("notifications:list")


def test_someone_elses_notification_is_not_found(client_for, note_for):
    note = note_for("parent")

    response = client_for("other_parent").get(reverse("notifications:open", args=[note.pk]))

    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_one_and_all_read(client_for, note_for):
    first, second, third = (note_for("parent", n) for n in (1, 2, 3))
    client = client_for("parent")

    client.post(reverse("notifications:read", args=[first.pk]))
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    client.post(reverse("notifications:read_all"))

    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    assert {second.pk, third.pk} <= set(Notification.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("count", [1, 25])
def test_list_query_budget(client_for, note_for, django_assert_num_queries, count):
    for n in range(count):
        note_for("parent", n)
    client = client_for("parent")
    client.get(reverse("notifications:list"))

    # session, user, roles, page count, page rows, the header's person (the bell: cached)
    with django_assert_num_queries(6):
        response = client.get(reverse("notifications:list"))

    assert len(response.context["rows"]) == count


def test_settings_save_channels_and_the_digest(client_for, world):
    response = client_for("parent").post(
        reverse("notifications:settings"),
        {"kind-journal.absence": "email", "kind-journal.mark.created": "digest",
         "digest_frequency": "weekly"},
    )  # fmt: skip

    assert response.status_code == 302
    person = world.people["parent"]
    assert dict(Preference.objects.filter(person=person).values_list("kind", "channel")) == {
        "journal.absence": Channel.EMAIL,
        "journal.mark.created": Channel.DIGEST,
    }
    assert DigestSchedule.objects.get(person=person).frequency == "weekly"


def test_settings_refuse_a_bad_choice_and_keep_everything(client_for, world):
    response = client_for("parent").post(
        reverse("notifications:settings"),
        {"kind-journal.absence": "email", "kind-journal.mark.created": "pigeon"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 422
    assert "Choose in Setka only" in response.content.decode()
    assert not Preference.objects.exists()


def test_settings_going_back_to_the_default_stores_nothing(client_for, world):
    Preference.objects.create(person=world.people["parent"], kind=TEST_KIND, channel="email")

    client_for("parent").post(reverse("notifications:settings"), {f"kind-{TEST_KIND}": "in_app"})

    assert not Preference.objects.exists()


def test_the_bell_costs_no_query_while_nothing_changes(client_for, note_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    note_for("parent", 1)
    client = client_for("parent")
    client.get(reverse("network:directory"))

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("network:directory"))
    note_for("parent", 2)  # publishing forgets the cached count
    html = client.get(reverse("network:directory")).content.decode()

    assert not any("notifications_notification" in q["sql"] for q in queries.captured_queries)
    assert 'class="bell-count">2<' in html


def _bell_queries(captured) -> int:
    return sum('"notifications_notification"' in q["sql"] for q in captured.captured_queries)


def test_signing_in_counts_the_bell_so_pages_after_it_ask_nothing(client_for, note_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    note_for("parent")
    client = client_for("parent")  # signs in: the count goes into the cache

    with CaptureQueriesContext(connection) as first:
        html = client.get(reverse("network:directory")).content.decode()
    note_for("parent")  # publishing forgets the count
    with CaptureQueriesContext(connection) as after_a_change:
        changed = client.get(reverse("network:directory")).content.decode()

    assert _bell_queries(first) == 0
    assert 'class="bell-count">1<' in html
    assert _bell_queries(after_a_change) == 1
    assert 'class="bell-count">2<' in changed
