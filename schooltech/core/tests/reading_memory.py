"""Peak memory while reading spreadsheet files, measured in a fresh process with Django set up, as
the import page reads them (core/spreadsheets.py under the estate importer's limits). Linux only:
it reads the process's high-water mark (VmHWM) and resets it between files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CHILD = """
import json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "schooltech.settings")
django.setup()
from schooltech.core import spreadsheets
from schooltech.estate.importers import READ_LIMITS

def peak_kb():  # VmHWM: this process's high-water mark of resident memory
    with open("/proc/self/status") as status:
        return int(status.read().split("VmHWM:")[1].split()[0])

def reset_peak():  # Linux: writing 5 to clear_refs resets the high-water mark
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")

for path, filename in zip(sys.argv[1::2], sys.argv[2::2]):
    with open(path, "rb") as file:
        content = file.read()
    reset_peak()
    before = peak_kb()
    started = time.perf_counter()
    try:
        rows = sum(1 for _ in spreadsheets.read_rows(content, filename, READ_LIMITS))
        outcome = f"read {rows} rows"
    except spreadsheets.SpreadsheetError as error:
        outcome = f"refused: {error}"
    seconds = time.perf_counter() - started
    peak = peak_kb()
    figures = {"peak_mb": peak / 1024, "growth_mb": (peak - before) / 1024, "seconds": seconds, "outcome": outcome}
    print(json.dumps(figures), flush=True)
"""


def measure(files: list[tuple[str, bytes]]) -> list[dict]:
    """Read each (filename, content) in one fresh process with Django set up; figures for each file."""
    with tempfile.TemporaryDirectory() as directory:
        arguments = []
        for number, (filename, content) in enumerate(files):
            path = Path(directory) / f"{number}-{filename}"
            path.write_bytes(content)
            arguments += [str(path), filename]
        result = subprocess.run(
            [sys.executable, "-c", CHILD, *arguments],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "schooltech.settings"},
        )
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
