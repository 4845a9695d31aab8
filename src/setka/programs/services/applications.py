"""Applications: a student (or a parent for their child) applies; the home school confirms
where the offer belongs to a network programme; the provider accepts, rejects or puts on the
waiting list (or, for a first-come-first-served offer, places are taken in the order of
arrival); anyone of the family withdraws. Every step is audited and told to the people
concerned; every step that touches places locks the offer's row first."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.core.clock import now, today
from setka.core.plurals import too_long_text
from setka.network.models import Person
from setka.network.roles import user_roles

from .. import notify, rules
from ..models import Admission, Application, Offer
from .common import Conflict, StudentFacts, student_facts
from .enrolment import admit, lock_offer, promote, release

MAX_TEXT = 2000


class Decision:
    ACCEPT = "accept"
    REJECT = "reject"
    WAITLIST = "waitlist"
    ALL = (ACCEPT, REJECT, WAITLIST)


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ValidationError({field: too_long_text(MAX_TEXT)})
    return value


def _check_open(offer: Offer, day: dt.date) -> None:
    if offer.status != Offer.Status.PUBLISHED:
        raise ValidationError({"offer": _("This offer is not open for applications.")})
    if day < offer.applications_open_on:
        raise ValidationError(
            {
                "offer": _("Applications open on %(date)s.")
                % {"date": date_format(offer.applications_open_on, "j E Y")}
            },
            code="window",
        )
    if day > offer.applications_close_on:
        raise ValidationError(
            {
                "offer": _("Applications closed on %(date)s.")
                % {"date": date_format(offer.applications_close_on, "j E Y")}
            },
            code="window",
        )
    agreement = offer.agreement
    if agreement is not None and not agreement.takes_students:
        raise ValidationError(
            {"offer": _("The network agreement of this course is not in force.")},
            code="agreement",
        )


def _home_for(offer: Offer, student: Person, facts: StudentFacts) -> int:
    if not facts.home_ids:
        raise ValidationError(
            {
                "student": _("%(name)s is not a student of any institution of the network now.")
                % {"name": student.short_name}
            },
            code="not_a_student",
        )
    if offer.agreement is None:
        return facts.home_ids[0]
    parties = rules.party_ids(offer.agreement)
    for home in facts.home_ids:
        if home in parties:
            return home
    raise ValidationError(
        {
            "student": _(
                "This course of a network programme is for the students of the "
                "institutions of its agreement; %(name)s studies elsewhere."
            )
            % {"name": student.short_name}
        },
        code="not_a_party",
    )


def _check_fits(offer: Offer, student: Person, facts: StudentFacts) -> None:
    name = student.short_name
    if offer.grade_min or offer.grade_max:
        low, high = offer.grade_min or 1, offer.grade_max or 11
        if facts.grade is None:
            raise ValidationError(
                {
                    "student": _(
                        "The grade of %(name)s is not known: ask the school to enter the class."
                    )
                    % {"name": name}
                },
                code="grade_unknown",
            )
        if not low <= facts.grade <= high:
            raise ValidationError(
                {
                    "student": _(
                        "This course is for grades %(low)s–%(high)s; %(name)s is in "
                        "grade %(grade)s."
                    )
                    % {"low": low, "high": high, "name": name, "grade": facts.grade}
                },
                code="grade",
            )
    if offer.age_min or offer.age_max:
        low, high = offer.age_min or 3, offer.age_max or 25
        if facts.age is None:
            raise ValidationError(
                {
                    "student": _(
                        "The date of birth of %(name)s is not known: ask the school to enter it."
                    )
                    % {"name": name}
                },
                code="age_unknown",
            )
        if not low <= facts.age <= high:
            raise ValidationError(
                {
                    "student": _("This course is for ages %(low)s–%(high)s; %(name)s is %(age)s.")
                    % {"low": low, "high": high, "name": name, "age": facts.age}
                },
                code="age",
            )


def _duplicate(existing: Application) -> Conflict:
    return Conflict(
        _("%(name)s has already applied to this offer (the application is %(status)s).")
        % {"name": existing.student.short_name, "status": existing.get_status_display()},
        existing,
        field="student",
    )


def application_create(*, actor, offer: Offer, student: Person, message: str = "") -> Application:
    """Apply ``student`` to ``offer`` (the actor is the student or their parent)."""
    if not actor.has_perm("programs.apply_for", student):
        raise PermissionDenied(_("You may apply only for yourself or for your own children."))
    message = _text(message, "message")
    applicant_id = user_roles(actor).person_id
    if applicant_id is None:
        raise PermissionDenied(_("You may apply only for yourself or for your own children."))
    day = today()
    with transaction.atomic():
        offer = lock_offer(offer)
        _check_open(offer, day)
        facts = student_facts(student, day)
        home_id = _home_for(offer, student, facts)
        _check_fits(offer, student, facts)
        existing = (
            Application.objects.filter(offer=offer, student=student, status__in=Application.LIVE)
            .select_related("student")
            .first()
        )
        if existing is not None:
            raise _duplicate(existing)
        needs_home = offer.agreement_id is not None and home_id != offer.institution_id
        application = Application(
            offer=offer,
            institution_id=offer.institution_id,
            student=student,
            applicant_id=applicant_id,
            home_institution_id=home_id,
            status=Application.Status.HOME_REVIEW if needs_home else Application.Status.PENDING,
            message=message,
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:  # a parallel twin got in first (the unique live application)
            existing = Application.objects.filter(
                offer=offer, student=student, status__in=Application.LIVE
            ).first()
            if existing is None:
                raise
            raise _duplicate(existing) from None
        audit_log(
            "programs.application.create",
            actor=actor,
            obj=application,
            changes={"offer": offer.pk, "student": student.pk, "status": application.status},
        )
        if not needs_home and offer.admission == Admission.FIRST_COME:
            admit(application, offer, actor=actor)
            notify.applications_decided([application], actor=actor)
        else:
            notify.application_created(application, actor=actor)
    return application


def _reload(application: Application) -> tuple[Application, Offer]:
    """The offer locked, then the application as it is now."""
    offer = lock_offer(application.offer_id)
    fresh = Application.objects.select_related(
        "student", "home_institution", "offer__institution"
    ).get(pk=application.pk)
    fresh.offer = offer
    return fresh, offer


def application_confirm(
    *, actor, application: Application, approve: bool, reason: str = ""
) -> Application:
    """The home school confirms (or declines) its student's application to a course of a
    network programme."""
    if not actor.has_perm("programs.confirm_application", application):
        raise PermissionDenied(_("Only the administration of the home school confirms this."))
    reason = _text(reason, "reason")
    with transaction.atomic():
        application, offer = _reload(application)
        if application.status != Application.Status.HOME_REVIEW:
            raise Conflict(
                _("The application is no longer awaiting the home school: it is %(status)s.")
                % {"status": application.get_status_display()},
                application,
            )
        application.home_confirmed_at = now()
        application.home_confirmed_by = actor
        application.reason = reason
        application.status = Application.Status.PENDING if approve else Application.Status.REJECTED
        application.save(
            update_fields=[
                "home_confirmed_at",
                "home_confirmed_by",
                "reason",
                "status",
                "updated_at",
            ]
        )
        audit_log(
            "programs.application.home",
            actor=actor,
            obj=application,
            institution_id=application.home_institution_id,
            changes={"status": [Application.Status.HOME_REVIEW, application.status]},
            reason=reason,
        )
        notify.application_home_decided(application, actor=actor, approved=approve)
        if approve and offer.admission == Admission.FIRST_COME:
            admit(application, offer, actor=actor)
            notify.applications_decided([application], actor=actor)
    return application


def application_decide(
    *, actor, application: Application, decision: str, reason: str = ""
) -> Application:
    """The provider accepts (a place if one is free, else the waiting list), rejects, or puts
    the application on the waiting list."""
    if not actor.has_perm("programs.decide_application", application):
        raise PermissionDenied(_("Only the administration of the provider decides this."))
    if decision not in Decision.ALL:
        raise ValidationError({"decision": _("Choose accept, reject or waitlist.")})
    reason = _text(reason, "reason")
    with transaction.atomic():
        application, offer = _reload(application)
        before = application.status
        allowed: tuple[str, ...] = Application.DECIDABLE
        if decision == Decision.WAITLIST:
            allowed = (Application.Status.PENDING,)
        if before not in allowed:
            raise Conflict(
                _("The application cannot be decided now: it is %(status)s.")
                % {"status": application.get_status_display()},
                application,
            )
        application.reason = reason
        if decision == Decision.ACCEPT:
            admit(application, offer, actor=actor, decided_by=actor)
        else:
            application.status = (
                Application.Status.REJECTED
                if decision == Decision.REJECT
                else Application.Status.WAITLISTED
            )
            application.decided_at = now()
            application.decided_by = actor
        application.save(
            update_fields=["status", "reason", "decided_at", "decided_by", "updated_at"]
        )
        audit_log(
            "programs.application.decide",
            actor=actor,
            obj=application,
            changes={"status": [before, application.status]},
            reason=reason,
        )
        if application.status != before:
            notify.applications_decided([application], actor=actor)
    return application


def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    """The family withdraws the application (or leaves the course); the provider may end an
    enrolment too. A freed place goes to the first on the waiting list."""
    if not actor.has_perm("programs.withdraw_application", application):
        raise PermissionDenied(_("You cannot withdraw this application."))
    reason = _text(reason, "reason")
    with transaction.atomic():
        application, offer = _reload(application)
        before = application.status
        if before not in Application.LIVE:
            raise Conflict(
                _("The application is already %(status)s.")
                % {"status": application.get_status_display()},
                application,
            )
        application.status = Application.Status.WITHDRAWN
        application.reason = reason
        if before == Application.Status.ACCEPTED:
            release(application, offer, actor=actor)
        application.save(update_fields=["status", "reason", "member", "updated_at"])
        audit_log(
            "programs.application.withdraw",
            actor=actor,
            obj=application,
            changes={"status": [before, application.status]},
            reason=reason,
        )
        by_provider = not rules.owns_application(actor, application)
        notify.application_withdrawn(application, actor=actor, by_provider=by_provider)
        promoted = promote(offer, actor=actor)
        notify.applications_decided(promoted, actor=actor, promoted=True)
    return application
