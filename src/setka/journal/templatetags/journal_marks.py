"""Template helpers of the marks' deletion rule (``services.deletion``): the free-deletion
window in minutes, and whether a deleted mark can still be brought back by its deleter."""

from __future__ import annotations

from django import template

from ..services import deletion

register = template.Library()


@register.simple_tag
def free_delete_minutes() -> int:
    return deletion.free_delete_minutes()


@register.filter
def can_undo(mark, user) -> bool:
    return deletion.restorable(user, mark)
