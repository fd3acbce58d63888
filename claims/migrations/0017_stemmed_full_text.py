"""Stemmed, ranked full-text search on both databases, for "already checked?" and search.

PostgreSQL: claims and imported fact-checks get a stored tsvector in the 'english'
configuration (stemmed, stop words dropped), GIN-indexed, so ranking reads it instead of
re-parsing every candidate's text; imported fact-checks weigh their claim above their
headline. Quotes get a GIN index on the same configuration. The old 'simple' indexes go.

SQLite: FTS5 tables (Porter stemming) kept in step with their tables by triggers, ranked
with bm25(). The models do not see either: only the raw SQL of claims.matching and
claims.search reads them.
"""

from django.db import migrations

from claims import fts

# The tables and columns as they were then (0023 adds the claim's statement as checked).
FTS5_TABLES = {
    "claims_claim": ["text"],
    "claims_externalfactcheck": ["claim_reviewed", "headline"],
    "claims_quote": ["text"],
}

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS claims_claim_text_fts",
    "DROP INDEX IF EXISTS claims_externalfactcheck_fts",
    "ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS claims_claim_search ON claims_claim USING gin (search_vector) WITH (fastupdate = off)",
    "ALTER TABLE claims_externalfactcheck ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, COALESCE(claim_reviewed, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'B')) STORED",
    "CREATE INDEX IF NOT EXISTS claims_externalfactcheck_search ON claims_externalfactcheck "
    "USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS claims_quote_search ON claims_quote "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''))) WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS claims_quote_search",
    "DROP INDEX IF EXISTS claims_externalfactcheck_search",
    "ALTER TABLE claims_externalfactcheck DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS claims_claim_search",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX IF NOT EXISTS claims_claim_text_fts ON claims_claim "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, ''))) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS claims_externalfactcheck_fts ON claims_externalfactcheck "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(claim_reviewed, ''))) WITH (fastupdate = off)",
]


SQLITE_FORWARD = [sql for table, columns in FTS5_TABLES.items() for sql in fts.create(table, columns)]
SQLITE_BACKWARD = [
    sql
    for table in FTS5_TABLES
    for sql in (
        f"DROP TRIGGER IF EXISTS {table}_fts_ai",
        f"DROP TRIGGER IF EXISTS {table}_fts_ad",
        f"DROP TRIGGER IF EXISTS {table}_fts_au",
        f"DROP TABLE IF EXISTS {table}_fts_vocab",
        f"DROP TABLE IF EXISTS {table}_fts",
    )
]


def run(postgres: list[str], sqlite: list[str]):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in postgres if vendor == "postgresql" else sqlite if vendor == "sqlite" else []:
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("claims", "0011_gin_indexes_without_pending_list")]

    operations = [
        migrations.RunPython(run(POSTGRES_FORWARD, SQLITE_FORWARD), run(POSTGRES_BACKWARD, SQLITE_BACKWARD)),
    ]
