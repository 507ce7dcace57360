"""Where a page's time goes, in-process: CPU ms, queries and the hottest functions for each page of `make bench`.

The wrk benchmark (scripts/bench_pages.py) says how fast a page is under load; this says why. It
runs each page through Django's test client against the database given by DATABASE_URL (default:
the local db.sqlite3 that `make data` fills), as the same demo people, and prints per page the
median CPU time of a request (CPU, not wall clock, so a busy machine distorts it less), the number
of queries and, with --top N, the N functions with the most cumulative time.

    .venv/bin/python scripts/profile_pages.py [--repeat 20] [--top 15] [--only "trust plan"]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=0, help="print the N hottest functions of each page")
    parser.add_argument("--only", default="", help="profile only pages whose name contains this")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schooltech.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["BENCHMARK_VIEWS"] = "1"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from scripts.bench_pages import pages, signed_in_user, trust_slug

    print(f"{'page':45} {'status':>6} {'CPU ms':>8} {'queries':>8} {'KB':>6}")
    for page in pages(trust_slug()):
        if args.only and args.only not in page.name:
            continue
        client = Client(SERVER_NAME="127.0.0.1")
        if page.person:
            client.force_login(signed_in_user(page.person))
        response = client.get(page.path)  # warm caches, as a running worker would have them
        queries = []

        # An execute wrapper, not CaptureQueriesContext: each request's start clears the query log.
        def counted(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(counted):
            response = client.get(page.path)
        cpu = []
        profile = cProfile.Profile() if args.top else None
        for _ in range(args.repeat):
            started = time.process_time()
            if profile:
                profile.enable()
            client.get(page.path)
            if profile:
                profile.disable()
            cpu.append((time.process_time() - started) * 1000)
        size = len(response.content) / 1024
        print(f"{page.name:45} {response.status_code:>6} {statistics.median(cpu):8.1f} {len(queries):8} {size:6.0f}")
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
