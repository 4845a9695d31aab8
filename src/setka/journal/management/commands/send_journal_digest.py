"""``python -m setka send_journal_digest [--daily|--weekly]``: the old name of
``python -m setka send_notifications --digests`` — the notification centre's due digests,
which hold the parents' news of marks and absences (docs/deployment.md, "Notifications")."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from setka.journal.tasks import send_digests_task
from setka.notifications.management.commands.send_notifications import add_frequency


class Command(BaseCommand):
    help = "Send the due e-mail digests (an alias of send_notifications --digests)."

    def add_arguments(self, parser) -> None:
        add_frequency(parser)

    def handle(self, *args, frequency: str | None = None, **options) -> None:
        # Run here and now (a cron job waits for it), whether or not a broker is configured.
        sent = send_digests_task.apply(kwargs={"frequency": frequency}).get()
        self.stdout.write(f"notifications: {sent} digest(s) sent")
