"""``python -m setka send_journal_digest [--daily|--weekly]``: send the parents' e-mail
digests that are due (see docs/deployment.md, "Journal digest")."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from setka.journal.tasks import send_digests_task


class Command(BaseCommand):
    help = "Send the parents' e-mail digests of new marks and absences that are due."

    def add_arguments(self, parser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--daily", action="store_const", const="daily", dest="frequency",
            help="only the daily subscriptions",
        )  # fmt: skip
        which.add_argument(
            "--weekly", action="store_const", const="weekly", dest="frequency",
            help="only the weekly subscriptions",
        )  # fmt: skip

    def handle(self, *args, frequency: str | None = None, **options) -> None:
        # Run here and now (a cron job waits for it), whether or not a broker is configured.
        sent = send_digests_task.apply(kwargs={"frequency": frequency}).get()
        self.stdout.write(f"journal digest: {sent} letter(s) sent")
