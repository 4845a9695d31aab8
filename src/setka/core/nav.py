"""The top menu: each role's own tools, built from the roles the request already knows (no
query of its own), and the menu's ways into an institution's tools (``/go/<tool>/``) that
need the institution's address: one institution goes straight there, several are listed.

Every entry is a page the person may open: ``tests/core/test_menu.py`` walks the menu of
every role and expects 200."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
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


@dataclass(frozen=True)
class MenuKey:
    """What the menu depends on: the kinds of role, not which institutions."""

    signed_in: bool
    teacher_of: bool
    admin_of: bool
    student_of: bool
    children: bool
    is_registry_manager: bool
    is_municipal_admin: bool

    @classmethod
    def of(cls, user, roles: UserRoles) -> MenuKey:
        return cls(
            signed_in=bool(user is not None and user.is_authenticated),
            teacher_of=bool(roles.teacher_of),
            admin_of=bool(roles.admin_of),
            student_of=bool(roles.student_of),
            children=bool(roles.children),
            is_registry_manager=roles.is_registry_manager,
            is_municipal_admin=roles.is_municipal_admin,
        )


def menu_items(roles: MenuKey) -> list[tuple[str | Promise, str]]:
    """(label, address) of the menu, the role's own tools first, the public pages last."""
    items: list[tuple[str | Promise, str]] = []
    signed_in = roles.signed_in
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


@functools.lru_cache(maxsize=512)
def _entries(key: MenuKey, language: str | None, prefix: str) -> tuple[tuple[str, str], ...]:
    """The menu of one kind of person in one language: the same for every page they open
    (the addresses are fixed while the process runs), so it is worked out once."""
    return tuple((str(label), url) for label, url in menu_items(key))


def menu(request: HttpRequest, roles: UserRoles) -> list[NavItem]:
    key = MenuKey.of(getattr(request, "user", None), roles)
    entries = _entries(key, get_language(), get_script_prefix())
    nav = [NavItem(label, url) for label, url in entries]
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
