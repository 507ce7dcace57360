"""Load the buying routes and unit prices from planning/data/*.yaml (versioned in the repo).

Buying routes are facts about frameworks: a new file version rewrites them (admin edits included);
the same version again changes nothing. Unit prices are local decisions: only missing keys are
added, so the admin's prices are never overwritten.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from schooltech.planning.models import BuyingRoute, Category, UnitPrice

DATA_DIR = Path(__file__).resolve().parent / "data"
ROUTE_FIELDS = ("name", "provider", "dfe_approved", "categories", "covers", "how_to_buy", "url", "end_date", "position")


class ReferenceDataError(ValueError):
    pass


@dataclass(frozen=True)
class LoadResult:
    routes_written: int
    routes_unchanged: int
    prices_added: int


def _read(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data.get("version"):
        raise ReferenceDataError(f"{path.name}: needs a version")
    return data


def _route_values(entry: dict, source: str) -> dict:
    missing = [name for name in ("key", "name", "covers", "how_to_buy", "url", "categories") if not entry.get(name)]
    if missing:
        raise ReferenceDataError(f"{source}: route {entry.get('key', '?')} is missing {', '.join(missing)}")
    unknown = set(entry["categories"]) - set(Category.values)
    if unknown:
        raise ReferenceDataError(f"{source}: route {entry['key']} has unknown categories {sorted(unknown)}")
    end_date = entry.get("end_date")
    if end_date is not None and not isinstance(end_date, datetime.date):
        raise ReferenceDataError(f"{source}: route {entry['key']} end_date must be a date (YYYY-MM-DD) or null")
    return {
        "name": entry["name"],
        "provider": entry.get("provider") or "",
        "dfe_approved": bool(entry.get("dfe_approved", True)),
        "categories": list(entry["categories"]),
        "covers": entry["covers"].strip(),
        "how_to_buy": entry["how_to_buy"].strip(),
        "url": entry["url"],
        "end_date": end_date,
    }


def _price_values(entry: dict, source: str) -> dict:
    try:
        price = Decimal(str(entry["price"]))
    except (KeyError, InvalidOperation):
        raise ReferenceDataError(f"{source}: price {entry.get('key', '?')} needs a number") from None
    if price < 0 or not entry.get("key") or not entry.get("label"):
        raise ReferenceDataError(f"{source}: price {entry.get('key', '?')} needs a key, a label and a price >= 0")
    unit = entry.get("unit") or "each"
    return {"label": entry["label"], "unit": unit, "price": price, "basis": entry.get("basis", "")}


@transaction.atomic
def reference_data_load(*, data_dir: Path = DATA_DIR) -> LoadResult:
    """Validate both files first, then write; a bad file writes nothing."""
    routes_file, prices_file = _read(data_dir / "buying_routes.yaml"), _read(data_dir / "unit_prices.yaml")
    routes = [
        (entry["key"], {**_route_values(entry, "buying_routes.yaml"), "position": index})
        for index, entry in enumerate(routes_file.get("routes", []))
    ]
    prices = [(entry["key"], _price_values(entry, "unit_prices.yaml")) for entry in prices_file.get("prices", [])]
    version = str(routes_file["version"])
    written = unchanged = added = 0
    existing = {route.key: route for route in BuyingRoute.objects.all()}
    for key, values in routes:
        route = existing.get(key)
        if route is not None and route.data_version == version:
            unchanged += 1
            continue
        route = route or BuyingRoute(key=key)
        for name in ROUTE_FIELDS:
            setattr(route, name, values[name])
        route.data_version = version
        route.is_active = True
        route.save()
        written += 1
    stale = BuyingRoute.objects.exclude(key__in=[key for key, _ in routes]).filter(is_active=True)
    for route in stale.exclude(data_version=version):
        route.is_active = False  # dropped from the file: keep for history, stop suggesting it
        route.data_version = version
        route.save()
    known = set(UnitPrice.objects.values_list("key", flat=True))
    for key, values in prices:
        if key not in known:
            UnitPrice.objects.create(key=key, data_version=str(prices_file["version"]), **values)
            added += 1
    return LoadResult(routes_written=written, routes_unchanged=unchanged, prices_added=added)
