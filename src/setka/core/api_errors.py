"""RFC 7807 problem documents for every API error: never an HTML page, never a bare 500.

Every error of the API is ``application/problem+json``::

    {"type": "about:blank", "title": "Invalid input", "status": 422,
     "detail": "Some fields are invalid.", "instance": "/api/v1/people/7",
     "errors": [{"field": "birth_date", "message": "Enter a valid date…", "code": "date_parsing"}]}

Messages are in the language of the request (``Accept-Language``, via LocaleMiddleware),
including the messages of pydantic's validation errors, which are mapped here to our own
translated strings. This module also holds the input types the API schemas share, so that
bad input fails as a clear 422 before it reaches the database.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from . import dates, names

logger = logging.getLogger("setka.api")

PROBLEM = "application/problem+json"
MAX_ID = 2**53  # larger ids cannot exist; bigger numbers would overflow SQLite's integers


# --- problem documents --------------------------------------------------------------------


class FieldErrorOut(Schema):
    field: str | None = Field(
        description="The input field (dotted path), or null for the request as a whole."
    )
    message: str = Field(description="What is wrong, in the language of the request.")
    code: str = Field(description="A stable machine-readable code, e.g. `missing`.")


class ProblemOut(Schema):
    """An RFC 7807 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldErrorOut] | None = None


