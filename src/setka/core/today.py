"""«Сегодня»: each role's home is built from blocks that the domains contribute.

A domain registers providers in its ``today.py`` (imported by its app config)::

    @today.block(order=20)
    def upcoming_events(request, roles) -> today.Block | None:
        if not roles.teacher_of:
            return None
        return today.Block("events", "events/today/upcoming.html", {"events": ...})

A provider answers ``None`` when it has nothing for this person (and should ask nothing of
the database then). Providers read what they need in a constant number of queries,
whatever the number of children, groups or lessons; the home's query-budget test holds
them to it. The blocks show in ``order``; the journal's blocks use 10–40, the coming
modules 50 and later."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Block:
    key: str  # unique on the page; also the id of its section
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


Provider = Callable[[HttpRequest, Any], Block | None]
_PROVIDERS: list[tuple[int, str, Provider]] = []


def block(*, order: int) -> Callable[[Provider], Provider]:
    def register(provider: Provider) -> Provider:
        name = f"{provider.__module__}.{provider.__qualname__}"
        if all(existing != name for _, existing, _p in _PROVIDERS):
            _PROVIDERS.append((order, name, provider))
            _PROVIDERS.sort(key=lambda item: (item[0], item[1]))
        return provider

    return register


def blocks_for(request: HttpRequest, roles: Any) -> list[Block]:
    out = []
    for order, _name, provider in _PROVIDERS:
        found = provider(request, roles)
        if found is not None:
            found.order = order
            out.append(found)
    return out
