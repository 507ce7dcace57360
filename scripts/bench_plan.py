"""Benchmark the technology plan and print the figures (targets in brackets):

1. plan computation (reading the registers and standards, running every rule) for a 60-school trust,
   with other schools' registers in the same tables (< 1 s); also the first generation and a
   regeneration with their writes (history included), for information;
2. a school plan page (overview, timeline, all actions, budget) rendered in-process through the
   full middleware stack with Django's test client: p50/p95 (p95 < 150 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plan_bench .venv/bin/python scripts/bench_plan.py
    ... --background 5000     # registers for 5,000 other schools as well (default 1,000)
    ... --national            # registers for every open establishment (slow to set up, done once)

Uses DATABASE_URL if set, else PostgreSQL database `plan_bench` on 127.0.0.1 (created if missing).
The database is migrated and loaded with the shipped GIAS data, the standards and the buying routes
first; registers come from the estate app's generator (deterministic), made once and reused.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/plan_bench"
TRUST_UID = "BENCH60"
TODAY = datetime.date(2026, 11, 23)


def _ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _setup(options) -> None:
    from django.core.management import call_command

    from schooltech.organisations.models import Establishment

    call_command("migrate", verbosity=0)
    if not Establishment.objects.exists():
        call_command("load_shipped_data", verbosity=0)
    call_command("load_standards", verbosity=0)
    call_command("load_planning_data", verbosity=0)
    call_command("load_demo_accounts", verbosity=0)


def _trust():
    from schooltech.organisations.models import Establishment, Group

    trust, _ = Group.objects.get_or_create(
        uid=TRUST_UID, defaults={"name": "Benchmark Academy Trust", "group_type": Group.GroupType.MULTI_ACADEMY_TRUST}
    )
    if trust.establishments.count() < 60:
        free = Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES, trust__isnull=True).order_by("urn")
        ids = list(free.values_list("pk", flat=True)[: 60 - trust.establishments.count()])
        Establishment.objects.filter(pk__in=ids).update(trust=trust, type_group_code=Establishment.TypeGroup.ACADEMIES)
    return trust, list(trust.establishments.order_by("urn"))


def _registers(schools, background: int, national: bool) -> None:
    from schooltech.demo import estate as generate
    from schooltech.estate.models import Asset
    from schooltech.organisations.models import Establishment

    wanted = Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES).order_by("urn")
    targets = list(schools) + ([] if national else list(wanted.exclude(trust__uid=TRUST_UID)[:background]))
    if national:
        targets = list(wanted)
    done = set(Asset.objects.values_list("establishment_id", flat=True).distinct())
    todo = [school for school in targets if school.pk not in done]
    started = time.perf_counter()
    for start in range(0, len(todo), 200):
        generate.generate_for(todo[start : start + 200], seed=2026, today=TODAY)
    if todo:
        print(f"Generated registers for {len(todo):,} schools in {time.perf_counter() - started:.1f} s")


def _time(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def bench_computation(schools) -> None:
    from schooltech.planning import engine, inputs, services

    def compute():
        for plan_inputs in inputs.plan_inputs_for(schools, today=TODAY).values():
            engine.build_plan(plan_inputs)

    compute()  # warm caches and connections
    times = _time(compute, 5)
    actions = sum(len(engine.build_plan(i)) for i in inputs.plan_inputs_for(schools, today=TODAY).values())
    print(
        f"Plan computation, {len(schools)} schools ({actions:,} actions): "
        f"median {statistics.median(times):.3f} s, best {min(times):.3f} s  [target < 1 s]"
    )
    first = _time(lambda: services.plans_generate(establishments=schools, today=TODAY), 1)[0]
    again = _time(lambda: services.plans_generate(establishments=schools, today=TODAY), 1)[0]
    print(f"Generate with writes: first {first:.2f} s, regenerate (nothing changed) {again:.2f} s  [for information]")


def bench_pages(school, requests: int) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from schooltech.accounts.models import Role
    from tests.factories import UserFactory, make_membership

    setup_test_environment()
    user = UserFactory(username=f"bench-{school.urn}")
    if not user.memberships.exists():
        make_membership(user, school, Role.EDITOR)
    client = Client()
    client.force_login(user)
    for name in ("", "timeline", "actions", "budget"):
        path = f"/schools/{school.urn}/plan/{name}"
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times = sorted(_time(lambda path=path: client.get(path), requests))
        p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95) - 1]
        print(f"GET {path}: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms over {requests}  [p95 < 150 ms]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--background", type=int, default=1000, help="Other schools with registers (default 1000)")
    parser.add_argument("--national", action="store_true", help="Registers for every open establishment")
    parser.add_argument("--requests", type=int, default=100, help="Requests per page (default 100)")
    options = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schooltech.settings")
    _ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.db import connection

    from schooltech.estate.models import Asset

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    _setup(options)
    _, schools = _trust()
    _registers(schools, options.background, options.national)
    with_registers = Asset.objects.values("establishment").distinct().count()
    print(f"Registers: {Asset.objects.count():,} assets across {with_registers:,} schools")
    bench_computation(schools)
    largest = max(schools, key=lambda s: s.number_of_pupils or 0)
    bench_pages(largest, options.requests)


if __name__ == "__main__":
    main()
