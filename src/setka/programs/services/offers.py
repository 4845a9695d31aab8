"""The provider's offers: create and change them with their times and teachers, publish and
archive them, and give them a group in the provider's journal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.audit import audit_log, diff, snapshot
from setka.core.clock import today
from setka.journal.models import AcademicYear, StudyGroup, Subject
from setka.journal.services import structure
from setka.network.models import Institution, Membership, Person
from setka.network.roles import user_roles

from .. import notify, rules, sql
from ..models import Agreement, Offer, OfferSlot, StudyForm, Venue
from .enrolment import enrol_accepted, lock_offer, promote

MAX_SLOTS = 20
EDITABLE = [
    "title",
    "description",
    "kind",
    "area",
    "subject",
    "grade_min",
    "grade_max",
    "age_min",
    "age_max",
    "form",
    "venue",
    "venue_institution",
    "room",
    "online_url",
    "capacity",
    "admission",
    "applications_open_on",
    "applications_close_on",
    "starts_on",
    "ends_on",
    "hours",
    "is_credited",
    "credited_subject",
    "agreement",
]
GROUP_KINDS = (StudyGroup.Kind.NETWORK, StudyGroup.Kind.ELECTIVE)


@dataclass(frozen=True)
class Slot:
    weekday: int | None
    date: dt.date | None
    starts_at: dt.time
    ends_at: dt.time


def _require_provider(actor, institution_id: int) -> None:
    if institution_id not in user_roles(actor).admin_of:
        raise PermissionDenied(_("Only the administration of the provider manages its offers."))


def _check_dates(offer: Offer, errors: dict[str, str]) -> None:
    if offer.starts_on and offer.ends_on and offer.ends_on < offer.starts_on:
        errors["ends_on"] = _("The classes end before they begin.")
    window = (offer.applications_open_on, offer.applications_close_on)
    if all(window) and window[1] < window[0]:
        errors["applications_close_on"] = _("Applications close before they open.")
    elif window[1] and offer.ends_on and window[1] > offer.ends_on:
        errors["applications_close_on"] = _("Applications must close before the classes end.")
    if offer.grade_min and offer.grade_max and offer.grade_max < offer.grade_min:
        errors["grade_max"] = _("The last grade is below the first one.")
    if offer.age_min and offer.age_max and offer.age_max < offer.age_min:
        errors["age_max"] = _("The oldest age is below the youngest one.")


def _check_links(offer: Offer, errors: dict[str, str]) -> None:
    municipality_id = offer.municipality_id
    if offer.venue == Venue.PARTNER:
        host: Institution | None = offer.venue_institution
        if host is None:
            errors["venue_institution"] = _("Choose the partner whose premises host the course.")
        elif host.pk == offer.institution_id or host.municipality_id != municipality_id:
            errors["venue_institution"] = _("Choose another institution of the municipality.")
    else:
        offer.venue_institution = None
    for name in ("subject", "credited_subject"):
        subject: Subject | None = getattr(offer, name)
        if subject is not None and subject.municipality_id != municipality_id:
            errors[name] = _("Unknown subject.")
    if offer.is_credited and offer.credited_subject is None:
        errors["credited_subject"] = _("Choose the subject the results are credited as.")
    if not offer.is_credited:
        offer.credited_subject = None
    agreement: Agreement | None = offer.agreement
    if agreement is not None and (
        agreement.municipality_id != municipality_id
        or offer.institution_id not in rules.party_ids(agreement)
    ):
        errors["agreement"] = _("The provider is not a party of this agreement.")
    elif agreement is not None and agreement.effective_status == Agreement.Status.ENDED:
        errors["agreement"] = _("This agreement has ended.")
    if offer.capacity is not None and offer.capacity < offer.places_taken:
        errors["capacity"] = _(
            "%(n)s students are already accepted: the places cannot be fewer."
        ) % {"n": offer.places_taken}


def _check_slots(offer: Offer, slots: Sequence[Slot]) -> None:
    if len(slots) > MAX_SLOTS:
        raise ValidationError(
            {
                "slots": ngettext(
                    "At most %(n)s time of classes.", "At most %(n)s times of classes.", MAX_SLOTS
                )
                % {"n": MAX_SLOTS}
            }
        )
    for n, slot in enumerate(slots, start=1):
        where = _("Time %(n)s") % {"n": n}
        if (slot.weekday is None) == (slot.date is None):
            message = _("give either a weekday or a date")
        elif slot.weekday is not None and not 1 <= slot.weekday <= 7:
            message = _("the weekday is 1 (Monday) to 7 (Sunday)")
        elif slot.ends_at <= slot.starts_at:
            message = _("the classes end before they begin")
        elif slot.date is not None and not offer.starts_on <= slot.date <= offer.ends_on:
            message = _("the date is outside the course's term")
        else:
            continue
        raise ValidationError({"slots": f"{where}: {message}."})


def _check_teachers(institution_id: int, teacher_ids: Sequence[int]) -> list[int]:
    ids = sorted(set(teacher_ids))
    found = set(
        Membership.objects.active(today())
        .filter(
            person_id__in=ids,
            institution_id=institution_id,
            role__in=[Membership.Role.TEACHER, Membership.Role.INSTITUTION_ADMIN],
        )
        .values_list("person_id", flat=True)
    )
    if set(ids) - found:
        raise ValidationError({"teachers": _("Choose teachers of the provider.")})
    return ids


def _validate(offer: Offer, slots: Sequence[Slot] | None, teacher_ids) -> list[int] | None:
    errors: dict[str, str] = {}
    _check_dates(offer, errors)
    _check_links(offer, errors)
    try:
        offer.full_clean(
            exclude=["municipality", "institution", "group"], validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    if slots is not None:
        _check_slots(offer, slots)
    return None if teacher_ids is None else _check_teachers(offer.institution_id, teacher_ids)


def _save_related(offer: Offer, slots: Sequence[Slot] | None, teacher_ids) -> None:
    if slots is not None:
        offer.slots.all().delete()
        OfferSlot.objects.bulk_create(
            OfferSlot(
                offer=offer,
                weekday=s.weekday,
                date=s.date,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
            )
            for s in slots
        )
    if teacher_ids is not None:
        offer.teachers.set(teacher_ids)
    refresh_search([offer.pk])


def refresh_search(offer_ids: Sequence[int]) -> None:
    """Recompute the search vectors of these offers (``sql.SEARCH``; PostgreSQL only: SQLite
    searches with ``icontains``)."""
    if connection.vendor != "postgresql" or not offer_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(sql.SEARCH, {"offers": list(offer_ids)})


@transaction.atomic
def offer_create(
    *,
    actor,
    institution: Institution,
    data: dict[str, Any],
    slots: Sequence[Slot] = (),
    teacher_ids: Sequence[int] = (),
) -> Offer:
    """A new offer of ``institution`` (a draft until it is published)."""
    _require_provider(actor, institution.pk)
    offer = Offer(municipality_id=institution.municipality_id, institution=institution)
    for name in EDITABLE:
        if name in data:
            setattr(offer, name, data[name])
    teacher_ids = _validate(offer, slots, teacher_ids) or []
    offer.save()
    _save_related(offer, slots, teacher_ids)
    audit_log("programs.offer.create", actor=actor, obj=offer, changes=snapshot(offer, EDITABLE))
    return offer


@transaction.atomic
def offer_update(
    *,
    actor,
    offer: Offer,
    data: dict[str, Any],
    slots: Sequence[Slot] | None = None,
    teacher_ids: Sequence[int] | None = None,
) -> Offer:
    """Change an offer; more places move its waiting list up."""
    _require_provider(actor, offer.institution_id)
    offer = lock_offer(offer)
    before = snapshot(offer, EDITABLE)
    for name in EDITABLE:
        if name in data:
            setattr(offer, name, data[name])
    teacher_ids = _validate(offer, slots, teacher_ids)
    offer.save()
    _save_related(offer, slots, teacher_ids)
    audit_log(
        "programs.offer.update",
        actor=actor,
        obj=offer,
        changes=diff(before, snapshot(offer, EDITABLE)),
    )
    promoted = promote(offer, actor=actor)
    notify.applications_decided(promoted, actor=actor, promoted=True)
    return offer


NEEDS_TIMES = (StudyForm.FULL_TIME, StudyForm.PART_TIME)


@transaction.atomic
def offer_set_status(*, actor, offer: Offer, status: str) -> Offer:
    """Publish an offer (it shows in the catalogue), archive it, or take it back to a draft
    (only while nobody has applied)."""
    _require_provider(actor, offer.institution_id)
    if status not in Offer.Status.values:
        raise ValidationError({"status": _("Choose draft, published or archived.")})
    offer = lock_offer(offer)
    if status == Offer.Status.PUBLISHED and offer.form in NEEDS_TIMES and not offer.slots.exists():
        raise ValidationError({"slots": _("Add the times of classes before publishing.")})
    if status == Offer.Status.DRAFT and offer.applications.exists():
        raise ValidationError(
            {"status": _("People have applied: archive the offer instead of a draft.")}
        )
    before = offer.status
    offer.status = status
    offer.save(update_fields=["status", "updated_at"])
    audit_log("programs.offer.status", actor=actor, obj=offer, changes={"status": [before, status]})
    return offer


def _year_for(offer: Offer) -> AcademicYear:
    year = (
        AcademicYear.objects.filter(
            institution_id=offer.institution_id,
            starts_on__lte=max(offer.starts_on, today()),
            ends_on__gte=max(offer.starts_on, today()),
        ).first()
        or AcademicYear.objects.filter(
            institution_id=offer.institution_id,
            starts_on__lte=offer.ends_on,
            ends_on__gte=offer.starts_on,
        )
        .order_by("starts_on")
        .first()
    )
    if year is None:
        raise ValidationError(
            {
                "group": _(
                    "The provider has no school year in the journal for the course's "
                    "term: create it first (School year and timetable)."
                )
            }
        )
    return year


@transaction.atomic
def offer_group_create(*, actor, offer: Offer) -> StudyGroup:
    """Open the offer's group in the provider's journal (a network programme group), with a
    teaching assignment for each of its teachers, and enrol the students accepted so far."""
    _require_provider(actor, offer.institution_id)
    offer = lock_offer(offer)
    if offer.group_id is not None:
        raise ValidationError({"group": _("The offer already has its group in the journal.")})
    if offer.subject is None:
        raise ValidationError(
            {"subject": _("Choose the subject the course is taught as in the journal first.")}
        )
    year = _year_for(offer)
    name = offer.title[:90]
    taken = set(StudyGroup.objects.filter(year=year).values_list("name", flat=True))
    n = 2
    while name in taken:
        name, n = f"{offer.title[:85]} ({n})", n + 1
    group = structure.group_create(actor=actor, year=year, name=name, kind=StudyGroup.Kind.NETWORK)
    starts = max(year.starts_on, offer.starts_on)
    teachers: list[Person] = list(offer.teachers.all())
    for teacher in teachers:
        structure.assignment_create(
            actor=actor, group=group, subject=offer.subject, teacher=teacher, starts_on=starts
        )
    offer.group = group
    offer.save(update_fields=["group", "updated_at"])
    audit_log("programs.offer.group", actor=actor, obj=offer, changes={"group": [None, group.pk]})
    enrol_accepted(offer, actor=actor)
    return group


@transaction.atomic
def offer_group_link(*, actor, offer: Offer, group: StudyGroup) -> Offer:
    """Give the offer a group that already exists in the provider's journal."""
    _require_provider(actor, offer.institution_id)
    offer = lock_offer(offer)
    if group.institution_id != offer.institution_id or group.kind not in GROUP_KINDS:
        raise ValidationError({"group": _("Choose a network or elective group of the provider.")})
    if Offer.objects.filter(group=group).exclude(pk=offer.pk).exists():
        raise ValidationError({"group": _("This group belongs to another offer.")})
    before = offer.group_id
    offer.group = group
    offer.save(update_fields=["group", "updated_at"])
    audit_log("programs.offer.group", actor=actor, obj=offer, changes={"group": [before, group.pk]})
    enrol_accepted(offer, actor=actor)
    return offer
