"""The claim as checked joins the claim's full-text index, so "already checked?" and search
find a published fact-check by the statement its page and ClaimReview show, not only by the
sentence as found (the two differ when the editor restated it).

PostgreSQL: the stored tsvector weighs the sentence as found (A) above the statement (B),
as imported fact-checks weigh their claim above their headline. SQLite: the FTS5 table gets
the second column and its triggers follow it.
"""

from django.db import migrations

from claims import fts

VECTOR = "ALTER TABLE claims_claim ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({}) STORED"
TEXT_ONLY = "to_tsvector('english'::regconfig, COALESCE(text, ''))"
WITH_STATEMENT = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(text, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(statement, '')), 'B')"
)
INDEX = "CREATE INDEX claims_claim_search ON claims_claim USING gin (search_vector) WITH (fastupdate = off)"


def postgres(vector: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS claims_claim_search",
        "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_vector",
        VECTOR.format(vector),
        INDEX,
        "ANALYZE claims_claim",
    ]


def sqlite(columns: list[str]) -> list[str]:
    table = "claims_claim"
    return [
        f"DROP TRIGGER IF EXISTS {table}_fts_ai",
        f"DROP TRIGGER IF EXISTS {table}_fts_ad",
        f"DROP TRIGGER IF EXISTS {table}_fts_au",
        f"DROP TABLE IF EXISTS {table}_fts_vocab",
        f"DROP TABLE IF EXISTS {table}_fts",
        *fts.create(table, columns),
    ]


def run(postgres_sql: list[str], sqlite_sql: list[str]):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in postgres_sql if vendor == "postgresql" else sqlite_sql if vendor == "sqlite" else []:
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0020_merge_parallel_work")]

    operations = [
        migrations.RunPython(
            run(postgres(WITH_STATEMENT), sqlite(["text", "statement"])),
            run(postgres(TEXT_ONLY), sqlite(["text"])),
        ),
    ]
