"""Risk-engine weights for the event-type, ATHG and reliability terms (early-warning issue).

The weights are the factors `warnings.severity` multiplies into an item's severity: the event type
factor is the highest of the item's ACLED type, SNPK and ATHG weights, the reliability factor the
product of the source-reliability and information-credibility weights. Admins tune them later as
data; the reverse puts back the values 0003 seeded.
"""

from django.db import migrations

WEIGHTS = {
    "acled_type": {
        "battles": 2,
        "explosions": 2,
        "violence-against-civilians": 2,
        "riots": 1.5,
        "protests": 1,
        "strategic-developments": 0.5,
    },
    "athg": {"ancaman": 1.5, "gangguan": 1.3, "hambatan": 1, "tantangan": 0.8},
    # F / 6 = "cannot be judged": between fairly reliable and unreliable, not zero.
    "source_reliability": {"a": 1.0, "b": 0.95, "c": 0.85, "d": 0.7, "e": 0.5, "f": 0.6},
    "info_credibility": {"1": 1.0, "2": 0.95, "3": 0.85, "4": 0.7, "5": 0.5, "6": 0.6},
}

# What 0003_seed_terms wrote, for the reverse migration.
PREVIOUS = {
    "acled_type": {
        "battles": 2,
        "explosions": 2,
        "violence-against-civilians": 1.75,
        "riots": 1.5,
        "protests": 0.75,
        "strategic-developments": 0.5,
    },
    "athg": {"ancaman": 1.5, "gangguan": 1.25, "hambatan": 0.75, "tantangan": 0.75},
    "source_reliability": {"a": 1.0, "b": 0.9, "c": 0.75, "d": 0.5, "e": 0.25, "f": 0.5},
    "info_credibility": {"1": 1.0, "2": 0.9, "3": 0.75, "4": 0.5, "5": 0.25, "6": 0.5},
}


def _apply(apps, table):
    Term = apps.get_model("events", "Term")
    for axis, weights in table.items():
        for code, weight in weights.items():
            Term.objects.filter(axis=axis, code=code).update(weight=weight)


def forwards(apps, schema_editor):
    _apply(apps, WEIGHTS)


def backwards(apps, schema_editor):
    _apply(apps, PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("events", "0004_item_search_index")]
    operations = [migrations.RunPython(forwards, backwards)]
