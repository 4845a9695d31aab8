"""The GIN index of the offers' Russian full-text search: PostgreSQL only (SQLite searches
with ``icontains`` and has no ``search`` vector to index)."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS offer_search_gin ON programs_offer USING gin (search)"
DROP = "DROP INDEX IF EXISTS offer_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_network_programmes")]

    operations = [migrations.RunPython(create, drop)]
