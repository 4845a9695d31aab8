"""Background jobs of the schedule builder (in-process when no broker is configured: then the
request that started a run waits for it)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="schedule.run")
def run_task(run_id: int) -> int | None:
    from .services import run_execute

    run = run_execute(run_id)
    return run.placed if run is not None else None


def queue_run(run) -> None:
    """Start the run (call it after the transaction that recorded it). Without a worker it
    runs here and now."""
    try:
        run_task.delay(run.pk)
    except Exception:  # the broker is down: run it here rather than leave it waiting
        logger.exception("could not queue schedule run %s; running it in-process", run.pk)
        run_task(run.pk)
