from __future__ import annotations

from setka.core.nav import menu
from setka.network.roles import user_roles


def setka(request) -> dict:
    roles = user_roles(getattr(request, "user", None))
    return {"setka_nav": menu(request, roles), "setka_roles": roles}
