"""The bell in the header: the unread count comes with every page (from the cache, warmed at
sign-in and forgotten when it changes: a query only after a change), so that
nothing has to poll for it; the bell refreshes itself at most once a minute."""

from __future__ import annotations

from setka.network.roles import user_roles

from .selectors import unread_count


def bell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    person_id = user_roles(user).person_id
    if person_id is None:
        return {}
    return {"notifications_unread": unread_count(person_id), "notifications_on": True}
