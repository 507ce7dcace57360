"""Benchmark the national picture at national scale: aggregate synthetic snapshots for every open
state-funded school, then time the department's pages. Prints the figures; see docs/insights.md.

Needs a database with the shipped data loaded (`make data`); writes synthetic snapshots into a term of
its own (1999-1-spring), which it deletes afterwards, so the real figures are untouched.

    DATABASE_URL=sqlite:////tmp/insights_bench.sqlite3 .venv/bin/python scripts/bench_insights.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schooltech.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from schooltech.insights import metrics, services  # noqa: E402
from schooltech.insights.models import Aggregate, MetricSnapshot  # noqa: E402
from schooltech.organisations.models import Establishment  # noqa: E402

TERM = "1999-1-spring"
REQUESTS = 20


def _synthetic_snapshots() -> int:
    chooser = random.Random(2026)
    keys = [metric.key for metric in metrics.ESTATE_METRICS] + [
        metric.key for metric in metrics.standards_metrics() if metric.key.startswith("standard.")
    ]
    schools = Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES).exclude(ofsted_phase="")
    rows = [
        MetricSnapshot(
            establishment_id=pk, term=TERM, metric_key=key, category="estate", numerator=float(chooser.random() < 0.6)
        )
        for pk in schools.values_list("pk", flat=True)
        for key in keys
    ]
    MetricSnapshot.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _page_times(client: Client, path: str) -> tuple[float, float]:
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(path, {"term": TERM}, HTTP_HOST="127.0.0.1")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def main() -> None:
    try:
        with transaction.atomic():
            started = time.perf_counter()
            rows = _synthetic_snapshots()
            print(f"Wrote {rows:,} synthetic snapshots in {time.perf_counter() - started:.1f}s")
            started = time.perf_counter()
            aggregates = services.aggregates_compute(term=TERM, on=timezone.localdate())
            suppressed = sum(1 for row in aggregates if row.suppression)
            seconds = time.perf_counter() - started
            print(f"Aggregated into {len(aggregates):,} cells ({suppressed:,} suppressed) in {seconds:.1f}s")
            analyst = get_user_model().objects.filter(email="aisha.khan@education.example").first()
            if analyst is None:
                print("No demo department analyst: run load_demo_accounts to time the pages")
                return
            client = Client()
            client.force_login(analyst)
            for path in ("/insights/department/areas/england", "/insights/department/areas/region-london",
                         "/insights/department/areas/la-202"):  # fmt: skip
                median, p95 = _page_times(client, path)
                print(f"{path}: median {median:.0f} ms, p95 {p95:.0f} ms ({REQUESTS} requests, one at a time)")
    finally:
        MetricSnapshot.objects.filter(term=TERM).delete()
        Aggregate.objects.filter(term=TERM).delete()


if __name__ == "__main__":
    main()
