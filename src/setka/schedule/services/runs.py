"""Running the builder. ``run_request`` records a run (the schedule is *running* until it
ends) and the caller queues it (``tasks.queue_run``: a Celery task, or in-process without a
broker, when the request waits for it); ``run_execute`` is the task's body: the solver, then
the whole proposal written at once (or nothing, and the run *failed* with the error)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.core.clock import now

from .. import notify
from ..models import Item, Run, Schedule
from ..solver import Result, solve_schedule
from .schedules import Busy, _locked, check_builder

logger = logging.getLogger(__name__)
#: A run still "running" this long after its time limit is taken for lost (a worker died).
STALE_AFTER = dt.timedelta(minutes=5)


@transaction.atomic
def run_request(*, actor, schedule: Schedule) -> Run:
    person_id = check_builder(actor, schedule.municipality_id)
    schedule = _locked(schedule)
    active = schedule.runs.filter(status__in=[Run.Status.QUEUED, Run.Status.RUNNING]).first()
    if active is not None:
        if now() - active.created_at < dt.timedelta(seconds=active.time_limit) + STALE_AFTER:
            raise Busy(schedule)
        active.status, active.finished_at = Run.Status.FAILED, now()
        active.error = _("The run was lost (its worker stopped); it was run again.")
        active.save(update_fields=["status", "finished_at", "error"])
    if not schedule.items.filter(event__isnull=True).exists():
        raise ValidationError({"items": _("Add the items to place first.")})
    number = (schedule.runs.aggregate(m=Max("number"))["m"] or 0) + 1
    run = Run.objects.create(
        schedule=schedule,
        number=number,
        requested_by_id=person_id,
        time_limit=schedule.time_limit,
        created_at=now(),
    )
    schedule.state = Schedule.State.RUNNING
    schedule.save(update_fields=["state"])
    audit_log(
        "schedule.run",
        actor=actor,
        obj=schedule,
        municipality_id=schedule.municipality_id,
        changes={"run": [None, number]},
    )
    return run


def run_execute(run_id: int) -> Run | None:
    """Solve and write the proposal. Never raises: a failure is recorded on the run."""
    with transaction.atomic():
        run = Run.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != Run.Status.QUEUED:
            return run
        run.status, run.started_at = Run.Status.RUNNING, now()
        run.save(update_fields=["status", "started_at"])
    schedule = Schedule.objects.get(pk=run.schedule_id)
    try:
        result = solve_schedule(schedule, time_limit=run.time_limit)
        with transaction.atomic():
            _write(run, schedule, result)
    except Exception as exc:
        logger.exception("schedule run %s failed", run_id)
        with transaction.atomic():
            run.status, run.finished_at = Run.Status.FAILED, now()
            run.error = str(exc)[:2000] or exc.__class__.__name__
            run.save(update_fields=["status", "finished_at", "error"])
            _settle(_locked(schedule))
        return run
    notify.proposal_ready(schedule, run)
    return run


def _settle(schedule: Schedule) -> None:
    """The state after a run: proposed when something waits to be published."""
    waiting = schedule.items.filter(event__isnull=True, starts_at__isnull=False).exists()
    if waiting:
        schedule.state = Schedule.State.PROPOSED
    elif schedule.version:
        schedule.state = Schedule.State.PUBLISHED
    else:
        schedule.state = Schedule.State.DRAFT
    schedule.updated_at = now()
    schedule.save(update_fields=["state", "updated_at"])


def _write(run: Run, schedule: Schedule, result: Result) -> None:
    schedule = _locked(schedule)
    loader, problem = result.loader, result.problem
    specs = {s.item: s for s in problem.specs}
    changed = []
    for item in loader.items:
        if item.event_id:
            spec = specs[item.pk]
            if item.warnings != spec.warnings:
                item.warnings = spec.warnings
                changed.append(item)
            continue
        c = result.placement.get(item.pk)
        venue = problem.venues[c.venue] if c else None
        item.starts_at = loader.moment(c.day, c.start % 1440) if c else None
        item.ends_at = loader.moment(c.day, c.end - c.day * 1440) if c else None
        item.venue_id = venue.institution_id if venue else None
        item.resource_id = venue.resource_id if venue else None
        item.reason = {} if c else result.reasons.get(item.pk, {})
        item.warnings = specs[item.pk].warnings
        changed.append(item)
    Item.objects.bulk_update(
        changed, ["starts_at", "ends_at", "venue", "resource_id", "reason", "warnings"]
    )
    outcome = result.outcome
    run.status, run.finished_at = Run.Status.DONE, now()
    run.solver_status = outcome.status
    run.objective, run.bound, run.gap = outcome.objective, outcome.bound, outcome.gap
    run.wall_seconds = round(outcome.wall_seconds + result.load_seconds, 3)
    run.items_total = result.to_place
    run.placed = len(result.placement)
    run.greedy_placed = len(result.greedy)
    run.candidates = len(problem.candidates)
    run.used_greedy = result.used_greedy
    run.save()
    _settle(schedule)
