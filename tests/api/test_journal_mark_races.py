"""Parallel writes to one mark: the history stays an unbroken chain (each entry's old value is
the previous entry's new one) and a deleted mark stays as it was deleted.

The races themselves run on PostgreSQL with real parallel clients against ``live_server``
(skipped, visibly, on SQLite, whose IMMEDIATE transactions serialise the writers anyway);
the decisions they rely on (a writer decides on the mark as it is under its lock, not on the
copy it read before) are also tested without threads, on both databases."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from setka.accounts.services import token_create
from setka.core.models import AuditEntry
from setka.journal.models import Mark
from setka.journal.services import records

from ..clock import d


def parallel(test):
    """A test with real parallel clients: PostgreSQL, committed data (``live_server``)."""
    for mark in (
        pytest.mark.postgres_only,
        pytest.mark.skipif(
            connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
        ),
        pytest.mark.django_db(transaction=True),
    ):
        test = mark(test)
    return test


PARALLEL = 20


@pytest.fixture
def tokens(world) -> list[str]:
    """Two clients of the teacher (a tablet and a laptop), each with its own token."""
    return [token_create(actor=world.users["teacher"], name=n)[1] for n in ("tablet", "laptop")]


@pytest.fixture
def lessons(jw):
    return list(jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25)))


def _new_mark(world, jw, lesson, student=0, value=3) -> Mark:
    return records.mark_create(
        actor=world.users["teacher"], lesson=lesson, student=jw.students[student], value=value
    )


def _send(base: str, token: str, method: str, path: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{base}/api/v1{path}",
        data=json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept-Language": "en",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _all_at_once(calls: list[tuple[str, str, str, dict[str, Any]]], base: str) -> list[int]:
    """Send ``(token, method, path, body)`` calls from parallel threads that start together."""
    barrier = threading.Barrier(len(calls))

    def one(call):
        barrier.wait()
        return _send(base, *call)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


def _history(mark: Mark) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type="journal.mark", object_id=mark.pk).order_by(
            "created_at", "id"
        )
    )


def _value_chain_breaks(entries: list[AuditEntry]) -> list[tuple[Any, Any]]:
    """The pairs (previous entry's new value, this entry's old value) that differ."""
    breaks = []
    current = None
    for entry in entries:
        pair = entry.changes.get("value")
        if pair is None:
            continue
        old, new = pair
        if old != current:
            breaks.append((current, old))
        current = new
    return breaks


@parallel
def test_parallel_corrections_keep_an_unbroken_history(live_server, world, jw, tokens, lessons):
    marks = [_new_mark(world, jw, lesson) for lesson in lessons[:3]]

    for mark in marks:  # three runs of 20 parallel corrections from two clients
        calls = [
            (
                tokens[i % 2],
                "PATCH",
                f"/journal/marks/{mark.pk}",
                {"value": 1 + i % 5, "reason": f"correction {i}"},
            )
            for i in range(PARALLEL)
        ]
        statuses = _all_at_once(calls, live_server.url)

        assert statuses == [200] * PARALLEL
        entries = _history(mark)
        assert [e.action for e in entries[:1]] == ["journal.mark.create"]
        assert _value_chain_breaks(entries) == []
        mark.refresh_from_db()
        assert mark.value == entries[-1].changes["value"][1]


@parallel
def test_a_mark_deleted_during_corrections_stays_as_it_was_deleted(
    live_server, world, jw, tokens, lessons
):
    marks = [_new_mark(world, jw, lesson, student=1, value=5) for lesson in lessons[:3]]

    for mark in marks:  # three delete-against-edit races
        path = f"/journal/marks/{mark.pk}"
        calls = [(tokens[0], "DELETE", path, {"reason": "entered for the wrong student"})]
        calls += [
            (tokens[1 - i % 2], "PATCH", path, {"value": 1 + i % 4, "reason": f"fix {i}"})
            for i in range(PARALLEL - 1)
        ]
        statuses = _all_at_once(calls, live_server.url)

        assert statuses[0] == 200
        assert set(statuses[1:]) <= {200, 409, 422}
        entries = _history(mark)
        actions = [e.action.rsplit(".", 1)[-1] for e in entries]
        assert actions.count("delete") == 1
        assert actions[-1] == "delete"  # nothing changed the mark after its deletion
        assert _value_chain_breaks(entries[:-1]) == []
        value_when_deleted = entries[-1].changes["value"][0]
        mark.refresh_from_db()
        assert mark.is_deleted
        assert mark.value == value_when_deleted


# --- the same decisions without threads (on SQLite too): a writer that read the mark before
# another one changed it decides on the mark as it is now, not on its stale copy ------------


def test_correction_of_a_stale_copy_records_the_current_old_value(world, jw, lessons):
    teacher = world.users["teacher"]
    mark = _new_mark(world, jw, lessons[0], value=3)
    stale = Mark.objects.get(pk=mark.pk)
    records.mark_update(actor=teacher, mark=mark, value=4, reason="first")

    records.mark_update(actor=teacher, mark=stale, value=5, reason="second")

    entries = _history(mark)
    assert [e.changes["value"] for e in entries] == [[None, 3], [3, 4], [4, 5]]
    assert _value_chain_breaks(entries) == []


def test_correction_of_a_stale_copy_of_a_deleted_mark_is_refused(world, jw, lessons):
    teacher = world.users["teacher"]
    mark = _new_mark(world, jw, lessons[0], value=3)
    stale = Mark.objects.get(pk=mark.pk)
    records.mark_delete(actor=teacher, mark=mark, reason="wrong student")

    with pytest.raises(ValidationError) as refused:
        records.mark_update(actor=teacher, mark=stale, value=5, reason="late fix")

    assert refused.value.code == "deleted"
    mark.refresh_from_db()
    assert (mark.is_deleted, mark.value) == (True, 3)
    assert [e.action for e in _history(mark)][-1] == "journal.mark.delete"


def test_deleting_a_stale_copy_records_the_value_it_had(world, jw, lessons):
    teacher = world.users["teacher"]
    mark = _new_mark(world, jw, lessons[0], value=3)
    stale = Mark.objects.get(pk=mark.pk)
    records.mark_update(actor=teacher, mark=mark, value=2, reason="recount")

    records.mark_delete(actor=teacher, mark=stale, reason="wrong student")
    records.mark_delete(actor=teacher, mark=stale, reason="twice")

    entries = _history(mark)
    assert [e.action.rsplit(".", 1)[-1] for e in entries] == ["create", "update", "delete"]
    assert entries[-1].changes["value"] == [2, None]
    assert _value_chain_breaks(entries) == []
