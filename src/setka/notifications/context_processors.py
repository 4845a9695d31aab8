"""The bell in the header: the unread count comes with every page (from the cache, warmed at
sign-in and forgotten when it changes: a query only after a change), so that
nothing has to poll for it; the bell refreshes itself at most once a minute."""

from __future__ import annotations

from django.urls import get_script_prefix
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.context_processors import layout_links
from setka.network.roles import user_roles

from .selectors import unread_count


def bell_context(person_id: int) -> dict:
    """What the bell shows (``jinja2/notifications/bell.html``), for the header of every page
    and for the bell's own refresh."""
    unread = unread_count(person_id)
    label = (
        ngettext("Notifications: %(counter)s unread", "Notifications: %(counter)s unread", unread)
        % {"counter": unread}
        if unread
        else _("Notifications: nothing new")
    )
    urls = layout_links(get_script_prefix())["url"]
    return {
        "notifications_unread": unread,
        "notifications_on": True,
        "setka_bell": {
            "unread": unread,
            "label": label,
            "list_url": urls["notifications"],
            "refresh_url": urls["bell"],
        },
    }


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    person_id = user_roles(user).person_id
    if person_id is None:
        return {}
    return bell_context(person_id)
