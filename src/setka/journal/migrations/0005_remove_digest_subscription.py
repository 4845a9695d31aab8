"""The journal's own e-mail digest is gone: its subscriptions were moved into the
notification centre (notifications.0002_journal_digest_subscriptions) first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0004_group_shift"),
        ("notifications", "0002_journal_digest_subscriptions"),
    ]

    operations = [migrations.DeleteModel(name="DigestSubscription")]
