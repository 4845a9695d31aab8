"""Fetch-and-authorize for the schedule builder: a schedule (and its items) belongs to the
methodologists and municipal administrators of its municipality; anyone else, and a missing
one, gets 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from setka.network.roles import user_roles

from . import rules
from .models import Item, Run, Schedule


def builder_municipality(user) -> int:
    """The municipality whose schedules the user builds (403 for anyone else)."""
    municipalities = rules.builds_for(user_roles(user))
    if not municipalities:
        raise PermissionDenied
    return min(municipalities)


def schedule_for_user(user, pk: int, *, lock: bool = False) -> Schedule:
    qs = Schedule.objects.filter(pk=pk, municipality_id__in=rules.builds_for(user_roles(user)))
    found = (qs.select_for_update() if lock else qs).first()
    if found is None:
        raise Http404
    return found


def item_for_user(user, pk: int) -> Item:
    found = (
        Item.objects.select_related("schedule", "subject", "host", "group", "venue")
        .filter(pk=pk, schedule__municipality_id__in=rules.builds_for(user_roles(user)))
        .first()
    )
    if found is None:
        raise Http404
    return found


def run_for_user(user, pk: int) -> Run:
    found = (
        Run.objects.select_related("schedule")
        .filter(pk=pk, schedule__municipality_id__in=rules.builds_for(user_roles(user)))
        .first()
    )
    if found is None:
        raise Http404
    return found
