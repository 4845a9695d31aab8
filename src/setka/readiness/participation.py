"""Setka's own data on each institution's network activity: the one place where the readiness
survey reads other modules (docs/readiness-index.md, "Setka's own participation data").

Each source is a function ``(institution_ids, since, until) -> {institution_id: count}`` of a
constant number of queries; a source whose module is not installed is not offered, so it
counts neither for nor against an institution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.apps import apps
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy

from .index import Participation

Source = Callable[[list[int], dt.date, dt.date], dict[int, int]]
WINDOW_DAYS = 365
LABELS = {
    "network_groups_hosted": gettext_lazy("network programme groups taught"),
    "network_groups_joined": gettext_lazy(
        "network programme groups of other institutions that its students attend"
    ),
    "agreements": gettext_lazy("network agreements"),
    "offers": gettext_lazy("offers in the catalogue of network programmes"),
    "events": gettext_lazy("municipal events organised or attended"),
}


def lines(participation: Participation) -> list[tuple[str, int]]:
    """What a page shows: each source Setka has, in words, with its count."""
    return [(str(LABELS.get(s, s)), participation.counts.get(s, 0)) for s in participation.sources]


def _network_groups_hosted(ids: list[int], since: dt.date, until: dt.date) -> dict[int, int]:
    from setka.journal.models import StudyGroup

    rows = (
        StudyGroup.objects.filter(
            kind=StudyGroup.Kind.NETWORK,
            institution_id__in=ids,
            year__starts_on__lte=until,
            year__ends_on__gte=since,
        )
        .values("institution_id")
        .annotate(n=Count("id"))
    )
    return {r["institution_id"]: r["n"] for r in rows}


def _network_groups_joined(ids: list[int], since: dt.date, until: dt.date) -> dict[int, int]:
    """Network groups of other institutions that the institution's students attend."""
    from setka.journal.models import GroupMember, StudyGroup

    rows = (
        GroupMember.objects.filter(
            home_institution_id__in=ids,
            group__kind=StudyGroup.Kind.NETWORK,
            starts_on__lte=until,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .exclude(group__institution_id=F("home_institution_id"))
        .values("home_institution_id")
        .annotate(n=Count("group_id", distinct=True))
    )
    return {r["home_institution_id"]: r["n"] for r in rows}


def _agreements(ids: list[int], since: dt.date, until: dt.date) -> dict[int, int]:
    """Network agreements (agreed, in force or ended) the institution is a party to."""
    from setka.programs.models import Agreement, AgreementParty

    rows = (
        AgreementParty.objects.filter(
            institution_id__in=ids,
            agreement__status__in=[
                Agreement.Status.AGREED, Agreement.Status.ACTIVE, Agreement.Status.ENDED,
            ],
            agreement__starts_on__lte=until,
            agreement__ends_on__gte=since,
        )
        .values("institution_id")
        .annotate(n=Count("agreement_id", distinct=True))
    )  # fmt: skip
    return {r["institution_id"]: r["n"] for r in rows}


def _offers(ids: list[int], since: dt.date, until: dt.date) -> dict[int, int]:
    """Offers of the institution in the catalogue (published, or published and archived)."""
    from setka.programs.models import Offer

    rows = (
        Offer.objects.filter(
            institution_id__in=ids,
            status__in=[Offer.Status.PUBLISHED, Offer.Status.ARCHIVED],
            starts_on__lte=until,
            ends_on__gte=since,
        )
        .values("institution_id")
        .annotate(n=Count("id"))
    )
    return {r["institution_id"]: r["n"] for r in rows}


def _events(ids: list[int], since: dt.date, until: dt.date) -> dict[int, int]:
    """Published events the institution organised, and those of others its staff attended."""
    from setka.events.models import Event, Registration, Status

    start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(until, dt.time.max, tzinfo=dt.UTC)
    published = {"status": Status.PUBLISHED, "starts_at__gte": start, "starts_at__lte": end}
    out: dict[int, int] = dict(
        Event.objects.filter(institution_id__in=ids, **published)
        .values_list("institution_id")
        .annotate(n=Count("id"))
    )
    on = "person__memberships__"
    attended = (
        Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            **{f"event__{k}": v for k, v in published.items()},
            **{f"{on}institution_id__in": ids, f"{on}starts_on__lte": until},
        )
        .filter(Q(**{f"{on}ends_on__isnull": True}) | Q(**{f"{on}ends_on__gte": since}))
        .exclude(**{f"{on}role": "student"})
        .exclude(event__institution_id=F(f"{on}institution_id"))
        .values_list(f"{on}institution_id")
        .annotate(n=Count("event_id", distinct=True))
    )
    for institution_id, n in attended:
        out[institution_id] = out.get(institution_id, 0) + n
    return out


def sources() -> dict[str, Source]:
    """The sources Setka has in this installation, by name."""
    out: dict[str, Source] = {}
    if apps.is_installed("setka.journal"):
        out["network_groups_hosted"] = _network_groups_hosted
        out["network_groups_joined"] = _network_groups_joined
    if apps.is_installed("setka.programs"):
        out["agreements"] = _agreements
        out["offers"] = _offers
    if apps.is_installed("setka.events"):
        out["events"] = _events
    return out


def window(deadline: dt.date) -> tuple[dt.date, dt.date]:
    return deadline - dt.timedelta(days=WINDOW_DAYS), deadline


def participation_of(institution_ids: Iterable[int], deadline: dt.date) -> dict[int, Participation]:
    """Every institution's :class:`Participation` over the year up to ``deadline``."""
    ids = sorted(set(institution_ids))
    since, until = window(deadline)
    found = sources()
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    for name, source in found.items():
        for institution_id, n in source(ids, since, until).items():
            counts[institution_id][name] = n
    names = list(found)
    return {i: Participation(counts=counts[i], sources=names) for i in ids}
