"""Benchmark the ICT estate registers and print the figures (targets in brackets):

1. preview and commit of a 20,000-row asset file, CSV and XLSX, new and re-imported (< 10 s);
2. generating every open establishment's registers (`generate_estate --national`);
3. the school register summary page under gunicorn (2 workers) with wrk: p50/p95 (p95 < 100 ms).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/estate_bench .venv/bin/python scripts/bench_estate.py

Uses DATABASE_URL if set (PostgreSQL for the real figures), else var/bench_estate.sqlite3. The
database is migrated and loaded with the shipped GIAS data first. National data is generated once;
pass --regenerate to time it again.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_pages import setup_django  # noqa: E402  (one way to start Django for every benchmark)

PORT = 8051
ROWS = int(os.environ.get("BENCH_ROWS", "20000"))

WRK_SCRIPT = """
paths = {%s}
cookies = {%s}
counter = 0
request = function()
  counter = counter + 1
  local index = (counter %% #paths) + 1
  wrk.headers["Cookie"] = cookies[index]
  return wrk.format("GET", paths[index])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50=%%.3f p95=%%.3f rps=%%.1f errors=%%d non2xx=%%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def prepare_database() -> None:
    from django.core.management import call_command

    from schooltech.organisations.models import Establishment

    call_command("migrate", "--no-input", verbosity=0)
    if not Establishment.objects.exists():
        call_command("load_shipped_data", "--no-progress", stdout=io.StringIO())


def asset_file(rows: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["Category", "Asset tag", "Serial number", "Make", "Model", "Operating system", "Operating system version",
         "Location", "Purchase date", "Purchase cost (£)", "Warranty end", "Manufacturer support end", "Status",
         "Wi-Fi standard"]
    )  # fmt: skip
    for number in range(rows):
        year = rng.randint(2018, 2025)
        writer.writerow(
            [rng.choice(["Laptop", "Desktop", "Tablet", "Chromebook"]), f"BENCH-{number:06d}", f"SN{number:09d}",
             "Dell", "Latitude 3440", "Windows 11 Education", "24H2", "ICT suite", f"01/09/{year}", "649.00",
             f"01/09/{year + 3}", f"01/09/{year + 6}", "In use", "Wi-Fi 6"]
        )  # fmt: skip
    return buffer.getvalue().encode()


def to_xlsx(content: bytes) -> bytes:
    import xlsxwriter

    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet()
    for number, row in enumerate(csv.reader(io.StringIO(content.decode()))):
        sheet.write_row(number, 0, row)
    workbook.close()
    return output.getvalue()


def bench_import() -> None:
    from django.contrib.auth import get_user_model

    from schooltech.estate import importers, registers, services
    from schooltech.estate.models import Asset
    from schooltech.organisations.models import Establishment

    school = Establishment.objects.filter(status__in=Establishment.OPEN_STATUSES).order_by("urn").last()
    Asset.objects.filter(establishment=school).delete()
    user, _ = get_user_model().objects.get_or_create(username="estate-bench", defaults={"email": "bench@example.org"})
    content = asset_file(ROWS)
    print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"Import of a {ROWS:,}-row asset file into {school.name} (target: preview + commit < 10 s)")
    for label, data, filename in (("CSV, new", content, "a.csv"), ("XLSX, re-import", to_xlsx(content), "a.xlsx")):
        start, cpu = time.perf_counter(), time.process_time()
        batch = importers.import_batch_create(
            register=registers.ASSETS, establishment=school, user=user, content=data, filename=filename
        )
        preview = time.perf_counter() - start
        assert not batch.errors, batch.errors[:3]
        start = time.perf_counter()
        batch = services.import_batch_commit(batch=batch, user=user)
        commit = time.perf_counter() - start
        cpu = time.process_time() - cpu
        print(
            f"  {label:<16} preview {preview:6.2f} s  commit {commit:6.2f} s  total {preview + commit:6.2f} s"
            f"  (Python CPU {cpu:5.2f} s; {batch.created_count:,} created, {batch.updated_count:,} changed)"
        )
    Asset.objects.filter(establishment=school).delete()


