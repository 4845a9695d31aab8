"""The text of a mark, written once: «5», «зач», «нз», «н/а» (not certified)."""

from __future__ import annotations

PASSED = "зач"
FAILED = "нз"
NOT_CERTIFIED = "н/а"


def mark_text(value: int | None, passed: bool | None, not_certified: bool = False) -> str:
    if not_certified:
        return NOT_CERTIFIED
    if value is not None:
        return str(value)
    if passed is None:
        return ""
    return PASSED if passed else FAILED
