"""Run a generator over every open school: in chunks, each in its own transaction, on both cores.

Each chunk is written in one transaction; if a school's data breaks it, the chunk is written again
school by school, so only that school is logged and skipped (`core.jobs`). On PostgreSQL the chunks
are shared between worker processes (forked, each with its own connection); what each school gets
depends only on the school and the seed, never on which process or in which order, so the data is
the same for a seed however it was split. SQLite, and a caller inside a transaction (tests), run in
this process: a forked worker could not see the caller's uncommitted rows.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Mapping

from django.db import connection, connections, transaction
from tqdm import tqdm

from schooltech.core import jobs
from schooltech.organisations.models import Establishment

Work = Callable[[list[Establishment]], Mapping[str, int]]

# What the forked workers run: set just before forking, so it never needs pickling.
_forked: tuple[list[Establishment], Work, str] | None = None


MAX_CHUNK = 5_000
MAX_PROCESSES = 8


def add_arguments(parser, *, chunk_help: str = "Establishments per transaction (--national)") -> None:
    """`--chunk` and `--processes` for the generating commands, refused at the edge when out of range."""
    parser.add_argument("--chunk", type=_bounded(1, MAX_CHUNK), default=200, help=chunk_help)
    parser.add_argument(
        "--processes",
        type=_bounded(1, MAX_PROCESSES),
        default=None,
        help="Worker processes (default: 2 on PostgreSQL, else 1)",
    )


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"give a whole number from {low} to {high}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"give a whole number from {low} to {high}")
        return value

    return whole_number


def default_processes() -> int:
    return 1 if connection.vendor != "postgresql" else min(2, os.cpu_count() or 1)


def open_schools(*fields: str) -> list[Establishment]:
    """Every open establishment, by URN (the order the chunks are cut in)."""
    schools = Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES).order_by("urn")
    return list(schools.only(*fields) if fields else schools)


def each_chunk(
    schools: list[Establishment],
    work: Work,
    *,
    job: str,
    chunk: int = 200,
    processes: int | None = None,
    progress: bool = False,
) -> Counter:
    """`work` on each chunk of `schools`, adding up the counts it returns."""
    processes = 1 if connection.in_atomic_block else default_processes() if processes is None else processes
    bounds = [(start, min(start + chunk, len(schools))) for start in range(0, len(schools), chunk)]
    totals: Counter = Counter()
    with tqdm(total=len(schools), unit="school", disable=not progress) as bar:
        if processes <= 1 or len(bounds) <= 1:
            for start, end in bounds:
                totals.update(_chunk(schools[start:end], work, job))
                bar.update(end - start)
            return totals
        global _forked
        _forked = (schools, work, job)
        connections.close_all()  # each worker opens its own
        try:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                for size, counts in pool.imap_unordered(_forked_chunk, bounds):
                    totals.update(counts)
                    bar.update(size)
                pool.close()
                pool.join()
        finally:
            _forked = None
    return totals


def _forked_chunk(bounds: tuple[int, int]) -> tuple[int, Counter]:
    assert _forked is not None
    schools, work, job = _forked
    start, end = bounds
    try:
        return end - start, _chunk(schools[start:end], work, job)
    finally:
        connections.close_all()


def _chunk(schools: list[Establishment], work: Work, job: str) -> Counter:
    try:
        with transaction.atomic():
            return Counter(work(schools))
    except Exception:  # some school's data broke the chunk: write it again one school at a time
        totals: Counter = Counter()

        def one(school: Establishment) -> int:
            totals.update(work([school]))
            return 1

        done = jobs.each_isolated(schools, one, job=job, describe=lambda school: f"URN {school.urn}")
        totals["skipped"] += len(schools) - done
        return totals
