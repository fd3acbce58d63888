"""Trigram index on claim text for `match_claims` and search (PostgreSQL only: SQLite uses
a plain fallback and gets no index)."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS claims_claim_text_trgm ON claims_claim USING gin (text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS claims_claim_text_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_extraction_results")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
