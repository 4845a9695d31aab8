"""Small template helpers of the programmes: the times of classes as people write them."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

WEEKDAYS = {
    1: _("Mon"),
    2: _("Tue"),
    3: _("Wed"),
    4: _("Thu"),
    5: _("Fri"),
    6: _("Sat"),
    7: _("Sun"),
}


@register.filter
def slot_text(slot) -> str:
    """«Вт 15:00–16:30» or «12 декабря 10:00–12:00»."""
    when = str(WEEKDAYS.get(slot.weekday, "")) if slot.weekday else date_format(slot.date, "j E")
    return f"{when} {slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}"
