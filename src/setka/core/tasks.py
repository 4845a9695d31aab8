"""Background jobs of the core (in-process when no broker is configured)."""

from celery import shared_task


@shared_task(name="core.prune_changes")
def prune_changes_task() -> int:
    """Every few minutes: each domain's rows of the change log folded into one
    (``core.changes``)."""
    from .changes import prune

    return prune()
