"""Addresses of many objects of one kind on one page, without a ``reverse()`` each.

``reverse()`` costs tens of microseconds; a list of two dozen cards with three links each
spends more on it than on its query. ``link_pattern`` reverses a URL name once (per
process and script prefix) with a marker in place of its one argument and keeps the result
as a format string."""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, reverse

_MARK = "9182736450"  # matches <int:…>, <id:…> and <slug:…> alike


@functools.cache
def _pattern(name: str, keyword: str | None, prefix: str) -> str:
    address = reverse(name, kwargs={keyword: _MARK}) if keyword else reverse(name, args=[_MARK])
    if address.count(_MARK) != 1:
        raise ValueError(f"{name}: the marker must appear once in {address}")
    return address.replace("{", "{{").replace("}", "}}").replace(_MARK, "{}")


def link_pattern(name: str, keyword: str | None = None) -> str:
    """``"/programs/offers/{}/"`` for ``"programs:offer"``: fill it with ``.format(pk)``."""
    return _pattern(name, keyword, get_script_prefix())
