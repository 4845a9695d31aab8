from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_user_and_api_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="today_since",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="the last visit of «Сегодня» began"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="today_visit_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="this visit of «Сегодня» began"
            ),
        ),
    ]
