"""``python -m setka send_journal_digest [--daily|--weekly]``: the old name of
``python -m setka send_notifications --digests`` — the notification centre's due digests,
which hold the parents' news of marks and absences (docs/deployment.md, "Notifications")."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from setka.journal.tasks import send_digests_task


class Command(BaseCommand):
    help = "Send the due e-mail digests (an alias of send_notifications --digests)."

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--daily", action="store_const", const="daily", dest="frequency",
            help="only the people whose digest comes every day",
        )  # fmt: skip
        which.add_argument(
            "--weekly", action="store_const", const="weekly", dest="frequency",
            help="only the people whose digest comes once a week",
        )  # fmt: skip

    def handle(self, *args, frequency: str | None = None, **options) -> None:
        # Run here and now (a cron job waits for it), whether or not a broker is configured.
        sent = send_digests_task.apply(kwargs={"frequency": frequency}).get()
        self.stdout.write(f"notifications: {sent} digest(s) sent")
