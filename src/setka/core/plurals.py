"""Phrases where a number meets a noun, said once for every app: Russian chooses the noun's
form by the number (one, few, many: «1 символ», «2 символа», «5 символов»), so these go
through ``ngettext`` (``tests/core/test_plurals.py`` checks the forms for 0–200)."""

from __future__ import annotations

from django.utils.translation import ngettext


def too_long_text(limit: int) -> str:
    """The error of a text longer than ``limit`` characters."""
    return ngettext(
        "Too long: at most %(n)d character.", "Too long: at most %(n)d characters.", limit
    ) % {"n": limit}
