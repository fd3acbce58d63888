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

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import JSONField, QuerySet
from django.db.models.query import ValuesIterable

if TYPE_CHECKING:
    from psycopg.abc import Loader


def _loaders() -> dict[str, type[Loader]]:
    try:
        import psycopg
        from psycopg.pq import Format
    except ImportError:  # pragma: no cover - psycopg is a requirement
        return {}
    types = psycopg.postgres.types
    loaders = {}
    for name in ("timestamptz", "jsonb"):
        loader = psycopg.adapters.get_loader(types[name].oid, Format.TEXT)
        assert loader is not None  # psycopg registers a text loader for both
        loaders[name] = loader
    return loaders


LOADERS = _loaders()


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
        yield from _fetch(connection, sql, params, names)


def _fetch(connection, sql: str, params, names: list[str]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:  # Django's wrapper: errors, query log, counts
        for name, loader in LOADERS.items():
            cursor.cursor.adapters.register_loader(name, loader)
        cursor.execute(sql, params)
        rows = cursor.cursor.fetchall()
    return [dict(zip(names, row, strict=True)) for row in rows]


def psycopg_rows(queryset: QuerySet) -> QuerySet:
    """The values() queryset `queryset`, reading its rows with psycopg's C loaders (a
    clone: filter, order and slice it as usual)."""
    clone = queryset.all()
    if clone._iterable_class is ValuesIterable:  # the documented values() iterable
        clone._iterable_class = PsycopgValuesIterable
    return clone


# A value no real row holds, to find where a filter's value sits among the compiled SQL's
# parameters.
_MARK = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)


class CompiledPages:
    """A values() queryset as a cursor paginator pages it (`order_by`, one comparison
    `filter`, a slice), its SQL compiled once per shape and kept.

    Compiling a 27-column, five-join query costs about as much as running it; the pages of
    one list differ only in their ordering, the comparison and its value, and the slice,
    so each shape is compiled once and later pages only bind their value. On databases
    other than PostgreSQL, or for a shape the ORM cannot compile, this is the queryset.
    """

    MAX_SHAPES = 256

    def __init__(self, queryset: QuerySet) -> None:
        self.queryset = queryset
        self._shapes: dict[tuple, tuple[str, list, list[str], int | None] | None] = {}

    def order_by(self, *fields: str) -> _Page:
        return _Page(self, fields, None, None)

    def _compiled(self, ordering: tuple[str, ...], lookup: str | None, low: int, high: int):
        """(sql, parameters, column names, where the lookup's value goes), or None when
        this shape is read by the ORM (columns needing a converter of their own)."""
        key = (ordering, lookup, low, high)
        if key in self._shapes:
            return self._shapes[key]
        queryset = self.queryset.order_by(*ordering)
        if lookup is not None:
            queryset = queryset.filter(**{lookup: _MARK})
        query = queryset[low:high].query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()  # EmptyResultSet: not kept, the caller answers []
        params = list(params)
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        found = None
        if all(_plain_json(*each) for each in converters.values()) and (lookup is None or _MARK in params):
            names = list(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
            found = (sql, params, names, None if lookup is None else params.index(_MARK))
        if len(self._shapes) >= self.MAX_SHAPES:
            self._shapes.clear()
        self._shapes[key] = found
        return found


class _Page:
    def __init__(self, pages: CompiledPages, ordering: tuple[str, ...], lookup: str | None, value) -> None:
        self.pages, self.ordering, self.lookup, self.value = pages, ordering, lookup, value

    def order_by(self, *fields: str) -> _Page:
        return _Page(self.pages, fields, self.lookup, self.value)

    def filter(self, **kwargs) -> _Page:
        if self.lookup is not None or len(kwargs) != 1:
            raise TypeError("A compiled page takes one comparison.")
        ((lookup, value),) = kwargs.items()
        return _Page(self.pages, self.ordering, lookup, value)

    def _queryset(self) -> QuerySet:
        queryset = self.pages.queryset.order_by(*self.ordering)
        return queryset if self.lookup is None else queryset.filter(**{self.lookup: self.value})

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        queryset = self.pages.queryset
        connection = connections[queryset.db]
        if (
            not isinstance(window, slice)
            or window.step is not None
            or connection.vendor != "postgresql"
            or not LOADERS
            or queryset._iterable_class is not ValuesIterable
        ):
            return list(psycopg_rows(self._queryset())[window])
        low, high = window.start or 0, window.stop
        try:
            compiled = self.pages._compiled(self.ordering, self.lookup, low, high)
        except EmptyResultSet:  # a filter that no row can meet
            return []
        if compiled is None:
            return list(psycopg_rows(self._queryset())[window])
        sql, params, names, at = compiled
        if at is not None and self.lookup is not None:  # `at`: where the lookup's value goes
            # The value as the lookup would bind it (a cursor's position is a string).
            field = queryset.model._meta.get_field(self.lookup.rpartition("__")[0])
            params = [*params]
            params[at] = field.get_db_prep_value(field.get_prep_value(self.value), connection, prepared=True)
        return _fetch(connection, sql, params, names)
