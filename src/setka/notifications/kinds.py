"""The kinds of events the notification centre knows, each registered by its domain.

A kind has a key (``journal.mark.created``), the group it is listed under on the settings
page, a label, the channel a person gets until they choose another, and a title built from
the notification's ``data`` in the reader's language. A domain registers its kinds in its
``notify.py`` (imported by its app config), and publishes with :func:`services.publish`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from .models import Channel


@dataclass(frozen=True)
class Kind:
    key: str
    group: str | Promise
    label: str | Promise
    title: Callable[[Mapping[str, Any]], str]
    default: str = Channel.IN_APP
    # Kinds a person cannot turn away from e-mail (e.g. a security notice) set this.
    email_always: bool = False

    def render(self, data: Mapping[str, Any]) -> str:
        try:
            return self.title(data)
        except (KeyError, TypeError, ValueError):
            # Data written by an older version of the kind: show the label, never fail.
            return str(self.label)


REGISTRY: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    for kind in kinds:
        if kind.key in REGISTRY and REGISTRY[kind.key] != kind:
            raise ValueError(f"notification kind {kind.key!r} is registered twice")
        REGISTRY[kind.key] = kind


def get(key: str) -> Kind | None:
    return REGISTRY.get(key)


def title_of(key: str, data: Mapping[str, Any]) -> str:
    kind = REGISTRY.get(key)
    return kind.render(data) if kind else key


def grouped() -> list[tuple[str, list[Kind]]]:
    """The kinds by group, in the order they were registered (for the settings page)."""
    groups: dict[str, list[Kind]] = {}
    for kind in REGISTRY.values():
        groups.setdefault(str(kind.group), []).append(kind)
    return list(groups.items())
