"""Background jobs of the notification centre (in-process when no broker is configured)."""

from celery import shared_task


@shared_task(name="notifications.deliver")
def deliver_task(ids: list[int]) -> int:
    """The e-mails of these notifications, now."""
    from .delivery import send_pending

    return send_pending(ids)


@shared_task(name="notifications.send_pending")
def send_pending_task() -> int:
    """The sweep: every pending letter that failed or was never queued, tried again."""
    from .delivery import send_pending

    return send_pending()


@shared_task(name="notifications.send_digests")
def send_digests_task() -> int:
    """The due digests (daily or weekly by each person's choice)."""
    from .delivery import send_digests

    return send_digests()


@shared_task(name="notifications.purge")
def purge_task() -> int:
    """Notifications older than a school year are removed."""
    from .services import purge_old

    return purge_old()
