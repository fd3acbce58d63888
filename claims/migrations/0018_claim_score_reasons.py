from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_gin_indexes_without_pending_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="score_reasons",
            field=models.JSONField(
                blank=True, default=list, help_text='What the score rests on: "states a figure", "compares".'
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="score_reasons",
            field=models.JSONField(
                blank=True, default=list, help_text='What the score rests on: "states a figure", "compares".'
            ),
        ),
    ]
