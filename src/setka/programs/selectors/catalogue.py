"""The public catalogue of offers: filters, full-text search and «fits my timetable», shared
by the page and the API. A fixed number of queries whatever the number of offers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from setka.core.clock import today

from ..models import Offer, OfferSlot
from .fits import clashing_offers

MAX_WORDS = 8


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    area: str = ""
    form: str = ""
    grade: int | None = None
    institution: int | None = None
    weekday: int | None = None
    after: dt.time | None = None  # classes begin at or after
    before: dt.time | None = None  # classes end by
    free: bool = False  # only offers with free places
    open: bool = False  # only offers taking applications today
    fits: int | None = None  # a student's person id: hide offers clashing with their lessons


def published() -> QuerySet[Offer]:
    """Offers in the catalogue: published, not over yet."""
    return Offer.objects.filter(status=Offer.Status.PUBLISHED, ends_on__gte=today())


def _search(qs: QuerySet[Offer], q: str) -> QuerySet[Offer]:
    q = " ".join(q.split()[:MAX_WORDS])
    if not q:
        return qs
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config="russian", search_type="websearch")
        return qs.filter(search=query).annotate(rank=SearchRank(F("search"), query))
    for word in q.split():
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(institution__short_name__icontains=word)
        )
    return qs


def _slots(filters: Filters) -> Q | None:
    conditions = Q()
    if filters.weekday:
        conditions &= Q(weekday=filters.weekday) | Q(date__week_day=filters.weekday % 7 + 1)
    if filters.after:
        conditions &= Q(starts_at__gte=filters.after)
    if filters.before:
        conditions &= Q(ends_at__lte=filters.before)
    return conditions if conditions else None


def catalogue(filters: Filters) -> QuerySet[Offer]:
    """The offers matching ``filters``, best match first when searching, else by title."""
    qs = published()
    for name in ("kind", "area", "form"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    if filters.institution:
        qs = qs.filter(institution_id=filters.institution)
    if filters.grade:
        qs = qs.filter(Q(grade_min__isnull=True) | Q(grade_min__lte=filters.grade)).filter(
            Q(grade_max__isnull=True) | Q(grade_max__gte=filters.grade)
        )
    if filters.free:
        qs = qs.filter(places_taken__lt=F("capacity"))
    if filters.open:
        day = today()
        qs = qs.filter(applications_open_on__lte=day, applications_close_on__gte=day)
    slot_q = _slots(filters)
    if slot_q is not None:
        qs = qs.filter(Exists(OfferSlot.objects.filter(slot_q, offer=OuterRef("pk"))))
    qs = _search(qs, filters.q)
    if filters.fits:
        slots = OfferSlot.objects.filter(offer__in=qs.values("pk")).values_list(
            "offer_id", "weekday", "date", "starts_at", "ends_at"
        )
        clashing = clashing_offers(filters.fits, list(slots), today())
        if clashing:
            qs = qs.exclude(pk__in=sorted(clashing))
    ordering = (
        ["-rank", "title", "id"]
        if filters.q and connection.vendor == "postgresql"
        else ["title", "id"]
    )
    return qs.select_related("institution", "venue_institution").order_by(*ordering)


def providers() -> list[tuple[int, str]]:
    """The institutions with offers in the catalogue (for the filter): one query."""
    return list(
        published()
        .order_by("institution__short_name")
        .values_list("institution_id", "institution__short_name")
        .distinct()
    )
