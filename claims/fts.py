"""SQLite's full-text tables: FTS5 indexes over claims, imported fact-checks and quotes,
kept in step with their tables by triggers (PostgreSQL uses stored tsvector columns; see
migration 0017).

SQLite drops a table's triggers when a migration rebuilds the table (it copies the rows to
a new table for most column changes), so after every `migrate` the triggers are made again
where they are missing and those indexes rebuilt from their tables.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

TABLES = {
    "claims_claim": ["text", "statement"],
    "claims_externalfactcheck": ["claim_reviewed", "headline"],
    "claims_quote": ["text"],
}


def triggers(table: str, columns: list[str]) -> list[str]:
    fts, cols = f"{table}_fts", ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def create(table: str, columns: list[str]) -> list[str]:
    """An external-content FTS5 table over `columns` of `table`, filled from it and kept in
    step by triggers."""
    fts, cols = f"{table}_fts", ", ".join(columns)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        # How many rows hold each term: lets a lookup leave out the commonest words.
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts}_vocab USING fts5vocab('{fts}', 'row')",
        *triggers(table, columns),
    ]


def sqlite_fts_repair(*, using: str = "default", **_: Any) -> list[str]:
    """Make again the triggers a table rebuild dropped, and rebuild those tables' indexes.
    Returns the tables repaired. Does nothing on PostgreSQL or before the indexes exist."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        for table, columns in TABLES.items():
            fts = f"{table}_fts"
            if fts not in present or all(f"{fts}_{kind}" in present for kind in ("ai", "ad", "au")):
                continue
            for sql in triggers(table, columns):
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            repaired.append(table)
    return repaired
