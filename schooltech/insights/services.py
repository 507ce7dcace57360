"""Writes for the insights app: keyword-only, typed, one transaction each."""

import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from schooltech.core import bulk
from schooltech.insights import aggregation, metrics, selectors
from schooltech.insights.models import Aggregate, MetricSnapshot, SharingChoice
from schooltech.insights.sharing import CATEGORY_KEYS, NOTICE_VERSION
from schooltech.insights.terms import term_of
from schooltech.organisations.models import Establishment

BATCH_SIZE = 2000
OPEN = Establishment.OPEN_STATUSES
PLACE_FIELDS = ("pk", "region", "local_authority__code", "local_authority__name", "trust__uid", "trust__name")


@transaction.atomic
def sharing_choose(
    *, establishment: Establishment, user: Any, standards: bool, estate: bool, plans: bool
) -> SharingChoice:
    """Record the school's choice of what it shares with the department, as read in today's notice.

    A choice the same as the current one (and made on the same notice) adds nothing to the history.
    """
    current = selectors.current_sharing(establishment=establishment)
    wanted = (standards, estate, plans, NOTICE_VERSION)
    if current is not None and (current.standards, current.estate, current.plans, current.notice_version) == wanted:
        return current
    chosen = {"standards": standards, "estate": estate, "plans": plans}
    stopped = [key for key in CATEGORY_KEYS if current is not None and getattr(current, key) and not chosen[key]]
    if stopped:
        # What a school stops sharing leaves at once: later figures are made without it.
        MetricSnapshot.objects.filter(establishment=establishment, category__in=stopped).delete()
    return SharingChoice.objects.create(
        establishment=establishment,
        standards=standards,
        estate=estate,
        plans=plans,
        notice_version=NOTICE_VERSION,
        chosen_by=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def sharing_choose_many(
    *, establishments: list[Establishment], user: Any, standards: bool, estate: bool, plans: bool
) -> int:
    """`sharing_choose` for many schools at once (demonstration and benchmark data): a few queries and
    one bulk insert, with history. Returns how many schools' choice changed."""
    ids = [school.pk for school in establishments]
    latest: dict[int, SharingChoice] = {}
    for choice in SharingChoice.objects.filter(establishment_id__in=ids).order_by(
        "establishment_id", "-chosen_at", "-pk"
    ):
        latest.setdefault(choice.establishment_id, choice)
    wanted = (standards, estate, plans, NOTICE_VERSION)
    chosen = {"standards": standards, "estate": estate, "plans": plans}
    changing = [
        pk
        for pk in ids
        if pk not in latest
        or (latest[pk].standards, latest[pk].estate, latest[pk].plans, latest[pk].notice_version) != wanted
    ]
    for key in CATEGORY_KEYS:
        stopped = [pk for pk in changing if pk in latest and getattr(latest[pk], key) and not chosen[key]]
        MetricSnapshot.objects.filter(establishment_id__in=stopped, category=key).delete()
    now = timezone.now()
    rows = [
        SharingChoice(
            establishment_id=pk,
            **chosen,
            notice_version=NOTICE_VERSION,
            chosen_by=user if getattr(user, "is_authenticated", False) else None,
            chosen_at=now,
        )
        for pk in changing
    ]
    bulk.create_with_history(SharingChoice, rows, user=user, reason="Sharing chosen")
    return len(rows)


@dataclass
class SnapshotResult:
    term: str
    schools: int
    snapshots: int
    aggregates: int
    suppressed: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.term}: {self.snapshots:,} figures from {self.schools:,} sharing schools, "
            f"{self.aggregates:,} aggregates ({self.suppressed:,} suppressed) in {self.seconds:.1f}s"
        )


def _open_state_funded() -> QuerySet[Establishment]:
    return Establishment.objects.filter(status__in=OPEN).exclude(ofsted_phase="")


