"""How a service's ``ValidationError`` is told, once for the pages and the API.

The API answers RFC 7807 problem documents (``core.api_errors``); the grid's JSON endpoints
(a cell, a period or year mark, typed by the page's own script) answer
``{"ok": false, "error": message, "code": code}``. The two shapes differ on purpose: the
page's script is not a public contract and shows ``error`` as it is, while the API's clients
read ``errors[].field``. What they share is decided here: the message and the code of every
error (``FIELD_CODES`` for the errors that lost theirs)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse

#: A ValidationError built from a dict loses its code: name it after the field instead.
FIELD_CODES = {
    "student": "not_in_group",
    "value": "bad_value",
    "passed": "bad_value",
    "code": "bad_code",
    "kind": "bad_kind",
    "period": "bad_period",
    "reason": "reason_required",
}


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def error_code(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for e in errors:
                if e.code:
                    return str(e.code)
            return FIELD_CODES.get(name, "invalid")
    elif hasattr(exc, "error_list"):
        for e in exc.error_list:
            if e.code:
                return str(e.code)
    return str(getattr(exc, "code", "") or "invalid")


def json_error(message: str, status: int = 400, code: str = "invalid") -> JsonResponse:
    """The grid's JSON answer to a refused write (see the module's docstring)."""
    return JsonResponse({"ok": False, "error": message, "code": code}, status=status)
