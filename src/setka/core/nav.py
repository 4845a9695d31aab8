"""The top menu: each role's own tools, built from the roles the request already knows (no
query of its own), and the menu's ways into an institution's tools (``/go/<tool>/``) that
need the institution's address: one institution goes straight there, several are listed.

Every entry is a page the person may open: ``tests/core/test_menu.py`` walks the menu of
every role and expects 200."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from setka.core.clock import today
from setka.network.roles import UserRoles

# How many entries the wide bar shows before «More»; the phone has one «Menu» with all.
WIDE_ENTRIES = 6


@dataclass
class NavItem:
    label: str
    url: str
    current: bool = False


def menu_items(user, roles: UserRoles) -> list[tuple[str | Promise, str]]:
    """(label, address) of the menu, the role's own tools first, the public pages last."""
    items: list[tuple[str | Promise, str]] = []
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        items.append((_("Home"), reverse("home")))
    if roles.teacher_of or roles.admin_of:  # class teachers are teachers too
        items.append((_("Journal"), reverse("journal:index")))
    if roles.student_of or roles.children:
        items.append((_("Diary"), reverse("journal:diary")))
    if roles.admin_of or roles.is_registry_manager:
        items.append((_("Reports"), reverse("journal:report_index")))
    if roles.admin_of:
        items.append((_("People"), reverse("go", args=["people"])))
        items.append((_("Timetable"), reverse("go", args=["timetable"])))
    if roles.admin_of or roles.is_municipal_admin:
        items.append((_("Structure"), reverse("journal:structure_index")))
    if roles.is_registry_manager:
        items.append((_("Registry"), reverse("network:manage_institutions")))
        # The municipal schedule of open lessons and webinars (the schedule builder).
        items.append((_("Schedules of events"), reverse("schedule:list")))
    if roles.admin_of or roles.is_registry_manager or roles.teacher_of:
        # Directors answer the survey, teachers assess themselves, the ИМЦ runs it.
        items.append((_("Readiness"), reverse("readiness:index")))
    if roles.admin_of:
        items.append((_("Our courses"), reverse("programs:manage")))
    if roles.admin_of or roles.is_registry_manager or roles.teacher_of:
        items.append((_("Agreements"), reverse("programs:agreements")))
    if roles.student_of or roles.children or roles.admin_of:
        items.append((_("Applications"), reverse("programs:applications")))
    if roles.admin_of or roles.teacher_of or roles.is_registry_manager:  # who books and lends
        items.append((_("Resources"), reverse("resources:catalogue")))
    if roles.is_municipal_admin:
        items.append((_("Municipal roles"), reverse("network:municipal_roles")))
    if signed_in:
        items.append((_("My events"), reverse("events:my")))
    items.append((_("Events"), reverse("events:list")))  # the municipal calendar: public
    items.append((_("Courses"), reverse("programs:catalogue")))  # the network's offers: public
    items.append((_("Institutions"), reverse("network:directory")))
    return items


def menu(request: HttpRequest, roles: UserRoles) -> list[NavItem]:
    user = getattr(request, "user", None)
    nav = [NavItem(str(label), url) for label, url in menu_items(user, roles)]
    # The item whose address is the longest prefix of this page is the current one.
    path = request.path
    matching = [n for n in nav if path == n.url or (n.url != "/" and path.startswith(n.url))]
    if matching:
        max(matching, key=lambda n: len(n.url)).current = True
    return nav


# --- /go/<tool>/: an institution's tool from the menu ----------------------------------------


def _people(institution) -> str:
    return reverse("network:people", args=[institution.slug])


def _timetable(institution) -> str:
    """The lessons of today in the institution's current year (substitutions, moves),
    else its years."""
    from setka.journal.models import AcademicYear

    day = today()
    year = (
        AcademicYear.objects.filter(institution=institution, starts_on__lte=day, ends_on__gte=day)
        .order_by("-starts_on")
        .first()
    )
    if year is None:
        return reverse("journal:structure_years", args=[institution.slug])
    return reverse("journal:structure_day", args=[year.pk])


TOOLS: dict[str, tuple[str | Promise, Callable[[Any], str]]] = {
    "people": (_("People"), _people),
    "timetable": (_("Timetable"), _timetable),
}


@login_required
def go(request: HttpRequest, tool: str) -> HttpResponse:
    from setka.network.models import Institution
    from setka.network.roles import user_roles

    if tool not in TOOLS:
        raise Http404
    title, address = TOOLS[tool]
    roles = user_roles(request.user)
    institutions = list(Institution.objects.filter(pk__in=roles.admin_of).order_by("short_name"))
    if not institutions:
        raise Http404
    if len(institutions) == 1:
        return redirect(address(institutions[0]))
    links = [(i, address(i)) for i in institutions]
    return render(request, "menu_choose.html", {"title": title, "links": links})
