import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def moment(value: str | None):
    """An ISO moment stored in a changelog entry, in local time (None for nothing)."""
    if not value:
        return None
    try:
        return timezone.localtime(dt.datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return None
