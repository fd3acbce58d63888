"""Fill `Claim.assigned_at` from the audit history (the first record with the current
assignee), and index external fact-checks' text for matching (PostgreSQL only)."""

from django.db import migrations
from django.db.models import F, Min, OuterRef, Subquery

CREATE = [
    "CREATE INDEX IF NOT EXISTS claims_externalfactcheck_fts ON claims_externalfactcheck "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(claim_reviewed, '')))"
]
DROP = ["DROP INDEX IF EXISTS claims_externalfactcheck_fts"]


def backfill_assigned_at(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    HistoricalClaim = apps.get_model("claims", "HistoricalClaim")
    first_with_assignee = (
        HistoricalClaim.objects.filter(id=OuterRef("pk"), assignee_id=OuterRef("assignee_id"))
        .values("id")
        .annotate(first=Min("history_date"))
        .values("first")
    )
    Claim.objects.filter(assignee__isnull=False, assigned_at__isnull=True).update(
        assigned_at=Subquery(first_with_assignee)
    )
    # Claims assigned before history was kept: the best we know is their last change.
    Claim.objects.filter(assignee__isnull=False, assigned_at__isnull=True).update(assigned_at=F("updated_at"))


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_external_fact_checks_and_assigned_at")]

    operations = [
        migrations.RunPython(backfill_assigned_at, migrations.RunPython.noop),
        migrations.RunPython(run(CREATE), run(DROP)),
    ]
