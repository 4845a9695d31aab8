"""``python -m setka send_notifications [--pending] [--digests] [--purge]``: the notification
centre's periodic work, for a cron job when no Celery beat runs (docs/deployment.md).
Without options, all three."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from setka.notifications.delivery import send_digests, send_pending
from setka.notifications.services import purge_old


def add_frequency(parser) -> None:
    """``--daily`` / ``--weekly``: only the digests of that schedule."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--daily", action="store_const", const="daily", dest="frequency",
        help="digests: only the people whose digest comes every day",
    )  # fmt: skip
    which.add_argument(
        "--weekly", action="store_const", const="weekly", dest="frequency",
        help="digests: only the people whose digest comes once a week",
    )  # fmt: skip


class Command(BaseCommand):
    help = "Send pending e-mails and due digests of notifications, and purge old ones."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pending", action="store_true", help="letters not sent yet")
        parser.add_argument("--digests", action="store_true", help="the digests that are due")
        parser.add_argument("--purge", action="store_true", help="notifications over a year old")
        add_frequency(parser)

    def handle(
        self, *args, pending=False, digests=False, purge=False, frequency=None, **options
    ) -> None:
        everything = not (pending or digests or purge)
        if pending or everything:
            self.stdout.write(f"notifications: {send_pending()} letter(s) sent")
        if digests or everything:
            self.stdout.write(f"notifications: {send_digests(frequency=frequency)} digest(s) sent")
        if purge or everything:
            self.stdout.write(f"notifications: {purge_old()} old notification(s) removed")