@transaction.atomic
def snapshots_take(*, on: datetime.date | None = None, progress=None) -> SnapshotResult:
    """Snapshot every sharing school's metrics for the term of `on` (today), replacing the term's earlier
    snapshots, then aggregate them. Only what each school currently shares is read."""
    started = time.perf_counter()
    on = on or timezone.localdate()
    term = term_of(on).key
    MetricSnapshot.objects.filter(term=term).delete()
    rows: list[MetricSnapshot] = []
    schools: set[int] = set()
    for category in CATEGORY_KEYS:
        sharing = list(selectors.establishments_sharing(category=category).filter(status__in=OPEN))
        if progress:
            progress(f"Reading {category} for {len(sharing):,} schools")
        for start in range(0, len(sharing), BATCH_SIZE):
            batch = sharing[start : start + BATCH_SIZE]
            for establishment_id, values in metrics.VALUE_READERS[category](batch, on).items():
                schools.add(establishment_id)
                rows += [
                    MetricSnapshot(
                        establishment_id=establishment_id,
                        term=term,
                        metric_key=key,
                        category=category,
                        numerator=value.numerator,
                        denominator=value.denominator,
                    )
                    for key, value in values.items()
                ]
    bulk.insert(MetricSnapshot, rows, batch_size=BATCH_SIZE)  # COPY on PostgreSQL: millions nationally
    aggregates = aggregates_compute(term=term, on=on)
    suppressed = sum(1 for row in aggregates if row.suppression)
    return SnapshotResult(term, len(schools), len(rows), len(aggregates), suppressed, time.perf_counter() - started)


def _places(establishment_ids) -> dict[int, aggregation.SchoolPlace]:
    rows = (
        Establishment.objects.filter(pk__in=establishment_ids, local_authority__isnull=False)
        .exclude(ofsted_phase="")
        .exclude(region="")
        .values_list(*PLACE_FIELDS, "ofsted_phase")
    )
    return {
        pk: aggregation.SchoolPlace(region, la_code, la_name, trust_uid or "", trust_name or "", phase)
        for pk, region, la_code, la_name, trust_uid, trust_name, phase in rows.iterator(chunk_size=BATCH_SIZE)
    }


def _coverage_rows(sharing_ids: set[int]):
    places = _places(_open_state_funded().values("pk"))
    for pk, place in places.items():
        yield metrics.COVERAGE.key, float(pk in sharing_ids), 1.0, place


@transaction.atomic
def aggregates_compute(*, term: str, on: datetime.date) -> list[Aggregate]:
    """Replace the term's aggregates with ones made from its snapshots, suppressed (aggregation.py)."""
    known = metrics.metrics_by_key(on)
    snapshots = MetricSnapshot.objects.filter(term=term)
    snapshot_rows = list(snapshots.values_list("establishment_id", "metric_key", "numerator", "denominator"))
    sharing_ids = {row[0] for row in snapshot_rows}
    places = _places(sharing_ids)

    def rows():
        for establishment_id, metric_key, numerator, denominator in snapshot_rows:
            place = places.get(establishment_id)
            if place is not None:
                yield metric_key, numerator, denominator, place
        yield from _coverage_rows(set(places))

    tables = aggregation.build_tables(known, rows())
    now = timezone.now()
    aggregates = []
    for table in tables.values():
        aggregation.apply_suppression(table)
        aggregates += [
            Aggregate(
                term=term,
                metric_key=table.metric.key,
                area_kind=cell.area_kind,
                area_key=cell.area_key,
                area_name=cell.area_name,
                phase=cell.phase,
                schools=cell.schools,
                numerator=cell.numerator,
                denominator=cell.denominator,
                value=table.metric.figure(cell.numerator, cell.denominator),
                suppression=cell.suppression,
                public=table.metric.is_public,
                computed_at=now,
            )
            for cell in table.cells.values()
        ]
    Aggregate.objects.filter(term=term).delete()
    Aggregate.objects.bulk_create(aggregates, batch_size=BATCH_SIZE)
    return aggregates
