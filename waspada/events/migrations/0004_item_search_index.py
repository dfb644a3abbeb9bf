"""PostgreSQL only: a GIN index on the item search document of `events.search.item_document`.

Created through the schema editor from the same expression the search uses, so the SQL matches
the query exactly and the planner can use it. Other databases (SQLite) get nothing: their search
is a substring match. Model state is unchanged, so `makemigrations --check` stays clean.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "events_item_search_gin"


def _index() -> GinIndex:
    return GinIndex(
        SearchVector("title", "chronology", config="simple"),
        name=INDEX_NAME,
    )


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("events", "Item"), _index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("events", "Item"), _index())


class Migration(migrations.Migration):
    dependencies = [("events", "0003_seed_terms")]

    operations = [migrations.RunPython(add_index, remove_index, elidable=False)]
