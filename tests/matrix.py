"""The rows of the permission matrix (``tests/test_permission_matrix.py``).

Each domain lists its pages and API endpoints in ``tests/<domain>/matrix.py`` as ``PAGES``
and ``API_ROWS`` (lists of :class:`Row`), and the matrix test collects them: a new module
adds its own file instead of editing the shared one. There, ``url`` takes the ``world``
and the journal's ``jw`` year: ``lambda w, j: ...``; it may create what the row needs.

Codes, one per role of ``tests.conftest.ROLES`` separated by spaces: a number is the status;
"L" a redirect to the sign-in page; "R" another redirect (the action was allowed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    name: str  # the URL name (namespace:name), or "<METHOD> <path>" for the API
    url: Callable  # world (and, in tests/<domain>/matrix.py, jw) -> url
    codes: str  # one code per role, in the order of ROLES, separated by spaces
    method: str = "get"
    data: dict | None = None
