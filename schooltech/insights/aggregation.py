"""Turn the term's snapshots into aggregates for England, each region, local authority and trust, by
phase, with the suppression rules applied (see suppression.py). Pure functions over plain rows, so the
rules are tested without a database; services.py reads the rows and writes the result."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from schooltech.insights import suppression
from schooltech.insights.metrics import Metric
from schooltech.insights.sharing import MINIMUM_CELL

ENGLAND, REGION, LOCAL_AUTHORITY, TRUST = "england", "region", "local_authority", "trust"
ALL_PHASES = ""


@dataclass(frozen=True)
class SchoolPlace:
    """Where a school sits: the areas and phase its figures count towards."""

    region: str
    la_code: str
    la_name: str
    trust_uid: str
    trust_name: str
    phase: str


@dataclass
class Cell:
    area_kind: str
    area_key: str
    area_name: str
    phase: str
    schools: int = 0
    numerator: float = 0.0
    denominator: float = 0.0
    suppression: str = ""


@dataclass
class Table:
    """One metric's cells, keyed by (area kind, area key, phase)."""

    metric: Metric
    cells: dict[tuple[str, str, str], Cell] = field(default_factory=dict)
    region_of_la: dict[str, str] = field(default_factory=dict)

    def add(self, place: SchoolPlace, numerator: float, denominator: float) -> None:
        self.region_of_la[place.la_code] = place.region
        for kind, key, name in _areas(place):
            phases = (ALL_PHASES,) if kind == TRUST else (ALL_PHASES, place.phase)
            for phase in phases:
                cell = self.cells.get((kind, key, phase))
                if cell is None:
                    cell = self.cells[(kind, key, phase)] = Cell(kind, key, name, phase)
                cell.schools += 1
                cell.numerator += numerator
                cell.denominator += denominator


def _areas(place: SchoolPlace) -> list[tuple[str, str, str]]:
    areas = [
        (ENGLAND, "", "England"),
        (REGION, place.region, place.region),
        (LOCAL_AUTHORITY, place.la_code, place.la_name),
    ]
    if place.trust_uid:
        areas.append((TRUST, place.trust_uid, place.trust_name))
    return areas


def partitions(table: Table) -> list[tuple[tuple, list[tuple]]]:
    """The totals the public cells add up to: each area by phase, and for all phases and each phase,
    England by region and each region by local authority. Trusts are not parts of any total."""
    keys = list(table.cells)
    phases = {phase for _, _, phase in keys}
    found = [
        ((kind, key, ALL_PHASES), [(kind, key, phase) for phase in phases if phase != ALL_PHASES])
        for kind, key, phase in keys
        if kind != TRUST and phase == ALL_PHASES
    ]
    las_by_region: dict[str, list[str]] = defaultdict(list)
    for la_code, region in table.region_of_la.items():
        las_by_region[region].append(la_code)
    for phase in phases:
        found.append(((ENGLAND, "", phase), [(REGION, region, phase) for region in las_by_region]))
        for region, las in las_by_region.items():
            found.append(((REGION, region, phase), [(LOCAL_AUTHORITY, la, phase) for la in las]))
    return found


def build_tables(metrics: dict[str, Metric], rows: Iterable[tuple[str, float, float, SchoolPlace]]) -> dict[str, Table]:
    """rows: (metric key, numerator, denominator, the school's place), one per school and metric."""
    tables: dict[str, Table] = {}
    for metric_key, numerator, denominator, place in rows:
        metric = metrics.get(metric_key)
        if metric is None:
            continue
        table = tables.get(metric_key)
        if table is None:
            table = tables[metric_key] = Table(metric)
        table.add(place, numerator, denominator)
    return tables


def apply_suppression(table: Table, minimum: int = MINIMUM_CELL) -> None:
    counts = {key: cell.schools for key, cell in table.cells.items()}
    status = suppression.suppress(counts, partitions(table), minimum=minimum)
    for key, cell in table.cells.items():
        cell.suppression = status.get(key, "")
