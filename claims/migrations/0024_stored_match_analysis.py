"""Each claim and imported fact-check keeps what "already checked?" compares of it as a
candidate (claims.retrieval.analysis_dump of its compared text): the matching job read ~2,400
candidates per article and analysed every one again. Existing rows are filled here; a row
left empty (or changed outside the models) is analysed when it comes up, as before.
"""

from django.db import migrations, models

from claims import retrieval

BATCH = 2000


def fill(model, columns: tuple[str, str]) -> None:
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", *columns)[:BATCH])
        if not rows:
            return
        model.objects.bulk_update(
            [model(pk=pk, analysis=retrieval.analysis_dump(f"{first} {second}")) for pk, first, second in rows],
            ["analysis"],
        )
        last = rows[-1][0]


def backfill(apps, schema_editor):
    fill(apps.get_model("claims", "Claim"), ("text", "statement"))
    fill(apps.get_model("claims", "ExternalFactCheck"), ("claim_reviewed", "headline"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0023_claim_statement_in_full_text")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="analysis",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.AddField(
            model_name="externalfactcheck",
            name="analysis",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
