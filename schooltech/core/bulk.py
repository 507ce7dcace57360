"""Write many rows, with their history rows, fast: a 20,000-row register file, every school's plan.

On PostgreSQL rows go in with COPY (ids taken from the table's sequence first, so the history
rows can name them) and updates go through a temporary table and one UPDATE ... FROM. Elsewhere
(SQLite) Django's and django-simple-history's bulk helpers do the same job more slowly. Callers
set every value first (`auto_now` fields included): nothing here fills them in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import JSONField, Model
from django.db.models.base import ModelState
from django.utils import timezone
from psycopg.types.json import Jsonb
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from schooltech.core.history import short_reason

HISTORY_EXTRAS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _copy(table: str, columns: list[str], rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _allocate_ids(model: type[Model], count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


def _json(field) -> Callable[[Any], Any]:
    encoder = field.encoder
    dumps = (lambda value: json.dumps(value, cls=encoder)) if encoder else json.dumps
    return lambda value: None if value is None else Jsonb(value, dumps=dumps)


def _rows(objects: list[Model], fields) -> list[tuple]:
    """Each object's values for COPY, JSON as JSON (a list would otherwise go in as an array)."""
    names = [f.attname for f in fields]
    if connection.vendor != "postgresql" or not any(isinstance(f, JSONField) for f in fields):
        return [tuple(getattr(item, name) for name in names) for item in objects]
    adapt = [(index, _json(f)) for index, f in enumerate(fields) if isinstance(f, JSONField)]
    rows = []
    for item in objects:
        row = [getattr(item, name) for name in names]
        for index, to_json in adapt:
            row[index] = to_json(row[index])
        rows.append(tuple(row))
    return rows


def unsaved(model: type[Model]) -> Callable[..., Model]:
    """A maker of new rows for `insert` and `create_with_history` only, for millions of generated
    rows: the model's defaults, then the values given, by attribute name (`establishment_id=`,
    never `establishment=`), without `Model.__init__`'s work for each field (25 µs a row, two
    minutes of CPU for five million). Nothing is checked or converted."""
    fields = model._meta.concrete_fields
    fresh = [f for f in fields if f.has_default() and callable(f.default)]  # a list or a time: its own
    fixed = {f.attname: f.get_default() for f in fields if f not in fresh}

    def make(**values: Any) -> Model:
        item = model.__new__(model)
        item._state = ModelState()
        item.__dict__.update(fixed)
        for field in fresh:
            item.__dict__[field.attname] = field.get_default()
        item.__dict__.update(values)
        return item

    return make


def _write_history(
    model: type[Model], objects: list[Model], *, user: Any, reason: str, history_type: str, rows=None
) -> None:
    """One history row for each object; `rows` are the objects' COPY rows in the model's field
    order when the caller has them, so each value is prepared once."""
    historical = model.history.model
    fields = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
    extras = {
        "history_date": timezone.now(),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": getattr(user, "pk", None),
    }
    own = [f.attname for f in fields if f.attname not in extras]
    if rows is None:
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        rows, order = _rows(objects, [by_name[name] for name in own]), own
    else:
        order = [f.attname for f in model._meta.concrete_fields]
    position = {name: index for index, name in enumerate(order)}
    picks = [(True, extras[f.attname]) if f.attname in extras else (False, position[f.attname]) for f in fields]
    history = [tuple(value if fixed else row[value] for fixed, value in picks) for row in rows]
    _copy(historical._meta.db_table, [f.column for f in fields], history)


def create_with_history(model: type[Model], objects: list[Model], *, user: Any, reason: str) -> None:
    if not objects:
        return
    reason = short_reason(reason)  # it may carry a file's name
    if connection.vendor != "postgresql":
        bulk_create_with_history(objects, model, batch_size=500, default_user=user, default_change_reason=reason)
        return
    for item, pk in zip(objects, _allocate_ids(model, len(objects)), strict=True):
        item.pk = pk
    fields = model._meta.concrete_fields
    rows = _rows(objects, fields)
    _copy(model._meta.db_table, [f.column for f in fields], rows)
    _write_history(model, objects, user=user, reason=reason, history_type="+", rows=rows)


def update_with_history(
    model: type[Model], objects: list[Model], field_names: list[str], *, user: Any, reason: str
) -> None:
    if not objects:
        return
    reason = short_reason(reason)
    if connection.vendor != "postgresql":
        # Small batches: Django's bulk_update builds one CASE per field, slow when large.
        bulk_update_with_history(
            objects, model, field_names, batch_size=100, default_user=user, default_change_reason=reason
        )
        return
    table = model._meta.db_table
    fields = [model._meta.pk] + [model._meta.get_field(name) for name in field_names]
    temporary = f"bulk_update_{table}"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quote(temporary)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(temporary)} ON COMMIT DROP AS "
            f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(table)} WITH NO DATA"
        )
    _copy(temporary, [f.column for f in fields], _rows(objects, fields))
    assignments = ", ".join(f"{quote(f.column)} = source.{quote(f.column)}" for f in fields[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} AS target SET {assignments} FROM {quote(temporary)} AS source "
            f"WHERE target.{quote(fields[0].column)} = source.{quote(fields[0].column)}"
        )
        cursor.execute(f"DROP TABLE {quote(temporary)}")
    _write_history(model, objects, user=user, reason=reason, history_type="~")


def insert(model: type[Model], objects: list[Model], *, batch_size: int = 5000) -> None:
    """Insert rows without history rows (generated data, which nobody made; or a table kept without
    history, such as the insights snapshots)."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=batch_size)
        return
    for item, pk in zip(objects, _allocate_ids(model, len(objects)), strict=True):
        item.pk = pk
    fields = model._meta.concrete_fields
    _copy(model._meta.db_table, [f.column for f in fields], _rows(objects, fields))


def analyse(models: list[type[Model]]) -> None:
    """Refresh PostgreSQL's statistics of tables just filled in bulk. Until autovacuum gets to them
    (if it runs at all) the planner takes a table of millions of rows for an empty one, and scans
    it whole where an index would answer in a millisecond."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(m._meta.db_table) for m in models)}")
