"""The journal's old e-mail digest becomes a channel of the notification centre: a parent's
DigestSubscription (daily or weekly) turns into their Preferences "in the e-mail digest" for
the journal's marks and absences, and their DigestSchedule (how often, and when the last
letter went). An "off" subscription had sent nothing and is left out. The journal's next
migration removes the old model."""

from django.db import migrations

# What the old digest held: new marks (with their corrections and deletions) and absences.
DIGEST_KINDS = (
    "journal.mark.created",
    "journal.mark.changed",
    "journal.mark.deleted",
    "journal.absence",
)


def forwards(apps, schema_editor):
    DigestSubscription = apps.get_model("journal", "DigestSubscription")
    Preference = apps.get_model("notifications", "Preference")
    DigestSchedule = apps.get_model("notifications", "DigestSchedule")
    subscriptions = DigestSubscription.objects.filter(frequency__in=["daily", "weekly"])
    for start in range(0, subscriptions.count(), 1000):
        batch = list(subscriptions.order_by("pk")[start : start + 1000])
        person_ids = [s.person_id for s in batch]
        chosen = set(
            Preference.objects.filter(person_id__in=person_ids, kind__in=DIGEST_KINDS).values_list(
                "person_id", "kind"
            )
        )
        Preference.objects.bulk_create(
            Preference(person_id=pid, kind=kind, channel="digest")
            for pid in person_ids
            for kind in DIGEST_KINDS
            if (pid, kind) not in chosen  # a choice made in the notification centre stays
        )
        scheduled = set(
            DigestSchedule.objects.filter(person_id__in=person_ids).values_list(
                "person_id", flat=True
            )
        )
        DigestSchedule.objects.bulk_create(
            DigestSchedule(
                person_id=s.person_id, frequency=s.frequency, last_sent_at=s.last_sent_at
            )
            for s in batch
            if s.person_id not in scheduled
        )


def backwards(apps, schema_editor):
    DigestSubscription = apps.get_model("journal", "DigestSubscription")
    Preference = apps.get_model("notifications", "Preference")
    DigestSchedule = apps.get_model("notifications", "DigestSchedule")
    person_ids = Preference.objects.filter(
        kind="journal.mark.created", channel="digest"
    ).values_list("person_id", flat=True)
    schedules = {
        s.person_id: s for s in DigestSchedule.objects.filter(person_id__in=list(person_ids))
    }
    for pid in person_ids:
        schedule = schedules.get(pid)
        DigestSubscription.objects.update_or_create(
            person_id=pid,
            defaults={
                "frequency": schedule.frequency if schedule else "daily",
                "last_sent_at": schedule.last_sent_at if schedule else None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_notification_centre"),
        ("journal", "0004_group_shift"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
