"""The one RiskSettings row (id 1) with the model's defaults, so every reader finds it."""

from django.db import migrations


def seed(apps, schema_editor):
    RiskSettings = apps.get_model("warnings", "RiskSettings")
    RiskSettings.objects.get_or_create(id=1)


def unseed(apps, schema_editor):
    apps.get_model("warnings", "RiskSettings").objects.filter(id=1).delete()


class Migration(migrations.Migration):
    dependencies = [("warnings", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
