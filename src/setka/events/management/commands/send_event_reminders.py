"""``python -m setka send_event_reminders``: the reminders due now, for cron (every five
minutes) when no Celery beat runs. Each reminder is sent once, however often it runs."""

from django.core.management.base import BaseCommand

from setka.events.services.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the due reminders of events (the day before and shortly before the start)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} reminders sent")
