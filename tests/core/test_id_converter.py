"""Ids in page addresses: one converter (``<id:…>``) for every URL pattern of every app, which
answers an id no database integer can hold with 404 instead of a 500."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from setka.core.converters import DB_INT_MAX, IdConverter


def _routes(patterns, prefix: str = ""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p


def _page_routes():
    return [
        (route, p)
        for route, p in _routes(get_resolver().url_patterns)
        if not route.startswith(("api/", "django-admin/"))
    ]


def test_no_url_pattern_uses_the_unbounded_int_converter():
    unbounded = [
        route
        for route, p in _routes(get_resolver().url_patterns)
        if any(isinstance(c, IntConverter) for c in p.pattern.converters.values())
    ]

    assert unbounded == []


def _id_routes() -> list[str]:
    return sorted(
        route
        for route, p in _page_routes()
        if any(isinstance(c, IdConverter) for c in p.pattern.converters.values())
    )


def test_the_pages_take_ids_through_the_id_converter():
    assert "journal/<id:group_id>/<id:subject_id>/" in _id_routes()
    assert len(_id_routes()) > 40


def _path(route: str, number: int) -> str:
    path = re.sub(r"<id:\w+>", str(number), route)
    path = re.sub(r"<slug:\w+>", "marks", path)
    return "/" + re.sub(r"<str:\w+>", "xlsx", path)


@pytest.mark.parametrize("route", _id_routes())
def test_an_id_beyond_the_database_range_is_404(client_for, route):
    client = client_for("admin")

    for number in (2**64, 2**63, 0):
        assert client.get(_path(route, number)).status_code == 404, number
    assert client.post(_path(route, 2**64)).status_code == 404


def test_the_largest_id_is_an_ordinary_missing_object(client_for, world):
    client = client_for("teacher")

    assert client.get(f"/journal/{DB_INT_MAX}/{DB_INT_MAX}/").status_code == 404
    assert client.get(f"/journal/lessons/{DB_INT_MAX}/").status_code == 404


@pytest.mark.parametrize("raw", ["1", "42", str(DB_INT_MAX)])
def test_id_converter_reads_database_ids(raw):
    assert IdConverter().to_python(raw) == int(raw)
    assert IdConverter().to_url(int(raw)) == raw


@pytest.mark.parametrize("raw", ["0", str(DB_INT_MAX + 1), str(2**64)])
def test_id_converter_refuses_what_no_row_can_have(raw):
    with pytest.raises(ValueError, match=raw):
        IdConverter().to_python(raw)
