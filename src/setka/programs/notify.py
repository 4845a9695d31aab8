"""What the programmes tell people, through the notification centre: each step of an
application (to the family, the provider's and the home school's administrators) and each
step of an agreement (to the parties' administrators). The services call these after their
write, in the same transaction; each costs a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.core.clock import today
from setka.network.models import Guardianship
from setka.notifications import kinds
from setka.notifications.models import Channel
from setka.notifications.services import Event, publish_many

from .models import Agreement, Application
from .services.common import admin_ids

GROUP = gettext_lazy("Network programmes")


def _with_reason(text: str, data) -> str:
    return f"{text}. {_('Reason')}: {data['reason']}" if data.get("reason") else text


def _new_title(data) -> str:
    if data.get("home"):
        return (
            _("%(student)s asks to take “%(offer)s” at %(provider)s: confirm as the home school")
            % data
        )
    return _("New application: %(student)s to “%(offer)s”") % data


def _home_title(data) -> str:
    if data.get("approved"):
        return _("%(home)s confirmed the application of %(student)s to “%(offer)s”") % data
    return _with_reason(
        _("%(home)s did not confirm the application of %(student)s to “%(offer)s”") % data, data
    )


def _accepted_title(data) -> str:
    if data.get("promoted"):
        return _("A place freed up: %(student)s is accepted to “%(offer)s” (%(provider)s)") % data
    return _("%(student)s is accepted to “%(offer)s” (%(provider)s)") % data


def _waitlisted_title(data) -> str:
    return _("%(student)s is on the waiting list of “%(offer)s” (%(provider)s)") % data


def _rejected_title(data) -> str:
    return _with_reason(_("The application of %(student)s to “%(offer)s” is rejected") % data, data)


def _withdrawn_title(data) -> str:
    return _with_reason(
        _("The application of %(student)s to “%(offer)s” is withdrawn") % data, data
    )


AGREEMENT_STEPS = {
    "approved": gettext_lazy("%(party)s approved the agreement %(agreement)s"),
    "agreed": gettext_lazy("All parties approved the agreement %(agreement)s"),
    "active": gettext_lazy("The agreement %(agreement)s is in force"),
    "ended": gettext_lazy("The agreement %(agreement)s has ended"),
    "changed": gettext_lazy("The draft agreement %(agreement)s was changed: approve it again"),
}


def _agreement_title(data) -> str:
    return str(AGREEMENT_STEPS[data["step"]]) % data


E = Channel.EMAIL  # each step of an application goes by e-mail too, unless one chooses
kinds.register(
    kinds.Kind("programs.application.new", GROUP, gettext_lazy("A new application"), _new_title, E),
    kinds.Kind(
        "programs.application.home",
        GROUP,
        gettext_lazy("The home school confirmed or declined an application"),
        _home_title,
        E,
    ),
    kinds.Kind(
        "programs.application.accepted",
        GROUP,
        gettext_lazy("An application accepted"),
        _accepted_title,
        E,
    ),
    kinds.Kind(
        "programs.application.waitlisted",
        GROUP,
        gettext_lazy("An application on the waiting list"),
        _waitlisted_title,
        E,
    ),
    kinds.Kind(
        "programs.application.rejected",
        GROUP,
        gettext_lazy("An application rejected"),
        _rejected_title,
        E,
    ),
    kinds.Kind(
        "programs.application.withdrawn",
        GROUP,
        gettext_lazy("An application withdrawn"),
        _withdrawn_title,
        E,
    ),
    kinds.Kind(
        "programs.agreement", GROUP, gettext_lazy("A network agreement changed"), _agreement_title
    ),
)


# --- who is told ----------------------------------------------------------------------------


def _family(applications: Sequence[Application]) -> dict[int, set[int]]:
    """The student, who applied and the student's parents, per application."""
    students = {a.student_id for a in applications}
    guardians: dict[int, set[int]] = {s: set() for s in students}
    for student_id, guardian_id in (
        Guardianship.objects.active(today())
        .filter(student_id__in=students)
        .values_list("student_id", "guardian_id")
    ):
        guardians[student_id].add(guardian_id)
    return {a.pk: {a.student_id, a.applicant_id, *guardians[a.student_id]} for a in applications}


def _data(application: Application, **extra) -> dict:
    offer = application.offer
    return {
        "student": application.student.short_name,
        "offer": offer.title,
        "provider": offer.institution.short_name,
        "home": application.home_institution.short_name,
        **extra,
    }


def _event(application: Application, recipients: Iterable[int], **extra) -> Event:
    return Event(
        recipients=list(recipients),
        municipality_id=application.offer.municipality_id,
        institution_id=application.institution_id,
        data=_data(application, **extra),
        url=application.get_absolute_url(),
        about=application.student_id,
    )


def application_created(application: Application, *, actor) -> None:
    """To the administrators who decide next: the home school's or the provider's."""
    home = application.status == Application.Status.HOME_REVIEW
    institution = application.home_institution_id if home else application.institution_id
    admins = admin_ids([institution], today())[institution]
    publish_many("programs.application.new", [_event(application, admins, home=home)], actor=actor)


def application_home_decided(application: Application, *, actor, approved: bool) -> None:
    """To the family; when confirmed, also to the provider's administrators."""
    recipients = set(_family([application])[application.pk])
    if approved:
        recipients |= set(
            admin_ids([application.institution_id], today())[application.institution_id]
        )
    publish_many(
        "programs.application.home",
        [_event(application, recipients, approved=approved, reason=application.reason)],
        actor=actor,
    )


def applications_decided(applications: Sequence[Application], *, actor, promoted=False) -> None:
    """Accepted, waitlisted or rejected: to each family (one publish per kind)."""
    if not applications:
        return
    family = _family(applications)
    by_kind: dict[str, list[Event]] = {}
    for a in applications:
        kind = {
            Application.Status.ACCEPTED: "programs.application.accepted",
            Application.Status.WAITLISTED: "programs.application.waitlisted",
            Application.Status.REJECTED: "programs.application.rejected",
        }.get(Application.Status(a.status))
        if kind is None:
            continue
        event = _event(a, family[a.pk], promoted=promoted, reason=a.reason)
        by_kind.setdefault(kind, []).append(event)
    for kind, events in by_kind.items():
        publish_many(kind, events, actor=actor)


def application_withdrawn(application: Application, *, actor, by_provider: bool) -> None:
    """Withdrawn by the family: to the provider's administrators; by the provider: to the
    family. The home school's administrators hear of it when they had confirmed it."""
    recipients: set[int] = set()
    if by_provider:
        recipients |= _family([application])[application.pk]
    else:
        recipients |= set(
            admin_ids([application.institution_id], today())[application.institution_id]
        )
    if application.home_confirmed_at is not None:
        recipients |= set(
            admin_ids([application.home_institution_id], today())[application.home_institution_id]
        )
    publish_many(
        "programs.application.withdrawn",
        [_event(application, recipients, reason=application.reason)],
        actor=actor,
    )


def agreement_step(agreement: Agreement, step: str, *, actor, party: str = "") -> None:
    """To the administrators of every party."""
    parties = list(agreement.parties.values_list("institution_id", flat=True))
    admins = admin_ids(parties, today())
    recipients = {p for ids in admins.values() for p in ids}
    publish_many(
        "programs.agreement",
        [
            Event(
                recipients=recipients,
                municipality_id=agreement.municipality_id,
                institution_id=agreement.institution_id,
                data={"step": step, "agreement": str(agreement), "party": party},
                url=agreement.get_absolute_url(),
            )
        ],
        actor=actor,
    )
