from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from setka.network.roles import user_roles


@dataclass
class NavItem:
    label: str
    url: str
    current: bool = False


def setka(request) -> dict:
    user = getattr(request, "user", None)
    roles = user_roles(user)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        items.append((_("Home"), reverse("home")))
    if roles.teacher_of or roles.admin_of:  # class teachers are teachers too
        items.append((_("Journal"), reverse("journal:index")))
    if roles.student_of or roles.children:
        items.append((_("Diary"), reverse("journal:diary")))
    items.append((_("Institutions"), reverse("network:directory")))
    items.append((_("Events"), reverse("events:list")))  # the municipal calendar: public
    items.append((_("Courses"), reverse("programs:catalogue")))  # the network's offers: public
    if roles.admin_of or roles.teacher_of or roles.is_registry_manager:  # who books and lends
        items.append((_("Resources"), reverse("resources:catalogue")))
    if roles.admin_of or roles.is_registry_manager:  # who answers and who runs the survey
        items.append((_("Readiness"), reverse("readiness:index")))
    if roles.is_registry_manager:  # who builds the municipal schedule of open lessons, webinars
        items.append((_("Schedules"), reverse("schedule:list")))
    if roles.is_registry_manager:
        items.append((_("Registry"), reverse("network:manage_institutions")))
    if roles.is_municipal_admin:
        items.append((_("Municipal roles"), reverse("network:municipal_roles")))
    path = request.path
    nav = [NavItem(str(label), url) for label, url in items]
    # The item whose address is the longest prefix of this page is the current one.
    matching = [n for n in nav if path == n.url or (n.url != "/" and path.startswith(n.url))]
    if matching:
        max(matching, key=lambda n: len(n.url)).current = True
    return {"setka_nav": nav, "setka_roles": roles}
