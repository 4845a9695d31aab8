"""What every page's layout (``base.html``) needs: the menu, the roles, and the layout's own
addresses and static files. The addresses and the static files' names do not change while
the process runs (the URLs are fixed, the static manifest is read once), so they are worked
out once per script prefix rather than by a dozen ``{% url %}`` and ``{% static %}`` tags on
every page."""

from __future__ import annotations

import functools

from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

from setka.core.nav import menu
from setka.network.roles import user_roles

_LINKS = {
    "home": "home",
    "profile": "accounts:profile",
    "login": "accounts:login",
    "logout": "accounts:logout",
    "set_language": "set_language",
    "directory": "network:directory",
    "api": "api-1:openapi-view",
    "notifications": "notifications:list",
    "bell": "notifications:bell",
}
_STATIC = {
    "pico": "vendor/pico.min.css",
    "css": "setka/setka.css",
    "icon": "setka/favicon.svg",
    "htmx": "vendor/htmx.min.js",
    "js": "setka/setka.js",
}


@functools.cache
def layout_links(prefix: str) -> dict[str, dict[str, str]]:
    return {
        "url": {key: reverse(name) for key, name in _LINKS.items()},
        "static": {key: static(path) for key, path in _STATIC.items()},
    }


def setka(request) -> dict:
    roles = user_roles(getattr(request, "user", None))
    return {
        "setka_nav": menu(request, roles),
        "setka_roles": roles,
        "setka_layout": layout_links(get_script_prefix()),
    }
