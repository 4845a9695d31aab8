"""The notification centre through the API."""

from __future__ import annotations

import pytest

from setka.notifications.models import Preference

from ..api.conftest import ApiClient, assert_problem
from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, client):
    return ApiClient(client_for, client)


def test_list_and_the_unread_filter(api, note_for):
    first = note_for("parent", 1)
    note_for("parent", 2)
    note_for("student", 3)
    api.as_("parent").post(f"/notifications/{first.pk}/read")

    everything = api.get("/notifications").json()
    unread = api.get("/notifications?unread=true").json()

    assert everything["count"] == 2
    assert [n["title"] for n in everything["items"]] == ["Ping 2", "Ping 1"]
    assert [n["read"] for n in everything["items"]] == [False, True]
    assert [n["title"] for n in unread["items"]] == ["Ping 2"]
    assert api.get("/notifications/unread-count").json() == {"unread": 1}


def test_reading_someone_elses_is_a_404(api, note_for):
    note = note_for("parent")

    response = api.as_("other_parent").post(f"/notifications/{note.pk}/read")

    assert_problem(response, 404)


def test_read_all_answers_how_many(api, note_for):
    note_for("parent", 1)
    note_for("parent", 2)

    assert api.as_("parent").post("/notifications/read-all").json() == {"count": 2}
    assert api.get("/notifications/unread-count").json() == {"unread": 0}


def test_preferences_round_trip(api, world):
    body = (
        api.as_("parent")
        .put(
            "/notifications/preferences",
            {"digest_frequency": "weekly", "channels": {"journal.absence": "email"}},
        )
        .json()
    )

    by_kind = {k["kind"]: k["channel"] for k in body["kinds"]}
    assert body["digest_frequency"] == "weekly"
    assert by_kind["journal.absence"] == "email"
    assert by_kind["journal.mark.created"] == "in_app"
    assert api.get("/notifications/preferences").json() == body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channels": {"no.such.kind": "email"}}, "no.such.kind"),
        ({"channels": {TEST_KIND: "pigeon"}}, "channels.test.ping"),
        ({"digest_frequency": "hourly"}, "digest_frequency"),
        ({"channels": {"test.security": "in_app"}}, "test.security"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_preferences_are_a_422_and_change_nothing(api, world, body, field):
    response = api.as_("parent").put("/notifications/preferences", body)

    assert_problem(response, 422)
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Preference.objects.exists()


@pytest.mark.parametrize("count", [1, 40])
def test_list_query_budget(api, note_for, django_assert_num_queries, count):
    for n in range(count):
        note_for("parent", n)
    api.as_("parent").get("/notifications")

    with django_assert_num_queries(5):  # session, user, roles, count, page
        response = api.get("/notifications")

    assert len(response.json()["items"]) == count
