"""Benchmark the GIAS importer and the shipped-data loader.

    .venv/bin/python scripts/bench_import.py

Runs against a fresh temporary SQLite database, or, when DATABASE_URL is set, against a throw-away test
database Django creates next to it (the database named in DATABASE_URL is not touched). Prints:
- the whole load_shipped_data time on an empty database, and a second (unchanged) run;
- a full official-format import (import_gias) of all 49,514 shipped establishments written out as an
  edubasealldata file: seconds, rows per second and peak memory; then an unchanged re-import.
Targets: full import under 15 s, unchanged re-import under 5 s, load_shipped_data well under a minute.
"""

import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK_DIR = Path(tempfile.mkdtemp(prefix="bench_import_"))
USE_TEST_DATABASE = bool(os.environ.get("DATABASE_URL"))
if not USE_TEST_DATABASE:
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK_DIR / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schooltech.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from schooltech.organisations.gias import EstablishmentRecord  # noqa: E402
from schooltech.organisations.importers import shipped  # noqa: E402
from schooltech.organisations.models import Establishment, EstablishmentLink  # noqa: E402

# Official header columns filled from a record; every other column of the 140 is left empty.
COLUMNS = {
    "URN": "urn",
    "EstablishmentName": "name",
    "EstablishmentStatus (code)": "status",
    "UKPRN": "ukprn",
    "EstablishmentNumber": "la_establishment_number",
    "TypeOfEstablishment (code)": "type_code",
    "TypeOfEstablishment (name)": "type_name",
    "EstablishmentTypeGroup (code)": "type_group_code",
    "EstablishmentTypeGroup (name)": "type_group_name",
    "PhaseOfEducation (code)": "phase_code",
    "PhaseOfEducation (name)": "phase_name",
    "OpenDate": "open_date",
    "CloseDate": "close_date",
    "GOR (name)": "region",
    "DistrictAdministrative (code)": "district_code",
    "Street": "street",
    "Town": "town",
    "Postcode": "postcode",
    "Easting": "easting",
    "Northing": "northing",
    "NumberOfPupils": "number_of_pupils",
    "SchoolCapacity": "capacity",
    "StatutoryLowAge": "statutory_low_age",
    "StatutoryHighAge": "statutory_high_age",
    "SchoolWebsite": "website",
    "LA (code)": "la_code",
    "LA (name)": "la_name",
    "GSSLACode (name)": "la_gss_code",
    "LastChangedDate": "gias_last_changed",
}


def child_peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed_in_child(label: str, *args: str) -> float:
    """Run manage.py in a fresh process, so its peak memory is the command's own."""
    database_url = os.environ["DATABASE_URL"]
    if USE_TEST_DATABASE:  # point the child at the throw-away test database
        database_url = f"{database_url.rsplit('/', 1)[0]}/{connection.settings_dict['NAME']}"
    cpu_before = _children_cpu_seconds()
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args, "--no-progress"],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    cpu = _children_cpu_seconds() - cpu_before
    print(
        f"{label}: {seconds:.2f} s, {cpu:.2f} s of CPU in the import process "
        f"(a new process, including Django start-up; load average {_load_average()})"
    )
    for line in result.stdout.splitlines():
        print(f"    {line}")
    return seconds


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load_average() -> str:
    return " ".join(f"{figure:.1f}" for figure in os.getloadavg())


def timed(label: str, command: str, *args, **options) -> float:
    """Run a command in this process: wall-clock seconds, and CPU seconds (on a busy machine the fairer figure)."""
    out = StringIO()
    cpu_started = time.process_time()
    started = time.perf_counter()
    call_command(command, *args, no_progress=True, stdout=out, **options)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(f"{label}: {seconds:.2f} s, {cpu:.2f} s of CPU in Python (load average {_load_average()})")
    for line in out.getvalue().splitlines():
        print(f"    {line}")
    return seconds


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def write_edubasealldata(records: list[EstablishmentRecord], path: Path) -> None:
    """The shipped establishments in the official 140-column layout, as GIAS would publish them."""
    sample = shipped.shipped_path(settings.SHIPPED_DATA_DIR, "gias_sample")
    with sample.open(encoding="cp1252", newline="") as file:
        header = next(csv.reader(file))
    with path.open("w", encoding="cp1252", errors="replace", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(header)
        for record in records:
            writer.writerow([_cell(getattr(record, COLUMNS[column])) if column in COLUMNS else "" for column in header])


def main() -> None:
    old_name = connection.settings_dict["NAME"]
    if USE_TEST_DATABASE:
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    try:
        run()
    finally:
        if USE_TEST_DATABASE:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    timed("load_shipped_data on an empty database", "load_shipped_data")
    timed("load_shipped_data again (nothing changed)", "load_shipped_data")

    data = shipped.read_all(settings.SHIPPED_DATA_DIR)
    basic_urns = {
        record.urn
        for record in shipped.read_basic_establishments(
            shipped.shipped_path(settings.SHIPPED_DATA_DIR, "establishments")
        )
    }
    records = [record for record in data.establishments if record.urn in basic_urns]
    path = WORK_DIR / "edubasealldata_bench.csv"
    write_edubasealldata(records, path)
    EstablishmentLink.objects.all().delete()
    Establishment.objects.all().delete()

    seconds = timed_in_child(
        f"import_gias of {len(records):,} establishments into an empty table", "import_gias", str(path)
    )
    print(f"    {len(records) / seconds:,.0f} rows per second")
    print(f"    peak memory of the import process: {child_peak_memory_mb():.0f} MB")
    timed_in_child("import_gias again (nothing changed)", "import_gias", str(path))


if __name__ == "__main__":
    main()