class ApiProblem(Exception):  # noqa: N818 - it is a response, not a failure of the code
    """Raise from an endpoint to answer with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    title: str,
    detail: str = "",
    *,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    body["instance"] = request.path
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


def errors_for(*codes: int) -> dict[int, type[ProblemOut]]:
    """``response={200: X, **errors_for(401, 404)}``: document the problems an endpoint gives."""
    return dict.fromkeys(codes, ProblemOut)


# --- validation messages ------------------------------------------------------------------

# The number decides the noun's form (ngettext): «не больше 1 символа», «… 200 символов».
_TOO_LONG = ngettext_lazy(
    "Too long: at most %(max_length)s character is allowed.",
    "Too long: at most %(max_length)s characters are allowed.",
    "max_length",
)

# pydantic's messages are English only: ours are translated. Keys are pydantic error types.
_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Enter text."),
    "string_too_short": gettext_lazy("This field cannot be empty."),
    "too_short": gettext_lazy("This field cannot be empty."),
    "string_too_long": _TOO_LONG,
    "too_long": _TOO_LONG,
    "string_pattern_mismatch": gettext_lazy("The value has a wrong format."),
    "null_character": gettext_lazy("The text contains a forbidden null character."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "float_type": gettext_lazy("Enter a number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "decimal_type": gettext_lazy("Enter a number."),
    "finite_number": gettext_lazy("Enter a number."),
    "decimal_max_digits": gettext_lazy("Too many digits in the number."),
    "decimal_max_places": gettext_lazy(
        "Too many digits after the decimal point: at most %(decimal_places)s."
    ),
    "decimal_whole_digits": gettext_lazy("Too many digits before the decimal point."),
    "greater_than_equal": gettext_lazy("The value must be at least %(ge)s."),
    "greater_than": gettext_lazy("The value must be greater than %(gt)s."),
    "less_than_equal": gettext_lazy("The value must be at most %(le)s."),
    "less_than": gettext_lazy("The value must be less than %(lt)s."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "date_parsing": gettext_lazy("Enter a real date in the form YYYY-MM-DD."),
    "date_type": gettext_lazy("Enter a real date in the form YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Enter a real date in the form YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Enter a date without a time."),
    "date_out_of_range": gettext_lazy("Enter a date between the years %(min)d and %(max)d."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "model_type": gettext_lazy("Send a JSON object."),
    "model_attributes_type": gettext_lazy("Send a JSON object."),
    "dict_type": gettext_lazy("Send a JSON object."),
    "list_type": gettext_lazy("Send a list."),
    "extra_forbidden": gettext_lazy("Unknown field: check its name."),
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
    "body_invalid": gettext_lazy(
        "The request body cannot be read: send JSON (Content-Type: application/json)."
    ),
}
#: ``too_short`` / ``too_long`` of a list (not of a text)
_ITEMS_MESSAGES = {
    "too_short": gettext_lazy("Too few items: at least %(min_length)s are needed."),
    "too_long": gettext_lazy("Too many items: at most %(max_length)s are allowed."),
}
_SOURCES = ("body", "payload", "query", "path", "header", "cookie", "form", "ninja_pagination")


def _message(err: dict[str, Any]) -> str:
    code = err.get("type", "")
    ctx = {k: v for k, v in (err.get("ctx") or {}).items() if not isinstance(v, Exception)}
    if isinstance(ctx.get("expected"), str):  # "'a', 'b' or 'c'": no English in the list
        ctx["expected"] = ctx["expected"].replace(" or ", ", ")
    template = _MESSAGES.get(code)
    if code in _ITEMS_MESSAGES and ctx.get("field_type") in ("List", "Tuple", "Set", "Dict"):
        template = _ITEMS_MESSAGES[code]
    if template is _TOO_LONG and "max_length" in ctx:  # the number picks the plural form
        return str(_TOO_LONG % ctx)
    if template is not None:
        try:
            return str(template) % ctx if "%(" in str(template) else str(template)
        except (KeyError, TypeError, ValueError):
            return str(template)
    if code == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    if isinstance(ctx.get("message"), str):  # our own validators word their errors
        return ctx["message"]
    return _("The value is not valid.")


def ninja_errors(exc: NinjaValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in _SOURCES]
        code = str(err.get("type", "invalid"))
        out.append({"field": ".".join(loc) or None, "message": _message(err), "code": code})
    return out


def django_validation_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    out.append(
                        {
                            "field": None if field == "__all__" else field,
                            "message": str(message),
                            "code": error.code or "invalid",
                        }
                    )
    else:
        for error in exc.error_list:
            out.extend(
                {"field": None, "message": str(m), "code": error.code or "invalid"}
                for m in error.messages
            )
    return out


# --- shared input types -------------------------------------------------------------------


def _no_null_character(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("null_character", "The text contains a null character.")
    return value


# A trimmed string without NUL bytes; add the limits where it is used:
# ``surname: Annotated[Text, Field(min_length=1, max_length=100)]``.
Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_no_null_character)]

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _bounded_date(value: dt.date) -> dt.date:
    if not dates.in_range(value):
        raise PydanticCustomError(
            "date_out_of_range",
            "The year is out of range.",
            {"min": dates.MIN_YEAR, "max": dates.MAX_YEAR},
        )
    return value


# A date of the years Setka works with (``core.dates``: 1900–2100).
Day = Annotated[dt.date, AfterValidator(_bounded_date)]


def _person_name(value: str) -> str:
    problem = names.name_problem(value)
    if problem is not None:
        code, message = problem
        raise PydanticCustomError(code, "{message}", {"message": message})
    return value


# A person's name (``core.names``): no invisible characters, no leading formula character.
PersonName = Annotated[Text, AfterValidator(_person_name)]


# --- handlers -----------------------------------------------------------------------------


def _invalid(api: NinjaAPI, request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    return problem(
        api, request, 422, _("Invalid input"), _("Some fields are invalid."), errors=errors
    )


def _body_invalid(api: NinjaAPI, request: HttpRequest) -> HttpResponse:
    message = str(_MESSAGES["body_invalid"])
    return _invalid(api, request, [{"field": None, "message": message, "code": "body_invalid"}])


def _too_large(api: NinjaAPI, request: HttpRequest) -> HttpResponse:
    limit = (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / (1024 * 1024)
    return problem(
        api,
        request,
        413,
        _("Request too large"),
        _("The request body is larger than %(mb)s MB. Send less at a time.") % {"mb": f"{limit:g}"},
    )


def _unreadable_multipart(request: HttpRequest) -> bool:
    """A ``multipart/form-data`` body Django could not parse: no boundary, or a bad one (the
    parser checks both on creation, before reading anything)."""
    if request.content_type != "multipart/form-data":
        return False
    try:
        MultiPartParser(request.META, io.BytesIO(), request.upload_handlers, request.encoding)
    except MultiPartParserError:
        return True
    return False


def request_guard(api: NinjaAPI, request: HttpRequest) -> HttpResponse | None:
    """Before an endpoint of the API runs (and before its authentication reads the body): a
    body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413, a multipart body Django cannot
    parse 422 — problem documents, never a 500."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if limit is not None and length > limit:
        return _too_large(api, request)
    if _unreadable_multipart(request):
        return _body_invalid(api, request)
    return None


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc):
        return _invalid(api, request, ninja_errors(exc))

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc):
        return _invalid(api, request, django_validation_errors(exc))

    @api.exception_handler(ApiProblem)
    def on_problem(request, exc):
        response = problem(api, request, exc.status, exc.title, exc.detail, errors=exc.errors)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        response = problem(
            api,
            request,
            401,
            _("Authentication required"),
            _("Sign in, or pass a valid API token: Authorization: Bearer stk_…"),
        )
        response["WWW-Authenticate"] = 'Bearer realm="setka"'
        return response

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return problem(
            api,
            request,
            404,
            _("Not found"),
            _("There is no such object, or it is not available to you."),
        )

    @api.exception_handler(PermissionDenied)
    def on_403(request, exc):
        return problem(
            api, request, 403, _("Forbidden"), _("You do not have the rights for this action.")
        )

    # ``request_guard`` answers these before an endpoint runs; a body read later (without a
    # Content-Length, say) still gets the same answers.
    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return _too_large(api, request)

    @api.exception_handler(MultiPartParserError)
    def on_bad_multipart(request, exc):
        return _body_invalid(api, request)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        if exc.status_code == 400 and str(exc.message).startswith("Cannot parse request body"):
            message = str(_MESSAGES["json_invalid"])
            return _invalid(
                api, request, [{"field": None, "message": message, "code": "json_invalid"}]
            )
        if exc.status_code == 429:
            return problem(
                api, request, 429, _("Too many requests"), _("Wait a little and try again.")
            )
        return problem(api, request, exc.status_code, _("Request error"), str(exc.message))

    @api.exception_handler(Exception)
    def on_error(request, exc):  # pragma: no cover - reached only by a bug
        logger.exception("Unhandled API error on %s", request.path)
        return problem(
            api,
            request,
            500,
            _("Server error"),
            _("Something went wrong on the server. The error is logged; try again later."),
        )
