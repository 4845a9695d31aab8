"""``python -m setka readiness_daily``: the readiness survey's daily run, for cron when no
Celery beat runs (docs/deployment.md): campaigns that open today are announced, reminders go
out 7, 3 and 1 days before a deadline and on the day, open campaigns are scored again."""

from django.core.management.base import BaseCommand

from setka.readiness.services import daily


class Command(BaseCommand):
    help = "Announce opening readiness campaigns, remind before deadlines, recompute the index."

    def handle(self, *args, **options) -> None:
        counts = daily()
        self.stdout.write(
            "opened: {opened}, people reminded: {reminded}, recomputed: {recomputed}".format(
                **counts
            )
        )
