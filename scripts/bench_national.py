"""Benchmark national generation (issue 14, item 8) and print the figures (targets in brackets):

1. `generate_estate --national`, `generate_assessments --national` and `generate_plans --national`:
   registers, submitted self-assessments and plans for every open establishment, and their total
   (< 5 minutes on PostgreSQL);
2. `generate_sharing --national` (every open school shares everything) and `snapshot_insights`
   (snapshot and aggregate all of them, < 2 minutes).

    psql -h 127.0.0.1 -U postgres -c "create database national"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/national .venv/bin/python scripts/bench_national.py --runs 2

Needs PostgreSQL (DATABASE_URL) and a database of its own: each run first empties everything the
generators write (registers, assessments, recommendations, duty records, plans, sharing choices,
snapshots, and their history), so every run times generation from scratch; it refuses databases
named test, bench or lead_*. On first use it migrates and loads the shipped schools, standards and
training. Each step is the management command in a process of its own, as an operator runs it.
The table gives each step's median over the runs, the rows it wrote, and the load average before
and after it (1 minute): the machine is shared, so read the seconds beside the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_pages import setup_django  # noqa: E402  (one way to start Django for every benchmark)

GENERATION = [
    ("registers", ["generate_estate", "--national", "--seed", "2026"]),
    ("assessments", ["generate_assessments", "--national"]),
    ("plans", ["generate_plans", "--national"]),
]
SHARING = [
    ("sharing", ["generate_sharing", "--national"]),
    ("snapshot", ["snapshot_insights"]),
]
# What each step writes, for the rows column (history tables besides).
ROWS = {
    "registers": [
        "estate_asset",
        "estate_contract",
        "estate_connection",
        "estate_service",
        "estate_informationasset",
    ],
    "assessments": ["standards_assessment", "standards_recommendation", "standards_dutyrecord"],
    "plans": ["planning_plan", "planning_planaction", "planning_historicalplanaction"],
    "sharing": ["insights_sharingchoice"],
    "snapshot": ["insights_metricsnapshot", "insights_aggregate"],
}
EMPTIED = [
    *ROWS["registers"],
    "estate_historicalasset",
    "estate_historicalcontract",
    "estate_historicalconnection",
    "estate_historicalservice",
    "estate_historicalinformationasset",
    "standards_assessment",
    "standards_historicalassessment",
    "standards_recommendation",
    "standards_historicalrecommendation",
    "standards_dutyrecord",
    "standards_schoolphase",
    "planning_plan",
    "planning_historicalplan",
    "planning_planaction",
    "planning_historicalplanaction",
    "insights_sharingchoice",
    "insights_historicalsharingchoice",
    "insights_metricsnapshot",
    "insights_aggregate",
]


def load() -> float:
    return os.getloadavg()[0]


def prepare_database() -> None:
    from django.core.management import call_command

    from schooltech.organisations.models import Establishment

    call_command("migrate", "--no-input", verbosity=0)
    if not Establishment.objects.exists():
        print("Loading the shipped schools, standards and training (once)…", flush=True)
        for command in ("load_shipped_data", "load_standards", "load_training"):
            call_command(command, verbosity=0)


def empty() -> None:
    from django.db import connection

    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(t for t in EMPTIED if t in existing)} RESTART IDENTITY CASCADE")
        cursor.execute("VACUUM ANALYZE")


def rows(step: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        total = 0
        for table in ROWS[step]:
            cursor.execute(f"SELECT count(*) FROM {table}")
            total += cursor.fetchone()[0]
        return total


def run(step: str, command: list[str], env: dict[str, str]) -> dict:
    before = load()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *command, "--verbosity", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    said = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    print(f"  {step:<12} {seconds:7.1f} s  load {before:.2f} → {load():.2f}  {said}", flush=True)
    return {"seconds": seconds, "rows": rows(step), "before": before, "after": load()}


def print_table(measured: dict[str, list[dict]]) -> None:
    commands = dict(GENERATION + SHARING)
    runs = len(next(iter(measured.values())))
    print(f"\n{'step':<34} {'median s':>9} {'each run (s)':>14} {'rows':>12}  load before → after")
    for step, each in measured.items():
        seconds = [run["seconds"] for run in each]
        loads = ", ".join(f"{run['before']:.1f} → {run['after']:.1f}" for run in each)
        print(
            f"{' '.join(commands[step][:2]):<34} {statistics.median(seconds):9.1f}"
            f" {', '.join(f'{s:.0f}' for s in seconds):>14} {each[-1]['rows']:>12,}  {loads}"
        )
    total = [sum(measured[step][number]["seconds"] for step, _ in GENERATION) for number in range(runs)]
    print(
        f"{'registers + assessments + plans':<34} {statistics.median(total):9.1f}"
        f" {', '.join(f'{s:.0f}' for s in total):>14}  (target < 300 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="generate everything this many times (default 1)")
    parser.add_argument("--no-sharing", action="store_true", help="time generation only")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    name = database_url.rsplit("/", 1)[-1].split("?")[0]
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (national figures are PostgreSQL's)")
    if name in ("test", "bench") or name.startswith("lead_"):
        sys.exit(f"Refusing to empty the database {name!r}: others use it; create one of your own")
    setup_django(database_url)
    prepare_database()
    from schooltech.organisations.models import Establishment

    schools = Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES).count()
    print(f"{schools:,} open establishments, {os.cpu_count()} CPUs; load average before: {os.getloadavg()}")
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    steps = GENERATION + ([] if args.no_sharing else SHARING)
    measured: dict[str, list[dict]] = {step: [] for step, _ in steps}
    for number in range(args.runs):
        print(f"Run {number + 1} of {args.runs}: emptying what the generators write…", flush=True)
        empty()
        for step, command in steps:
            measured[step].append(run(step, command, env))
    print_table(measured)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
