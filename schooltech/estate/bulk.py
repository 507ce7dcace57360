"""Write many register rows, with their history rows, fast enough for a 20,000-row file.

On PostgreSQL rows go in with COPY (ids taken from the table's sequence first, so the history
rows can name them) and updates go through a temporary table and one UPDATE ... FROM. Elsewhere
(SQLite) django-simple-history's bulk helpers do the same job more slowly.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone
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


def _write_history(model: type[Model], objects: list[Model], *, user: Any, reason: str, history_type: str) -> None:
    historical = model.history.model
    fields = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
    extras = {
        "history_date": timezone.now(),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": getattr(user, "pk", None),
    }
    columns = [f.column for f in fields]
    rows = [
        tuple(extras[f.attname] if f.attname in extras else getattr(item, f.attname) for f in fields)
        for item in objects
    ]
    _copy(historical._meta.db_table, columns, rows)


def _row(item: Model, fields) -> tuple:
    return tuple(getattr(item, f.attname) for f in fields)


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
    _copy(model._meta.db_table, [f.column for f in fields], [_row(item, fields) for item in objects])
    _write_history(model, objects, user=user, reason=reason, history_type="+")


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
    temporary = f"estate_update_{table}"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quote(temporary)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(temporary)} ON COMMIT DROP AS "
            f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(table)} WITH NO DATA"
        )
    _copy(temporary, [f.column for f in fields], [_row(item, fields) for item in objects])
    assignments = ", ".join(f"{quote(f.column)} = source.{quote(f.column)}" for f in fields[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} AS target SET {assignments} FROM {quote(temporary)} AS source "
            f"WHERE target.{quote(fields[0].column)} = source.{quote(fields[0].column)}"
        )
        cursor.execute(f"DROP TABLE {quote(temporary)}")
    _write_history(model, objects, user=user, reason=reason, history_type="~")


def insert(model: type[Model], objects: list[Model], *, batch_size: int = 5000) -> None:
    """Insert rows without history (generated data: nobody made these changes)."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=batch_size)
        return
    for item, pk in zip(objects, _allocate_ids(model, len(objects)), strict=True):
        item.pk = pk
    fields = model._meta.concrete_fields
    _copy(model._meta.db_table, [f.column for f in fields], [_row(item, fields) for item in objects])
