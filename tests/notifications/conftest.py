"""Notifications of the ``world``: ``note_for("parent", ...)`` publishes one for a role."""

from __future__ import annotations

import pytest

from setka.notifications import kinds
from setka.notifications.models import Channel
from setka.notifications.services import publish

TEST_KIND = "test.ping"
if TEST_KIND not in kinds.REGISTRY:
    kinds.register(
        kinds.Kind(TEST_KIND, "Tests", "A test ping", lambda d: f"Ping {d['n']}"),
        kinds.Kind(
            "test.security", "Tests", "A security notice", lambda d: "Security",
            default=Channel.EMAIL, email_always=True,
        ),
    )  # fmt: skip


@pytest.fixture
def note_for(world):
    def make(role: str, n: int = 1, **extra):
        person = world.people[role]
        return publish(
            TEST_KIND,
            recipients=[person],
            municipality_id=world.municipality.pk,
            data={"n": n},
            url=extra.pop("url", "/journal/diary/"),
            **extra,
        )[0]

    return make