def bench_national(regenerate: bool) -> None:
    from django.core.management import call_command

    from schooltech.estate.models import Asset

    if Asset.objects.exclude(asset_tag__startswith="BENCH-").exists() and not regenerate:
        print(f"National registers already generated ({Asset.objects.count():,} assets); --regenerate to time it")
        return
    if regenerate:
        from django.db import connection

        with connection.cursor() as cursor:
            for table in (
                "estate_informationasset",
                "estate_service",
                "estate_connection",
                "estate_asset",
                "estate_contract",
            ):
                cursor.execute(f"DELETE FROM {table}")
    out = io.StringIO()
    start = time.perf_counter()
    call_command("generate_estate", national=True, seed=2026, stdout=out, verbosity=0)
    elapsed = time.perf_counter() - start
    print(f"National generation: {elapsed:,.0f} s. {out.getvalue().strip()}")


def session_cookies(urns: list[str]) -> list[str]:
    """One signed-in viewer per school (people usually belong to one or two organisations)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from schooltech.accounts.models import Membership, Role
    from schooltech.organisations.models import Establishment

    cookies = []
    for school in Establishment.objects.filter(urn__in=urns).order_by("urn"):
        user, _ = get_user_model().objects.get_or_create(
            username=f"estate-bench-{school.urn}", defaults={"email": f"viewer-{school.urn}@example.org"}
        )
        Membership.objects.filter(user=user).delete()
        membership = Membership(user=user, role=Role.VIEWER)
        membership.set_organisation(school)
        membership.save()
        client = Client()
        client.force_login(user)
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    return cookies


def start_gunicorn(env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "schooltech.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{PORT}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthcheck", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


def run_wrk(paths: list[str], cookies: list[str], duration: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % (", ".join(f'"{p}"' for p in paths), ", ".join(f'"{c}"' for c in cookies)))
    base = ["wrk", "-t2", f"-c{connections}", "-s", script.name, f"http://127.0.0.1:{PORT}"]
    subprocess.run([*base[:3], "-d2s", *base[3:]], capture_output=True, check=True)  # warm up
    result = subprocess.run([*base[:3], f"-d{duration}s", *base[3:]], capture_output=True, text=True, check=True)
    os.unlink(script.name)
    match = re.search(r"RESULT p50=([\d.]+) p95=([\d.]+) rps=([\d.]+) errors=(\d+) non2xx=(\d+)", result.stdout)
    if not match:
        sys.exit("wrk gave no result:\n" + result.stdout + result.stderr)
    p50, p95, rps, errors, non2xx = match.groups()
    return {"p50": float(p50), "p95": float(p95), "rps": float(rps), "errors": int(errors), "non2xx": int(non2xx)}


def bench_summary_page(database_url: str, duration: int, connections: int) -> None:
    from schooltech.estate.models import Asset

    urns = list(Asset.objects.order_by().values_list("establishment__urn", flat=True).distinct()[:2000])
    urns = random.Random(42).sample(urns, min(100, len(urns)))
    if not urns:
        print("No registers to load: generate them first")
        return
    urns = sorted(urns)
    cookies = session_cookies(urns)
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    server = start_gunicorn(env)
    paths = [f"/schools/{urn}/estate/" for urn in urns]
    try:
        for concurrency in sorted({2, connections}):
            figures = run_wrk(paths, cookies, duration, concurrency)
            print(
                f"School summary page, {len(urns)} schools, gunicorn 2 workers, {concurrency} connections, "
                f"{duration} s (target p95 < 100 ms): p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, "
                f"{figures['rps']:.1f} req/s, {figures['errors']} errors, {figures['non2xx']} non-2xx"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--regenerate", action="store_true", help="time national generation again")
    parser.add_argument("--skip-national", action="store_true", help="only the import figures")
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_estate.sqlite3'}")
    setup_django(database_url)
    print(f"Database: {database_url.split('://')[0]}")
    prepare_database()
    bench_import()
    if not database_url.startswith("postgres"):
        print("National generation and the page figures need PostgreSQL: set DATABASE_URL to measure them")
    elif not args.skip_national:
        bench_national(args.regenerate)
        bench_summary_page(database_url, args.duration, args.connections)


if __name__ == "__main__":
    main()
