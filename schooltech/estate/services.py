"""Writes to the registers. Every write names the person acting, so the history shows who did it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models as db_models
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from schooltech.core import bulk
from schooltech.core.changes import school_facts_changed
from schooltech.core.history import record_change
from schooltech.estate import registers
from schooltech.estate.models import Asset, AssetStatus, Contract, ImportBatch
from schooltech.organisations.models import Establishment


class EstateError(Exception):
    """A change the registers refuse, with a message for the person making it."""


def _save_with_history(item: db_models.Model, *, user: Any, reason: str) -> None:
    record_change(item, user=user, reason=reason)
    item.save()


def _changed(item: db_models.Model) -> None:
    """Tell whoever builds on the registers (the plan) that this school's register changed."""
    name = registers.register_for_model(type(item)).name.lower()
    school_facts_changed(establishment_id=item.establishment_id, what=f"The {name} register changed")


def _check_disposal(item: db_models.Model) -> None:
    if isinstance(item, Asset) and item.status == AssetStatus.DISPOSED and item.disposal_date is None:
        raise EstateError("Enter the date the asset was disposed of")


@transaction.atomic
def register_item_create(
    *, register: registers.Register, establishment: Establishment, user: Any, data: dict[str, Any]
) -> db_models.Model:
    item = register.model(establishment=establishment, **data)
    _check_disposal(item)
    _save_with_history(item, user=user, reason=f"Added to the {register.name.lower()} register")
    _changed(item)
    return item


@transaction.atomic
def register_item_update(*, item: db_models.Model, user: Any, data: dict[str, Any]) -> db_models.Model:
    for name, value in data.items():
        setattr(item, name, value)
    _check_disposal(item)
    _save_with_history(item, user=user, reason="Changed in the register")
    _changed(item)
    return item


@transaction.atomic
def register_item_delete(*, item: db_models.Model, user: Any) -> None:
    record_change(item, user=user, reason="Removed from the register")
    item.delete()
    _changed(item)


@transaction.atomic
def asset_bulk_dispose(
    *,
    establishment: Establishment,
    user: Any,
    asset_ids: Iterable[int],
    disposal_date: datetime.date,
    weee_reference: str,
) -> int:
    """Mark the chosen assets of this establishment as disposed, with the WEEE certificate reference."""
    assets = list(Asset.objects.filter(establishment=establishment, pk__in=list(asset_ids)))
    if not assets:
        raise EstateError("Select at least one asset")
    for asset in assets:
        asset.status = AssetStatus.DISPOSED
        asset.disposal_date = disposal_date
        asset.weee_reference = weee_reference
    bulk_update_with_history(
        assets,
        Asset,
        ["status", "disposal_date", "weee_reference", "updated_at"],
        default_user=user,
        default_change_reason="Marked as disposed",
    )
    school_facts_changed(establishment_id=establishment.pk, what=f"{len(assets)} assets marked as disposed")
    return len(assets)


def _decode(register: registers.Register, values: dict[str, Any]) -> dict[str, Any]:
    """Rows are stored in the batch as JSON: turn ISO dates and decimal strings back into values."""
    decoded = {}
    for name, value in values.items():
        kind = register.column_by_field[name].kind
        if value is not None and kind == "date":
            value = datetime.date.fromisoformat(value)
        elif value is not None and kind == "decimal":
            value = Decimal(value)
        decoded[name] = value
    return decoded


@transaction.atomic
def import_batch_commit(*, batch: ImportBatch, user: Any) -> ImportBatch:
    """Write every row of a checked file, or nothing: the batch must have no errors."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.COMMITTED:
        raise EstateError("This file has already been imported")
    if batch.errors:
        raise EstateError("Fix the errors in the file and upload it again")
    register = registers.REGISTERS[batch.register]
    model = register.model
    to_create, updates = [], {}
    for row in batch.rows:
        values = _decode(register, row["values"])
        if row["action"] == "create":
            to_create.append(model(establishment_id=batch.establishment_id, **values))
        else:
            updates[row["id"]] = values
    reason = f"Imported from {batch.filename}"
    now = timezone.now()
    for item in to_create:
        item.created_at = item.updated_at = now
    bulk.create_with_history(model, to_create, user=user, reason=reason)
    changed = _apply_updates(model, batch.establishment_id, updates, now)
    if changed:
        fields = sorted({name for values in updates.values() for name in values} | {"updated_at"})
        bulk.update_with_history(model, changed, fields, user=user, reason=reason)
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = now
    batch.created_count = len(to_create)
    batch.updated_count = len(changed)
    batch.rows = []  # the register now holds the rows; keep the counts only
    batch.save()
    what = f"{batch.filename} imported into the {register.name.lower()} register"
    school_facts_changed(establishment_id=batch.establishment_id, what=what)
    return batch


def _apply_updates(model, establishment_id: int, updates: dict[int, dict], now) -> list:
    """Set the new values; return only the rows that actually change (no history for no change)."""
    items = list(model.objects.filter(establishment_id=establishment_id, pk__in=list(updates)))
    if len(items) != len(updates):
        raise EstateError("The register changed since the file was checked: upload it again")
    changed = []
    for item in items:
        differs = False
        for name, value in updates[item.pk].items():
            if getattr(item, name) != value:
                setattr(item, name, value)
                differs = True
        if differs:
            item.updated_at = now
            changed.append(item)
    return changed


@transaction.atomic
def generated_registers_insert(
    *, contracts: list[Contract], rows: list[db_models.Model], batch_size: int = 5000
) -> None:
    """Insert made-up register rows (demo and benchmark data) without history: nobody made them.

    Contracts go first, so the connections and services that name one can refer to it.
    """
    now = timezone.now()
    for item in (*contracts, *rows):
        item.created_at = item.updated_at = now
    bulk.insert(Contract, contracts, batch_size=batch_size)
    by_model: dict[type[db_models.Model], list[db_models.Model]] = {}
    for item in rows:
        # A row made with `contract=` before the contract had an id: take the id it has now (COPY
        # reads contract_id, which Django's bulk_create would have filled in the same way).
        contract = getattr(item, "contract", None) if getattr(item, "contract_id", None) is None else None
        if contract is not None:
            item.contract_id = contract.pk
        by_model.setdefault(type(item), []).append(item)
    for model, items in by_model.items():
        bulk.insert(model, items, batch_size=batch_size)


def generated_registers_analyse() -> None:
    """After generating many schools' registers: refresh the database's statistics of the registers."""
    bulk.analyse(
        [Contract, *(register.model for register in registers.REGISTERS.values() if register.model is not Contract)]
    )


@transaction.atomic
def registers_clear(*, establishments: Iterable[Establishment]) -> None:
    """Remove every register row of these establishments (to regenerate demo data)."""
    ids = [establishment.pk for establishment in establishments]
    others_first = sorted(registers.REGISTERS.values(), key=lambda register: register.model is Contract)
    for register in others_first:  # connections and services may name a contract
        register.model.objects.filter(establishment_id__in=ids).delete()
