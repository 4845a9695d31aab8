"""The notification centre in the permission matrix: each person reaches only their own."""

from __future__ import annotations

from django.urls import reverse

from setka.notifications.services import publish

from ..matrix import Row

A = "/api/v1"
SIGNED_IN = "L 200 200 200 200 200 200 200 200 200"
API_SIGNED_IN = "401 200 200 200 200 200 200 200 200 200"


def _parents_note(w, j=None) -> int:
    """A notification of the world's parent: everybody else gets 404."""
    return publish(
        "journal.absence",
        recipients=[w.people["parent"]],
        municipality_id=w.municipality.pk,
        data={"code": "Н", "subject": "Математика", "number": 2, "date": "2026-11-23",
              "student": "Дарья"},
        url="/journal/diary/",
    )[0].pk  # fmt: skip


PAGES = [
    Row("notifications:list", lambda w, j: reverse("notifications:list"), SIGNED_IN),
    Row("notifications:bell", lambda w, j: reverse("notifications:bell"), SIGNED_IN),
    Row("notifications:settings", lambda w, j: reverse("notifications:settings"), SIGNED_IN),
    Row("notifications:read_all", lambda w, j: reverse("notifications:read_all"),
        "L R R R R R R R R R", method="post"),
    Row("notifications:open", lambda w, j: reverse("notifications:open", args=[_parents_note(w)]),
        "L 404 404 404 404 404 R 404 404 404"),
    Row("notifications:read", lambda w, j: reverse("notifications:read", args=[_parents_note(w)]),
        "L 404 404 404 404 404 R 404 404 404", method="post"),
]  # fmt: skip

API_ROWS = [
    Row("GET /notifications", lambda w, j: f"{A}/notifications", API_SIGNED_IN),
    Row("GET /notifications/unread-count", lambda w, j: f"{A}/notifications/unread-count",
        API_SIGNED_IN),
    Row("POST /notifications/{notification_id}/read",
        lambda w, j: f"{A}/notifications/{_parents_note(w)}/read",
        "401 404 404 404 404 404 200 404 404 404", method="post"),
    Row("POST /notifications/read-all", lambda w, j: f"{A}/notifications/read-all",
        API_SIGNED_IN, method="post"),
    Row("GET /notifications/preferences", lambda w, j: f"{A}/notifications/preferences",
        API_SIGNED_IN),
    Row("PUT /notifications/preferences", lambda w, j: f"{A}/notifications/preferences",
        API_SIGNED_IN, method="put", data={"channels": {"journal.absence": "email"}}),
]  # fmt: skip
