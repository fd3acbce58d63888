"""Full-text index on claim text: candidate generation for matching claims and search
(PostgreSQL only)."""

from django.db import migrations

CREATE = ["CREATE INDEX IF NOT EXISTS claims_claim_text_fts ON claims_claim USING gin (to_tsvector('simple', text))"]
DROP = ["DROP INDEX IF EXISTS claims_claim_text_fts"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_partners_and_fact_checks")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
