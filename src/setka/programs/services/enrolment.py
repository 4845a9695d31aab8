"""Places and enrolment. Every function here runs with the offer's row locked
(``lock_offer``), so that counting and taking places never races: capacity is never
exceeded, also under concurrent applications and decisions.

An accepted student joins the offer's group in the provider's journal (a ``GroupMember``
with their home school) for the course's term, bounded by the agreement's term: the
journal's own rules then show them to the partner teacher only for that time."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from setka.core.audit import audit_log
from setka.core.clock import now, today
from setka.journal.models import AcademicYear, GroupMember

from ..models import Agreement, Application, Offer


def lock_offer(offer: Offer | int) -> Offer:
    """The offer's row, locked until the transaction ends (PostgreSQL; SQLite's writers are
    serialised by its IMMEDIATE transactions)."""
    pk = offer if isinstance(offer, int) else offer.pk
    return Offer.objects.select_for_update().get(pk=pk)


def membership_term(offer: Offer, day: dt.date) -> tuple[dt.date, dt.date] | None:
    """From when to when an accepted student is in the offer's journal group: from today (or
    the start of the course, the agreement, the provider's year, whichever is latest) to the
    earliest of their ends; None when that term is already over."""
    if offer.group_id is None:
        return None
    year = AcademicYear.objects.filter(groups__pk=offer.group_id).values("starts_on", "ends_on")[0]
    starts = [day, offer.starts_on, year["starts_on"]]
    ends = [offer.ends_on, year["ends_on"]]
    if offer.agreement_id is not None:
        term = Agreement.objects.filter(pk=offer.agreement_id).values("starts_on", "ends_on")[0]
        starts.append(term["starts_on"])
        ends.append(term["ends_on"])
    start, end = max(starts), min(ends)
    return (start, end) if start <= end else None


def enrol(application: Application, offer: Offer, *, actor, day: dt.date) -> None:
    """Put the accepted student into the offer's journal group (if it has one), or find the
    membership they already hold there for that time."""
    term = membership_term(offer, day)
    group_id = offer.group_id
    if term is None or group_id is None:
        return
    start, end = term
    member = (
        GroupMember.objects.filter(
            group_id=group_id, student_id=application.student_id, starts_on__lte=end
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("starts_on")
        .first()
    )
    if member is None:
        member = GroupMember.objects.create(
            group_id=group_id,
            student_id=application.student_id,
            home_institution_id=application.home_institution_id,
            starts_on=start,
            ends_on=end,
        )
        audit_log(
            "programs.enrolment.create",
            actor=actor,
            obj=member,
            institution_id=offer.institution_id,
            changes={"application": application.pk, "starts_on": start, "ends_on": end},
        )
    application.member = member


def unenrol(application: Application, offer: Offer, *, actor, day: dt.date) -> None:
    """The student leaves the journal group: their membership ends today (their marks and
    attendance stay); one that has not begun yet is removed."""
    member = application.member
    if member is None:
        return
    if member.starts_on > day:
        audit_log(
            "programs.enrolment.remove",
            actor=actor,
            obj=member,
            institution_id=offer.institution_id,
            changes={"application": application.pk},
        )
        application.member = None
        member.delete()
        return
    if member.ends_on is None or member.ends_on > day:
        before = member.ends_on
        member.ends_on = day
        member.save(update_fields=["ends_on"])
        audit_log(
            "programs.enrolment.end",
            actor=actor,
            obj=member,
            institution_id=offer.institution_id,
            changes={"ends_on": [before, day], "application": application.pk},
        )


def admit(application: Application, offer: Offer, *, actor, decided_by=None) -> bool:
    """Accept the application if a place is free (taking it), else put it on the waiting list.
    ``offer`` is the locked row. Answers whether it was accepted."""
    moment = now()
    if offer.places_taken < offer.capacity:
        offer.places_taken += 1
        offer.save(update_fields=["places_taken"])
        application.status = Application.Status.ACCEPTED
        application.decided_at = moment
        application.decided_by = decided_by
        enrol(application, offer, actor=actor, day=today())
    else:
        application.status = Application.Status.WAITLISTED
    application.save(update_fields=["status", "decided_at", "decided_by", "member", "updated_at"])
    return application.status == Application.Status.ACCEPTED


def release(application: Application, offer: Offer, *, actor) -> None:
    """An accepted application leaves: its place is freed and its enrolment ended."""
    offer.places_taken = max(0, offer.places_taken - 1)
    offer.save(update_fields=["places_taken"])
    unenrol(application, offer, actor=actor, day=today())


def promote(offer: Offer, *, actor) -> list[Application]:
    """Move the waiting list up while places are free (first come, first served): each
    promoted application is accepted and enrolled. Answers the promoted ones."""
    free = offer.capacity - offer.places_taken
    if free <= 0:
        return []
    waiting = list(
        Application.objects.filter(offer=offer, status=Application.Status.WAITLISTED)
        .select_related("student", "home_institution")
        .order_by("created_at", "id")[:free]
    )
    for application in waiting:
        application.offer = offer
        admit(application, offer, actor=actor)
        audit_log(
            "programs.application.promote",
            actor=actor,
            obj=application,
            institution_id=offer.institution_id,
            changes={"status": [Application.Status.WAITLISTED, application.status]},
        )
    return waiting


def enrol_accepted(offer: Offer, *, actor) -> int:
    """After the offer gets its journal group: enrol the students accepted before."""
    day = today()
    count = 0
    for application in Application.objects.filter(
        offer=offer, status=Application.Status.ACCEPTED, member__isnull=True
    ):
        enrol(application, offer, actor=actor, day=day)
        if application.member is not None:
            application.save(update_fields=["member", "updated_at"])
            count += 1
    return count
