"""Benchmark the national picture at national scale: aggregate synthetic snapshots for every open
state-funded school, then time the department's pages, one at a time in-process and then under
gunicorn (2 workers) and wrk (10 connections) beside the layout floor, as `bench_pages.py` does.
Prints the figures; see docs/insights.md.

Uses the database given by DATABASE_URL (default: the SQLite file var/bench.sqlite3, loaded with the
shipped schools and the demo data on first use); writes synthetic snapshots into a term of its own
(1999-1-spring), which it deletes afterwards, so the real figures are untouched.

    .venv/bin/python scripts/bench_insights.py [--runs 3] [--duration 5] [--connections 10]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

import bench_pages  # scripts/ is on the path when this script runs
from bench_pages import ROOT, Page

TERM = "1999-1-spring"
REQUESTS = 20
ANALYST = "aisha.khan@education.example"
AREAS = {
    "department: England": "/insights/department/areas/england",
    "department: London": "/insights/department/areas/region-london",
    "department: Camden": "/insights/department/areas/la-202",
}


def synthetic_snapshots() -> int:
    from schooltech.insights import metrics
    from schooltech.insights.models import MetricSnapshot
    from schooltech.organisations.models import Establishment

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


def forget_synthetic_term() -> None:
    from schooltech.insights.models import Aggregate, MetricSnapshot

    MetricSnapshot.objects.filter(term=TERM).delete()
    Aggregate.objects.filter(term=TERM).delete()


def in_process_times(path: str) -> tuple[float, float]:
    from django.test import Client

    client = Client()
    client.force_login(bench_pages.signed_in_user(ANALYST))
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(path, {"term": TERM}, HTTP_HOST="127.0.0.1")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def under_load(database_url: str, args: argparse.Namespace) -> None:
    wrk = bench_pages.ensure_wrk()
    to_measure = [
        Page(bench_pages.FLOOR, "/_bench/layout-floor"),
        *(Page(name, f"{path}?term={TERM}", ANALYST) for name, path in AREAS.items()),
    ]
    cookies = {"": "", ANALYST: bench_pages.session_cookie(ANALYST)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(bench_pages.WRK_SCRIPT)
    print(
        f"\ngunicorn 2 workers, wrk {args.connections} connections, {args.runs} runs of {args.duration} s a page; "
        f"load average before: {bench_pages.load_average()}",
        flush=True,
    )
    server = bench_pages.start_gunicorn(database_url)
    measured: dict[str, list[dict]] = {page.name: [] for page in to_measure}
    try:
        for page in to_measure:
            bench_pages.warm_up(page, cookies[page.person])
        for _ in range(args.runs):
            for page in to_measure:
                measured[page.name].append(
                    bench_pages.run_wrk(wrk, script.name, page, cookies[page.person], args.duration, args.connections)
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
        os.unlink(script.name)
    bench_pages.print_table(measured, args.runs)
    print(f"load average after: {bench_pages.load_average()} ({os.cpu_count()} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="measurements of each page under load (default 3)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement (default 5)")
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections (default 10)")
    args = parser.parse_args()

    (ROOT / "var").mkdir(exist_ok=True)
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    bench_pages.setup_django(database_url)
    bench_pages.prepare_database()
    from django.utils import timezone

    from schooltech.insights import services

    print(f"{database_url.split('://')[0]}; load average before: {bench_pages.load_average()}", flush=True)
    forget_synthetic_term()  # a run stopped part-way leaves its term behind
    try:
        started = time.perf_counter()
        rows = synthetic_snapshots()
        print(f"Wrote {rows:,} synthetic snapshots in {time.perf_counter() - started:.1f}s", flush=True)
        started = time.perf_counter()
        aggregates = services.aggregates_compute(term=TERM, on=timezone.localdate())
        suppressed = sum(1 for row in aggregates if row.suppression)
        seconds = time.perf_counter() - started
        print(f"Aggregated into {len(aggregates):,} cells ({suppressed:,} suppressed) in {seconds:.1f}s", flush=True)
        for name, path in AREAS.items():
            median, p95 = in_process_times(path)
            print(f"{name}: median {median:.0f} ms, p95 {p95:.0f} ms ({REQUESTS} requests, one at a time, in-process)")
        under_load(database_url, args)
    finally:
        forget_synthetic_term()


if __name__ == "__main__":
    sys.exit(main())
