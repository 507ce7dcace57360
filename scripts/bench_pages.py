"""One table: the pages of issue 13 beside the layout, measured in one run under gunicorn and wrk.

Serves the service with gunicorn (2 workers) on the database given by DATABASE_URL (default: the
SQLite file var/bench.sqlite3) and loads it with `wrk` (10 connections): the bare layout, the
layout floor (the layout with a 20-row table and no queries: what the issue's ratios are against),
and each signed-in page as the demo person who would use it. Each page is measured several times,
interleaved, and the table shows the medians: p50 and p95 latency, requests a second, and the
ratio to the floor's requests a second in the same run. The load average is printed before and
after: the machine is shared, so compare ratios from one run, not figures across runs.

    .venv/bin/python scripts/bench_pages.py [--runs 3] [--duration 5] [--connections 10]

The first run on an empty database loads the shipped schools and the demo data (as `make data`).
wrk is installed with apt when it is missing and the script runs as root.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = int(os.environ.get("BENCH_PORT", "8050"))
SCHOOL_PERSON = "priya.shah@aldgate-school.example"  # The Aldgate School, a primary school
TRUST_PERSON = "grace.lee@"  # the demo trust's IT director, whatever the trust's email domain
SCHOOL_URN = "100000"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50=%.3f p95=%.3f rps=%.1f errors=%d non2xx=%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""
DATA_COMMANDS = [
    ["load_shipped_data", "--no-progress"],
    ["load_standards"],
    ["load_planning_data"],
    ["load_demo_accounts"],
    ["generate_estate", "--demo"],
    ["generate_assessments", "--demo"],
    ["generate_plans", "--demo"],
]


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    person: str = ""  # an email (or its start) to sign in as; blank for a signed-out request


def pages(trust_slug: str) -> list[Page]:
    school = f"/schools/{SCHOOL_URN}"
    return [
        Page("bare layout (no queries)", "/_bench/layout"),
        Page("layout floor (20-row table, no queries)", "/_bench/layout-floor"),
        Page("your account", "/account", SCHOOL_PERSON),
        Page("school estate summary", f"{school}/estate/", SCHOOL_PERSON),
        Page("school assets list", f"{school}/estate/assets/", SCHOOL_PERSON),
        Page("standards overview", f"{school}/standards", SCHOOL_PERSON),
        Page("school plan overview", f"{school}/plan/", SCHOOL_PERSON),
        Page("school plan, all actions", f"{school}/plan/actions", SCHOOL_PERSON),
        Page("trust standards matrix", f"/organisations/{trust_slug}/standards", TRUST_PERSON),
        Page("trust plan", f"/plans/{trust_slug}", TRUST_PERSON),
        Page("trust estate", f"/estate/{trust_slug}/schools", TRUST_PERSON),
        Page("find a school, “london”", "/schools?q=london"),
    ]


FLOOR = "layout floor (20-row table, no queries)"


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
        return shutil.which("wrk") or sys.exit("wrk did not install")
    sys.exit("This benchmark needs wrk: install it (e.g. sudo apt-get install wrk)")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schooltech.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def prepare_database() -> None:
    """Migrate, and load the shipped schools and demo data unless the demo plans are there already."""
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    from schooltech.planning.models import Plan

    if Plan.objects.filter(establishment__urn=SCHOOL_URN).exists():
        return
    print("Loading the shipped schools and the demo data (once)…", flush=True)
    for command in DATA_COMMANDS:
        call_command(*command, verbosity=0)


def trust_slug() -> str:
    from schooltech.accounts.models import Membership

    membership = Membership.objects.filter(user__email__startswith=TRUST_PERSON, trust__isnull=False).first()
    if membership is None:
        sys.exit("No demo trust director: run `make data` (load_demo_accounts)")
    return membership.organisation_ref.slug


def signed_in_user(email: str):
    """The demo person whose email is (or starts with) this."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__startswith=email).order_by("pk").first()
    if user is None:
        sys.exit(f"No demo person {email}: run `make data` (load_demo_accounts)")
    return user


def session_cookie(email: str) -> str:
    """A signed-in session for a demo person, made as the test client makes one."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(signed_in_user(email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def start_gunicorn(database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "BENCHMARK_VIEWS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "schooltech.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{PORT}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthcheck", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


def run_wrk(wrk: str, script: str, page: Page, cookie: str, seconds: int, connections: int) -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", script, *headers]
    result = subprocess.run([*command, f"http://127.0.0.1:{PORT}{page.path}"], capture_output=True, text=True)
    match = re.search(r"RESULT p50=([\d.]+) p95=([\d.]+) rps=([\d.]+) errors=(\d+) non2xx=(\d+)", result.stdout)
    if not match:
        sys.exit(f"wrk gave no result for {page.path}:\n{result.stdout}{result.stderr}")
    p50, p95, rps, errors, non2xx = match.groups()
    return {"p50": float(p50), "p95": float(p95), "rps": float(rps), "errors": int(errors) + int(non2xx)}


def warm_up(page: Page, cookie: str, requests: int = 6) -> None:
    """A few requests first, so both workers have compiled the templates and loaded what they cache."""
    for _ in range(requests):
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{page.path}", headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=60) as response:
            if response.status != 200:
                sys.exit(f"{page.path} answered {response.status}")


def load_average() -> str:
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def print_table(measured: dict[str, list[dict]], runs: int) -> None:
    def median(name: str, figure: str) -> float:
        return statistics.median(run[figure] for run in measured[name])

    floor_rps = median(FLOOR, "rps")
    print(f"\n{'page':<42}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'× floor':>9}{'errors':>8}")
    for name in measured:
        errors = sum(run["errors"] for run in measured[name])
        ratio = f"{median(name, 'rps') / floor_rps:>9.2f}" if floor_rps else f"{'–':>9}"
        print(
            f"{name:<42}{median(name, 'p50'):>9.1f}{median(name, 'p95'):>9.1f}{median(name, 'rps'):>9.1f}"
            f"{ratio}{errors:>8}"
        )
    print(f"(medians of {runs} runs; × floor = requests a second against the layout floor's in the same run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="measurements of each page, interleaved (default 3)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement (default 5)")
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections (default 10)")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this (and the two layouts)")
    args = parser.parse_args()

    wrk = ensure_wrk()
    (ROOT / "var").mkdir(exist_ok=True)
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    setup_django(database_url)
    prepare_database()
    to_measure = [page for page in pages(trust_slug()) if page.path.startswith("/_bench/") or args.only in page.name]
    cookies = {person: session_cookie(person) for person in {page.person for page in to_measure if page.person}}
    cookies[""] = ""
    print(
        f"gunicorn 2 workers, wrk {args.connections} connections, {args.runs} runs of {args.duration} s a page, "
        f"{database_url.split('://')[0]}; load average before: {load_average()}",
        flush=True,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    server = start_gunicorn(database_url)
    measured: dict[str, list[dict]] = {page.name: [] for page in to_measure}
    try:
        for page in to_measure:
            warm_up(page, cookies[page.person])
        for _ in range(args.runs):
            for page in to_measure:
                measured[page.name].append(
                    run_wrk(wrk, script.name, page, cookies[page.person], args.duration, args.connections)
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
        os.unlink(script.name)
    print_table(measured, args.runs)
    print(f"load average after: {load_average()} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
