"""One full-text index on claim text, written as Django's SearchVector(config="simple")
writes it, so the ORM's search and the matching job both use it; the trigram index goes
(it cost as much again as the rest of storing an article's claims)."""

from django.db import migrations

EXPRESSION = "to_tsvector('simple'::regconfig, COALESCE(text, ''))"
FORWARD = [
    "DROP INDEX IF EXISTS claims_claim_text_trgm",
    "DROP INDEX IF EXISTS claims_claim_text_fts",
    f"CREATE INDEX IF NOT EXISTS claims_claim_text_fts ON claims_claim USING gin ({EXPRESSION})",
]
BACKWARD = [
    "DROP INDEX IF EXISTS claims_claim_text_fts",
    "CREATE INDEX IF NOT EXISTS claims_claim_text_fts ON claims_claim USING gin (to_tsvector('simple', text))",
    "CREATE INDEX IF NOT EXISTS claims_claim_text_trgm ON claims_claim USING gin (text gin_trgm_ops)",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_claim_text_fts_index")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
