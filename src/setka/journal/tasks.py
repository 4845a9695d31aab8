"""Background jobs of the journal (run eagerly when no broker is configured)."""

from celery import shared_task


@shared_task(name="journal.send_digests")
def send_digests_task(frequency: str | None = None) -> int:
    """The old name of ``notifications.send_digests`` (kept for beat schedules written for
    it): the notification centre's due digests, which hold the parents' news of marks and
    absences; ``frequency`` is "daily", "weekly" or None for all. Returns the letters sent."""
    from .services.digest import send_digests

    return send_digests(frequency)
