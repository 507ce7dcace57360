"""Figures worked out on the spot for a trust's or local authority's own schools, whatever they share:
the same metrics and readers as the snapshots, summed over the organisation's schools."""

import datetime
from dataclasses import dataclass

from schooltech.insights import metrics
from schooltech.organisations.models import Establishment


@dataclass(frozen=True)
class LiveFigure:
    metric: metrics.Metric
    schools: int
    value: float | None

    @property
    def display(self) -> str:
        return self.metric.display(self.value) if self.schools else "No figures"


def school_values(*, schools: list[Establishment], on: datetime.date) -> dict[int, dict[str, metrics.Value]]:
    """Every metric value of each school, from all three sources."""
    values: dict[int, dict[str, metrics.Value]] = {}
    for reader in metrics.VALUE_READERS.values():
        for establishment_id, found in reader(schools, on).items():
            values.setdefault(establishment_id, {}).update(found)
    return values


def own_figures(*, schools: list[Establishment], on: datetime.date) -> list[LiveFigure]:
    values = school_values(schools=schools, on=on)
    figures = []
    for metric in metrics.all_metrics(on):
        if metric is metrics.COVERAGE:
            continue
        found = [school[metric.key] for school in values.values() if metric.key in school]
        numerator = sum(value.numerator for value in found)
        denominator = sum(value.denominator for value in found)
        figures.append(LiveFigure(metric, len(found), metric.figure(numerator, denominator) if found else None))
    return figures
