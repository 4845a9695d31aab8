"""Background jobs of the network module (run eagerly when no broker is configured)."""

from celery import shared_task


@shared_task(
    name="network.send_invitation_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation_email_task(person_id: int) -> None:
    from .services import send_invitation_email

    send_invitation_email(person_id)


@shared_task(
    name="network.send_email_changed_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_email_changed_notice_task(person_id: int, old: str, new: str, by: str) -> None:
    from .sign_in_email import send_notice

    send_notice(person_id, old, new, by)
