"""The one place that asks the learning module (teachers' professional development) for
courses. Until that module exists (DESIGN.md §2, module 6) it suggests none, and the
recommendations of a skill gap advise planning training in general terms."""

from __future__ import annotations

import importlib

from django.apps import apps


def courses_for(skill: str) -> list[dict[str, str]]:
    """Courses that teach ``skill`` (a ``Skill`` value): ``[{"title": …, "url": …}]``."""
    if not apps.is_installed("setka.learning"):
        return []
    try:
        selectors = importlib.import_module("setka.learning.selectors")
    except ImportError:
        return []
    find = getattr(selectors, "courses_for_skill", None)
    if find is None:
        return []
    return [{"title": str(c["title"]), "url": str(c["url"])} for c in find(skill)]
