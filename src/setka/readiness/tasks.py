"""Background work of the readiness survey (run in-process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="readiness.daily")
def daily_task() -> dict[str, int]:
    """Open the campaigns whose day has come, remind before deadlines, recompute open ones."""
    from .services import daily

    return daily()
