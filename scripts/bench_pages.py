"""Benchmark the find-a-school pages under gunicorn (2 workers) with wrk, against the layout floor.

The floor is the base layout with a 20-row table and no queries: what any GOV.UK page on this
stack costs. Key pages should reach at least half the floor's throughput. Prints p50/p95 latency
and requests per second for each page, measured in one run, and the ratio to the floor.

    .venv/bin/python scripts/bench_pages.py [--duration 10] [--connections 20]

Uses DATABASE_URL if set, else var/bench.sqlite3 (migrated and loaded with the shipped data).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8050
SEARCH_QUERIES = [
    "london",
    "primary",
    "academy",
    "NW3 2BQ",
    "100049",
    "st mary",
    "leeds",
    "church of england",
    "sheffield",
    "EC3A 5DE",
    "high school",
    "infant",
    "bristol",
    "community",
    "grammar",
]

WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50=%%.3f p95=%%.3f rps=%%.1f errors=%%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
        return shutil.which("wrk") or sys.exit("wrk did not install")
    sys.exit("This benchmark needs wrk: install it (e.g. sudo apt-get install wrk)")


def prepare_database(env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "load_shipped_data", "--no-progress"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def sample_urns(env: dict[str, str], count: int = 300) -> list[str]:
    code = (
        "import django; django.setup();"
        "from schooltech.organisations.models import Establishment as E;"
        "print(' '.join(E.objects.filter(status__in=E.OPEN_STATUSES).values_list('urn', flat=True)))"
    )
    output = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    urns = output.stdout.split()
    print(f"Database holds {len(urns):,} open establishments")
    return random.Random(42).sample(urns, min(count, len(urns)))


def start_gunicorn(env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "schooltech.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthcheck", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


def run_wrk(wrk: str, paths: list[str], duration: int, connections: int) -> dict[str, float]:
    lua_paths = ", ".join(f'"{path}"' for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % lua_paths)
    # Warm up both workers (template compilation, connection set-up) before measuring.
    subprocess.run(
        [wrk, "-t2", f"-c{connections}", "-d2s", "-s", script.name, f"http://127.0.0.1:{PORT}"],
        capture_output=True,
        check=True,
    )
    result = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "-s", script.name, f"http://127.0.0.1:{PORT}"],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(script.name)
    match = re.search(r"RESULT p50=([\d.]+) p95=([\d.]+) rps=([\d.]+) errors=(\d+)", result.stdout)
    if not match:
        sys.exit("wrk gave no result:\n" + result.stdout + result.stderr)
    p50, p95, rps, errors = match.groups()
    return {"p50": float(p50), "p95": float(p95), "rps": float(rps), "errors": int(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (default 10)")
    parser.add_argument("--connections", type=int, default=20, help="concurrent users (default 20)")
    args = parser.parse_args()

    wrk = ensure_wrk()
    (ROOT / "var").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "schooltech.settings",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "BENCHMARK_VIEWS": "1",
    }
    prepare_database(env)
    urns = sample_urns(env)
    pages = {
        "layout floor (no queries)": ["/_bench/layout-floor"],
        "search results": [f"/schools?q={urllib.request.quote(q)}" for q in SEARCH_QUERIES],
        "establishment page": [f"/schools/{urn}" for urn in urns],
    }
    database = env["DATABASE_URL"].split("://")[0]
    print(f"gunicorn, 2 workers, {args.connections} concurrent connections, {args.duration}s per page, {database}")
    server = start_gunicorn(env)
    try:
        results = {name: run_wrk(wrk, paths, args.duration, args.connections) for name, paths in pages.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)
    floor_rps = results["layout floor (no queries)"]["rps"]
    print(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'vs floor':>10}{'errors':>8}")
    for name, figures in results.items():
        print(
            f"{name:<28}{figures['p50']:>9.1f}{figures['p95']:>9.1f}{figures['rps']:>9.1f}"
            f"{figures['rps'] / floor_rps:>10.2f}{figures['errors']:>8}"
        )


if __name__ == "__main__":
    main()
