"""People's names (surname, given name, patronymic): one check for forms, the API's schemas,
the services and the imports.

A name may not hold invisible or control characters — Unicode's categories Cc (control),
Cf (format: zero-width spaces and joiners, right-to-left and other bidirectional overrides,
the soft hyphen), Co (private use), Cs (surrogates), Zl and Zp (line and paragraph
separators): such a name looks like another one, or reorders the text around it. Nor may it
begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, which a spreadsheet reads as a
formula (the exports neutralise them too: ``core.exports``)."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .exports import FORMULA_STARTS

FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


def name_problem(value: str) -> tuple[str, str] | None:
    """What is wrong with the name ``value`` as (code, message), or None when nothing is."""
    if not value:
        return None
    if any(unicodedata.category(c) in FORBIDDEN_CATEGORIES for c in value):
        return "name_invisible_character", _(
            "The name contains an invisible or control character (such as a zero-width space "
            "or a right-to-left mark), perhaps copied along with it. Type the name again."
        )
    if value.startswith(FORMULA_STARTS):
        return "name_formula", _("A name cannot begin with “=”, “+”, “-” or “@”.")
    return None


def validate_name(value: str) -> None:
    """A validator of Django's fields (models and forms)."""
    problem = name_problem(value)
    if problem is not None:
        code, message = problem
        raise ValidationError(message, code=code)
