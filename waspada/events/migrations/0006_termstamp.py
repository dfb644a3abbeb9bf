"""TermStamp: one row that changes with every change to the Term table (see `events.terms`).

Triggers on events_term write a new random value into it on every INSERT, UPDATE or DELETE (and
TRUNCATE on PostgreSQL), so a process that caches the taxonomy can tell, from one value read in a
query it makes anyway, whether its copy is still current, whoever changed the terms and however.
PostgreSQL: one statement-level trigger; SQLite: a row-level trigger per operation.

SQLite drops a table's triggers when Django's schema editor rebuilds the table (any later
migration that alters Term): `events.terms.install_triggers` puts them back, and a test checks
they exist.
"""

from django.db import migrations, models


def install(apps, schema_editor):
    from waspada.events.terms import install_triggers

    install_triggers(schema_editor.connection)


def uninstall(apps, schema_editor):
    from waspada.events.terms import remove_triggers

    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("events", "0005_term_risk_weights")]

    operations = [
        migrations.CreateModel(
            name="TermStamp",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("value", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
