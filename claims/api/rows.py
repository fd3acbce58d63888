"""Rows of a values() query read with psycopg's own loaders, for the partner API's lists.

Django reads each timestamptz through a Python subclass of psycopg's loader (to pin its
time zone) and each jsonb as text that a converter then parses: on a page of 100
fact-checks that was most of the time spent reading it. Here the same SQL, compiled by
the ORM, runs on the same connection with psycopg's C loaders for those two types; the
rows are the dicts values() would give: the same aware datetimes (the connection's time
zone is UTC) and the same parsed JSON. Other databases, and queries whose columns need
any other converter, are read by the ORM as usual.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import JSONField, QuerySet
from django.db.models.query import ValuesIterable

try:
    import psycopg
    from psycopg.pq import Format
except ImportError:  # pragma: no cover - psycopg is a requirement
    psycopg = None


def _loaders() -> dict[str, type]:
    types = psycopg.postgres.types
    return {name: psycopg.adapters.get_loader(types[name].oid, Format.TEXT) for name in ("timestamptz", "jsonb")}


LOADERS = _loaders() if psycopg is not None else {}


def _plain_json(converters: list, expression) -> bool:
    field = getattr(expression, "output_field", None)
    return (
        isinstance(field, JSONField)
        and field.decoder is None
        and all(getattr(f, "__func__", None) is JSONField.from_db_value for f in converters)
    )


class PsycopgValuesIterable(ValuesIterable):
    def __iter__(self):
        queryset = self.queryset
        connection = connections[queryset.db]
        query = queryset.query
        if connection.vendor != "postgresql" or not LOADERS:
            yield from super().__iter__()
            return
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a filter that no row can meet
            return
        columns = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        if not all(_plain_json(*found) for found in converters.values()):
            yield from super().__iter__()
            return
        # As values() names them (extra(select=...) columns come first).
        names = list(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
        with connection.cursor() as cursor:  # Django's wrapper: errors, query log, counts
            for name, loader in LOADERS.items():
                cursor.cursor.adapters.register_loader(name, loader)
            cursor.execute(sql, params)
            rows = cursor.cursor.fetchall()
        for row in rows:
            yield dict(zip(names, row, strict=True))


def psycopg_rows(queryset: QuerySet) -> QuerySet:
    """The values() queryset `queryset`, reading its rows with psycopg's C loaders (a
    clone: filter, order and slice it as usual)."""
    clone = queryset.all()
    if clone._iterable_class is ValuesIterable:  # the documented values() iterable
        clone._iterable_class = PsycopgValuesIterable
    return clone
