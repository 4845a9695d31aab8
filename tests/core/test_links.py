"""core.links: a URL pattern reversed once gives what reverse() gives for each object."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from setka.core.links import link_pattern


@pytest.mark.parametrize("pk", [1, 42, 9182736450123])
def test_the_pattern_gives_what_reverse_gives(pk):
    assert link_pattern("programs:offer").format(pk) == reverse("programs:offer", args=[pk])
    assert link_pattern("events:detail").format(pk) == reverse("events:detail", args=[pk])


def test_a_keyword_argument_and_a_slug():
    pattern = link_pattern("network:institution", "slug")
    assert pattern.format("school-3") == reverse("network:institution", kwargs={"slug": "school-3"})


def test_the_script_prefix_is_part_of_the_key():
    try:
        set_script_prefix("/setka/")
        assert link_pattern("programs:offer").format(5) == "/setka/programs/offers/5/"
    finally:
        set_script_prefix("/")
    assert link_pattern("programs:offer").format(5) == "/programs/offers/5/"
