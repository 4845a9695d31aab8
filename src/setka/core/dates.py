"""Dates typed by people and sent by programs: one parser, with bounded years.

A date such as 9999-12-31 or 0001-01-01 is a valid ``datetime.date``, but the day after (or
before) it is not: a page that shows the next day, or a diary that adds six days, failed with
a 500. Setka works with dates of 1900–2100 only. Pages parse ``?date=`` with
:func:`parse_date`, forms use :class:`DateField`, the API's schemas :data:`Day` (in
``core.api_errors``), and all of them refuse a year outside :data:`MIN_YEAR`–:data:`MAX_YEAR`
with the same message."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_YEAR = 1900
MAX_YEAR = 2100
#: ISO (what a date input and the API send) and the Russian DD.MM.YYYY (what a person types).
FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


def in_range(day: dt.date) -> bool:
    return MIN_YEAR <= day.year <= MAX_YEAR


def range_message() -> str:
    return _("Enter a date between the years %(min)d and %(max)d.") % {
        "min": MIN_YEAR,
        "max": MAX_YEAR,
    }


def read_date(raw: object) -> dt.date | None:
    """``2026-11-26`` or ``26.11.2026`` → the date; None for empty text. Raises ValueError
    with a message for a person for anything else: not a date, or a year outside
    :data:`MIN_YEAR`–:data:`MAX_YEAR`."""
    text = str(raw or "").strip()
    if not text:
        return None
    for fmt in FORMATS:
        try:
            day = dt.datetime.strptime(text[:40], fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
        if not in_range(day):
            raise ValueError(range_message())
        return day
    raise ValueError(
        _("“%(value)s” is not a date. Choose the day in the calendar or type it as 26.11.2026.")
        % {"value": text[:40]}
    )


def parse_date(raw: object) -> dt.date | None:
    """:func:`read_date` for a page that falls back to its default day: None for empty text,
    not a date, or a year out of range."""
    try:
        return read_date(raw)
    except ValueError:
        return None


def validate_date(day: dt.date | None) -> None:
    """A validator of Django's fields: the year within the range."""
    if day is not None and not in_range(day):
        raise ValidationError(range_message(), code="date_out_of_range")


class DateField(forms.DateField):
    """Django's date field with the years bounded."""

    default_validators = [validate_date]
