"""Background jobs of the journal (run eagerly when no broker is configured)."""

from celery import shared_task


@shared_task(name="journal.send_digests")
def send_digests_task(frequency: str | None = None) -> int:
    """The parents' e-mail digest of new marks and absences; ``frequency`` is "daily",
    "weekly" or None for every due subscription. Returns the number of letters sent."""
    from .digest import send_digests

    return send_digests(frequency)
