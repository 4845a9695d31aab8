"""Campaigns (start, change, close, remind, recompute) and the municipality's index settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core.audit import audit_log, diff, snapshot
from setka.core.clock import now, today
from setka.network.models import Institution, InstitutionKind, Municipality

from .. import index as ix
from .. import notify, revision, scoring
from ..models import Campaign, IndexSettings, Questionnaire, Response
from .questionnaires import current_version

CAMPAIGN_FIELDS = ["title", "starts_on", "deadline", "teachers_asked"]
MAX_DAYS = 366
#: Reminders go out this many days before the deadline (and on the day itself).
REMIND_DAYS = (7, 3, 1, 0)


def _require(actor: Any, municipality_id: int) -> None:
    if not actor.has_perm("readiness.manage", Municipality(pk=municipality_id)):
        raise PermissionDenied


def _check_dates(starts_on: dt.date, deadline: dt.date, *, new: bool) -> None:
    errors: dict[str, list[str]] = {}
    if deadline < starts_on:
        errors["deadline"] = [_("The deadline is before the campaign opens.")]
    elif (deadline - starts_on).days > MAX_DAYS:
        errors["deadline"] = [_("A campaign lasts at most a year.")]
    if new and deadline < today():
        errors.setdefault("deadline", []).append(_("The deadline has already passed."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    municipality: Municipality,
    title: str,
    questionnaire: Questionnaire,
    starts_on: dt.date,
    deadline: dt.date,
    kinds: list[str] | None = None,
    teachers_asked: bool = True,
) -> Campaign:
    """Start a campaign: every active institution of the chosen kinds (all, by default) is
    asked; the people concerned are told when it opens (now, or on ``starts_on``)."""
    _require(actor, municipality.pk)
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not title or len(title) > 200:
        errors["title"] = [_("Give the campaign a title of at most 200 characters.")]
    if questionnaire.municipality_id != municipality.pk:
        errors["questionnaire"] = [_("Choose a questionnaire of this municipality.")]
    unknown = sorted(set(kinds or []) - set(InstitutionKind.values))
    if unknown:
        errors["kinds"] = [_("Unknown kinds of institutions: %(k)s.") % {"k": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)
    _check_dates(starts_on, deadline, new=True)
    institutions = Institution.objects.active().filter(municipality=municipality)
    if kinds:
        institutions = institutions.filter(kind__in=kinds)
    ids = list(institutions.values_list("pk", flat=True))
    if not ids:
        raise ValidationError({"kinds": [_("No active institution of these kinds.")]})
    campaign = Campaign.objects.create(
        municipality=municipality,
        title=title,
        questionnaire=questionnaire,
        starts_on=starts_on,
        deadline=deadline,
        teachers_asked=teachers_asked,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    version = current_version(questionnaire)
    Response.objects.bulk_create(
        Response(campaign=campaign, institution_id=i, version=version) for i in ids
    )
    audit_log("readiness.campaign.create", actor=actor, obj=campaign,
              changes=snapshot(campaign, CAMPAIGN_FIELDS))  # fmt: skip
    revision.changed(municipality.pk)
    if starts_on <= today():
        open_campaign(campaign, actor=actor)
    return campaign


def open_campaign(campaign: Campaign, *, actor: Any = None) -> int:
    """Tell the institutions (and teachers) that the campaign is open; once."""
    updated = Campaign.objects.filter(pk=campaign.pk, opened_notified=False).update(
        opened_notified=True
    )
    if not updated:
        return 0
    campaign.opened_notified = True
    return notify.campaign_to_answer(campaign, actor=actor)


@transaction.atomic
def campaign_update(*, actor: Any, campaign: Campaign, **fields: Any) -> Campaign:
    _require(actor, campaign.municipality_id)
    if campaign.closed_at is not None:
        raise ValidationError(_("The campaign is closed: reopen it first."))
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for name, value in fields.items():
        if name in CAMPAIGN_FIELDS and value is not None:
            setattr(campaign, name, value.strip() if isinstance(value, str) else value)
    if not campaign.title or len(campaign.title) > 200:
        message = _("Give the campaign a title of at most 200 characters.")
        raise ValidationError({"title": [message]})
    _check_dates(campaign.starts_on, campaign.deadline, new=False)
    changes = diff(before, snapshot(campaign, CAMPAIGN_FIELDS))
    if changes:
        campaign.last_reminder_on = None if "deadline" in changes else campaign.last_reminder_on
        campaign.save()
        audit_log("readiness.campaign.update", actor=actor, obj=campaign, changes=changes)
        revision.changed(campaign.municipality_id)
    if campaign.starts_on <= today():
        open_campaign(campaign, actor=actor)
    return campaign


@transaction.atomic
def campaign_close(*, actor: Any, campaign: Campaign, closed: bool = True) -> Campaign:
    """Close a campaign (no more answers, even reopened ones), or reopen a closed one."""
    _require(actor, campaign.municipality_id)
    if closed == (campaign.closed_at is not None):
        return campaign
    campaign.closed_at = now() if closed else None
    campaign.save(update_fields=["closed_at"])
    audit_log("readiness.campaign.close" if closed else "readiness.campaign.reopen",
              actor=actor, obj=campaign)  # fmt: skip
    revision.changed(campaign.municipality_id)
    return campaign


def campaign_remind(*, actor: Any, campaign: Campaign) -> int:
    """Remind, now, the institutions that have not submitted and the teachers who have not
    assessed themselves. Answers the number of people told."""
    _require(actor, campaign.municipality_id)
    if not campaign.is_open:
        raise ValidationError(_("Only an open campaign sends reminders."))
    with transaction.atomic():
        told = notify.campaign_to_answer(campaign, actor=actor, reminder=True)
        Campaign.objects.filter(pk=campaign.pk).update(last_reminder_on=today())
        audit_log("readiness.campaign.remind", actor=actor, obj=campaign,
                  changes={"told": told})  # fmt: skip
    return told


def campaign_recompute(*, actor: Any, campaign: Campaign) -> int:
    _require(actor, campaign.municipality_id)
    with transaction.atomic():
        return scoring.recompute_campaign(campaign)


def daily(day: dt.date | None = None) -> dict[str, int]:
    """The daily run (Celery beat, or cron through ``python -m setka readiness_daily``):
    open the campaigns whose day has come, remind before deadlines, recompute open
    campaigns (Setka's own participation data changes)."""
    day = day or today()
    counts = {"opened": 0, "reminded": 0, "recomputed": 0}
    live = Campaign.objects.filter(closed_at__isnull=True, starts_on__lte=day)
    for campaign in live.filter(opened_notified=False):
        with transaction.atomic():
            counts["opened"] += open_campaign(campaign)
    for campaign in live.filter(deadline__gte=day):
        with transaction.atomic():
            left = (campaign.deadline - day).days
            if left in REMIND_DAYS and campaign.last_reminder_on != day:
                counts["reminded"] += notify.campaign_to_answer(campaign, actor=None, reminder=True)
                Campaign.objects.filter(pk=campaign.pk).update(last_reminder_on=day)
            counts["recomputed"] += scoring.recompute_campaign(campaign)
    return counts


SETTINGS_FIELDS = ix.SETTINGS_FIELDS


@transaction.atomic
def settings_update(*, actor: Any, municipality: Municipality, **values: Any) -> IndexSettings:
    """Change the municipality's index settings; every submitted answer of the municipality is
    scored again (the trend compares like with like)."""
    _require(actor, municipality.pk)
    settings = scoring.settings_for(municipality.pk)
    before = snapshot(settings, SETTINGS_FIELDS)
    for name, value in values.items():
        if name in SETTINGS_FIELDS and value is not None:
            setattr(settings, name, value)
    settings.full_clean(exclude=["municipality"])
    errors: dict[str, list[str]] = {}
    pairs = [("join_ready", "join_partly"), ("host_lesson_ready", "host_lesson_partly"),
             ("host_course_ready", "host_course_partly")]  # fmt: skip
    for ready, partly in pairs:
        if getattr(settings, partly) > getattr(settings, ready):
            errors[partly] = [_("“Partly ready” cannot start above “ready”.")]
    weights = [getattr(settings, f) for f in SETTINGS_FIELDS if f.startswith("weight_")]
    if not any(weights):
        errors["weight_infrastructure"] = [_("At least one dimension needs a weight.")]
    if errors:
        raise ValidationError(errors)
    changes = diff(before, snapshot(settings, SETTINGS_FIELDS))
    if not changes:
        return settings
    settings.updated_at = now()
    settings.save()
    audit_log("readiness.settings.update", actor=actor, obj=settings, changes=changes,
              municipality_id=municipality.pk)  # fmt: skip
    for campaign in Campaign.objects.filter(municipality=municipality):
        scoring.recompute_campaign(campaign)
    return settings
