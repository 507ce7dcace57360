"""Compare a school with similar schools, never naming another school.

Method (version METHOD_VERSION), shown on the page and the methodology page:
1. Candidates are the open schools of the same Ofsted phase and region that share figures this term.
2. They are ranked by how far they are from the school on pupils (the difference of the logarithms of
   pupil numbers, so 200 and 400 pupils are as far apart as 500 and 1,000) and on deprivation (the
   difference of IDACI quintiles, divided by 4 so both measures run from 0 to about 1), added together.
   If the school's pupils or deprivation is not known, only the other is used, and the page says so; if
   both are unknown, the candidates are taken as they come (by URN) and the page says so.
3. The nearest 30 are the similar schools. For each public metric the school has a value for, their
   figures give the lower quartile, median and upper quartile, and the school is told which quarter it
   is in. A metric with fewer than 5 similar schools with a figure is not compared. Department-only
   metrics are never compared.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from schooltech.insights import metrics
from schooltech.insights.models import MetricSnapshot
from schooltech.insights.sharing import MINIMUM_CELL
from schooltech.organisations.models import Establishment

METHOD_VERSION = "1.0"
PEERS = 30


@dataclass(frozen=True)
class Comparison:
    metric: metrics.Metric
    school: float
    lower_quartile: float
    median: float
    upper_quartile: float
    peers: int

    @property
    def position(self) -> str:
        """Where the school sits, in quarters (ties with a quartile count as at it)."""
        if self.school < self.lower_quartile:
            return "Below three quarters of similar schools"
        if self.school > self.upper_quartile:
            return "Above three quarters of similar schools"
        if self.school == self.median:
            return "At the middle of similar schools"
        if self.school < self.median:
            return "In the lower middle quarter"
        return "In the upper middle quarter"


@dataclass
class Similar:
    establishment_ids: list[int]
    basis: str  # how the schools were chosen, in plain words
    missing: list[str]  # attributes the school lacks, said on the page


def _distance(school: Establishment, other: tuple[int | None, int | None], use_pupils: bool, use_idaci: bool) -> float:
    pupils, idaci = other
    distance = 0.0
    if use_pupils:
        distance += abs(math.log(max(school.number_of_pupils, 1)) - math.log(max(pupils or 1, 1)))
        distance += 0 if pupils else 1.0  # a candidate with no pupil count sorts after those with one
    if use_idaci:
        distance += abs(school.idaci_quintile - idaci) / 4 if idaci else 1.0
    return distance


def similar_schools(*, establishment: Establishment, term: str) -> Similar | None:
    """The up to 30 most similar sharing schools, or None if the school has no phase or region."""
    if not establishment.ofsted_phase or not establishment.region:
        return None
    sharing = MetricSnapshot.objects.filter(term=term).values("establishment_id")
    candidates = (
        Establishment.objects.filter(
            pk__in=sharing,
            ofsted_phase=establishment.ofsted_phase,
            region=establishment.region,
            status__in=Establishment.OPEN_STATUSES,
        )
        .exclude(pk=establishment.pk)
        .order_by("urn")
        .values_list("pk", "number_of_pupils", "idaci_quintile")
    )
    use_pupils = bool(establishment.number_of_pupils)
    use_idaci = establishment.idaci_quintile is not None
    missing = [name for name, known in (("pupil numbers", use_pupils), ("deprivation", use_idaci)) if not known]
    ranked = sorted(
        candidates, key=lambda row: (_distance(establishment, (row[1], row[2]), use_pupils, use_idaci), row[0])
    )
    on = " and ".join(name for name, known in (("pupil numbers", use_pupils), ("deprivation", use_idaci)) if known)
    basis = f"same phase and region, nearest on {on}" if on else "same phase and region"
    return Similar([row[0] for row in ranked[:PEERS]], basis, missing)


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
    return lower, median, upper


def compare(*, own: dict[str, metrics.Value], similar: Similar, term: str, on) -> list[Comparison]:
    """Quartiles of the similar schools' figures for each public metric the school has a value for."""
    public = {metric.key: metric for metric in metrics.all_metrics(on) if metric.is_public}
    rows = MetricSnapshot.objects.filter(
        term=term, establishment_id__in=similar.establishment_ids, metric_key__in=list(own)
    ).values_list("metric_key", "numerator", "denominator")
    peer_values: dict[str, list[float]] = {}
    for key, numerator, denominator in rows:
        metric = public.get(key)
        if metric is None:
            continue
        figure = metric.figure(numerator, denominator)
        if figure is not None:
            peer_values.setdefault(key, []).append(figure)
    comparisons = []
    for key, value in own.items():
        metric, found = public.get(key), peer_values.get(key, [])
        school_figure = metric.figure(value.numerator, value.denominator) if metric else None
        if metric is None or school_figure is None or len(found) < MINIMUM_CELL:
            continue
        comparisons.append(Comparison(metric, school_figure, *_quartiles(found), peers=len(found)))
    return sorted(comparisons, key=lambda comparison: list(public).index(comparison.metric.key))
