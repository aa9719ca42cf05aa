"""GIN expression indexes for full-text search, on PostgreSQL only (SQLite searches
with a simple `icontains` and needs none)."""

from django.db import migrations

from circles.search.indexes import INDEXED, gin_index


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, field, name in INDEXED:
        schema_editor.add_index(apps.get_model("circles", model_name), gin_index(field, name))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, field, name in INDEXED:
        schema_editor.remove_index(
            apps.get_model("circles", model_name), gin_index(field, name)
        )


class Migration(migrations.Migration):
    dependencies = [("circles", "0003_chat_pace_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
