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
