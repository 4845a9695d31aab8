"""What the readiness survey tells people, through the notification centre: a campaign to
answer and its reminders (institution administrators), a self-assessment to fill and its
reminders (teachers), requests to reopen answers (methodologists) and their outcome. Each
function costs a constant number of queries, whatever the number of recipients."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.core.clock import today
from setka.network.models import Membership, MunicipalRole
from setka.notifications import kinds
from setka.notifications.models import Channel
from setka.notifications.services import Event, publish_many

from .models import Campaign, Response, SelfAssessment

GROUP = gettext_lazy("Readiness survey")


def _day(value: str) -> str:
    return date_format(dt.date.fromisoformat(value), "j E")


def _opened(d) -> str:
    return _("Readiness survey «%(title)s»: answer for %(institution)s by %(day)s") % {
        **d,
        "day": _day(d["deadline"]),
    }


def _reminder(d) -> str:
    return _("Reminder: the answers of %(institution)s to «%(title)s» are due %(day)s") % {
        **d,
        "day": _day(d["deadline"]),
    }


def _sa_opened(d) -> str:
    return _("Assess your ICT competence for «%(title)s» by %(day)s: it takes five minutes") % {
        **d,
        "day": _day(d["deadline"]),
    }


def _sa_reminder(d) -> str:
    return _("Reminder: your ICT self-assessment for «%(title)s» is due %(day)s") % {
        **d,
        "day": _day(d["deadline"]),
    }


def _reopen_requested(d) -> str:
    return _("%(institution)s asks to reopen its answers to «%(title)s»: %(reason)s") % d


def _reopen_decided(d) -> str:
    if d.get("granted"):
        return _("The answers of %(institution)s to «%(title)s» are reopened until %(day)s") % {
            **d,
            "day": _day(d["until"]),
        }
    return _("The request to reopen the answers to «%(title)s» was refused: %(reason)s") % d


def _submitted(d) -> str:
    return _("%(institution)s submitted its answers to «%(title)s»") % d


kinds.register(
    kinds.Kind("readiness.campaign.opened", GROUP, gettext_lazy("A readiness survey to answer"),
               _opened, default=Channel.EMAIL),
    kinds.Kind("readiness.campaign.reminder", GROUP,
               gettext_lazy("A reminder of the survey's deadline"), _reminder,
               default=Channel.EMAIL),
    kinds.Kind("readiness.self_assessment.opened", GROUP,
               gettext_lazy("An ICT self-assessment to fill in"), _sa_opened),
    kinds.Kind("readiness.self_assessment.reminder", GROUP,
               gettext_lazy("A reminder of the self-assessment"), _sa_reminder),
    kinds.Kind("readiness.reopen.requested", GROUP,
               gettext_lazy("A request to reopen answers"), _reopen_requested),
    kinds.Kind("readiness.reopen.decided", GROUP,
               gettext_lazy("Answers reopened or the request refused"), _reopen_decided),
    kinds.Kind("readiness.response.submitted", GROUP,
               gettext_lazy("An institution submitted its answers"), _submitted,
               default=Channel.DIGEST),
)  # fmt: skip


def _admins(institution_ids: Iterable[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for institution_id, person_id in (
        Membership.objects.active(today())
        .filter(role=Membership.Role.INSTITUTION_ADMIN, institution_id__in=set(institution_ids))
        .values_list("institution_id", "person_id")
    ):
        out[institution_id].append(person_id)
    return out


def _survey_runners(municipality_id: int) -> list[int]:
    return list(
        MunicipalRole.objects.active(today())
        .filter(municipality_id=municipality_id)
        .values_list("person_id", flat=True)
        .distinct()
    )


def _response_event(campaign: Campaign, row: dict, recipients, **data) -> Event:
    return Event(
        recipients=recipients,
        municipality_id=campaign.municipality_id,
        institution_id=row["institution_id"],
        data={
            "title": campaign.title,
            "institution": row["institution__short_name"],
            "deadline": campaign.deadline.isoformat(),
            **data,
        },
        url=reverse("readiness:response", args=[row["pk"]]),
    )


def _rows(responses) -> list[dict]:
    return list(responses.values("pk", "institution_id", "institution__short_name"))


def campaign_to_answer(campaign: Campaign, *, actor, reminder: bool = False) -> int:
    """Tell the administrators of each institution that has not submitted (the opening, or a
    reminder); and the teachers who have not assessed themselves, when they are asked to."""
    rows = _rows(campaign.responses.exclude(status=Response.Status.SUBMITTED))
    admins = _admins(r["institution_id"] for r in rows)
    events = [_response_event(campaign, r, admins.get(r["institution_id"], [])) for r in rows]
    kind = "readiness.campaign.reminder" if reminder else "readiness.campaign.opened"
    told = len(publish_many(kind, events, actor=actor))
    if campaign.teachers_asked:
        told += teachers_to_assess(campaign, actor=actor, reminder=reminder)
    return told


def teachers_to_assess(campaign: Campaign, *, actor, reminder: bool) -> int:
    done = SelfAssessment.objects.filter(
        campaign=campaign, status=SelfAssessment.Status.SUBMITTED
    ).values("person_id")
    teachers = (
        Membership.objects.active(today())
        .filter(
            role=Membership.Role.TEACHER,
            institution_id__in=campaign.responses.values("institution_id"),
        )
        .exclude(person_id__in=done)
        .values_list("person_id", flat=True)
        .distinct()
    )
    event = Event(
        recipients=list(teachers),
        municipality_id=campaign.municipality_id,
        data={"title": campaign.title, "deadline": campaign.deadline.isoformat()},
        url=reverse("readiness:self_assessment"),
    )
    kind = "readiness.self_assessment.reminder" if reminder else "readiness.self_assessment.opened"
    return len(publish_many(kind, [event], actor=actor))


def _one(response: Response) -> dict:
    return {
        "pk": response.pk,
        "institution_id": response.institution_id,
        "institution__short_name": response.institution.short_name,
    }


def reopen_requested(response: Response, *, actor) -> None:
    campaign = response.campaign
    event = _response_event(
        campaign,
        _one(response),
        _survey_runners(campaign.municipality_id),
        reason=response.reopen_reason,
    )
    publish_many("readiness.reopen.requested", [event], actor=actor)


def reopen_decided(response: Response, *, actor, granted: bool, reason: str = "") -> None:
    campaign = response.campaign
    admins = _admins([response.institution_id]).get(response.institution_id, [])
    until = response.reopened_until or campaign.deadline
    event = _response_event(
        campaign, _one(response), admins, granted=granted, until=until.isoformat(), reason=reason
    )
    publish_many("readiness.reopen.decided", [event], actor=actor)


def submitted(response: Response, *, actor) -> None:
    campaign = response.campaign
    event = _response_event(campaign, _one(response), _survey_runners(campaign.municipality_id))
    publish_many("readiness.response.submitted", [event], actor=actor)
