"""Background jobs of the events module (in-process when no broker is configured)."""

from celery import shared_task


@shared_task(name="events.send_reminders")
def send_reminders_task() -> int:
    """The reminders due now (the day before, and shortly before the start), each once."""
    from .services.reminders import send_reminders

    return send_reminders()
