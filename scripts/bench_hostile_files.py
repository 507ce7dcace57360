"""Peak memory (RSS) and time while reading each file of the hostile corpus, and a real 50,000-row
register workbook for comparison. Each file is read in a fresh process with Django set up, as the
import page reads it (core/spreadsheets.py under the estate importer's limits).

    .venv/bin/python scripts/bench_hostile_files.py [--only xlsx]

Prints one line per file: peak RSS in MB (the process's high-water mark while reading it, Django
included), its growth over the process before reading, seconds, and what happened.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def register_workbook(rows: int = 50_000) -> bytes:
    """A real register export: every row distinct, every column filled."""
    import datetime

    from schooltech.core import spreadsheets

    header = ["Category", "Asset tag", "Serial number", "Make", "Model", "Purchase date", "Purchase cost (£)"]
    body = (
        ["Laptop", f"TAG-{n:06d}", f"SN{n:010d}", "Lenovo", f"ThinkPad L{n % 50}", datetime.date(2024, 9, 1), 649.0]
        for n in range(rows)
    )
    return spreadsheets.xlsx_bytes(spreadsheets.Table(name="Assets", header=header, rows=body))


def near_limit_workbooks() -> list[tuple[str, str, object]]:
    """Workbooks just inside each budget: the most memory a file that is not refused can cost."""
    from schooltech.core import spreadsheets
    from schooltech.core.tests import hostile_files as h

    header = h.sheet_xml([h.ASSET_HEADER])

    def styles() -> bytes:
        formats = "<xf/>" * (spreadsheets.MAX_ELEMENTS_OUTSIDE_ROWS - 10)
        xml = f'<styleSheet xmlns="{h.MAIN_NS}"><cellXfs>{formats}</cellXfs></styleSheet>'
        return h.workbook(header, parts={"xl/styles.xml": xml.encode()})

    def shared_strings() -> bytes:
        count = spreadsheets.MAX_SHARED_STRINGS - 1
        text = "".join(f"<si><t>{n:064d}</t></si>" for n in range(count))
        return h.workbook(header, shared_strings=f'<sst xmlns="{h.MAIN_NS}">{text}</sst>')

    def long_rows() -> bytes:
        text = "x" * (spreadsheets.MAX_CHARACTERS_PER_ROW - 100)
        rows = "".join(h._row(n, h._cell(f"B{n}", text)) for n in range(2, 40))
        return h.workbook(h.sheet_xml([h.ASSET_HEADER], extra_rows=rows))

    def many_cells() -> bytes:
        cells = "".join(h._number(f"{h.get_column_letter(c)}{{n}}", "1") for c in range(1, 30))
        rows = "".join(h._row(n, cells.replace("{n}", str(n))) for n in range(2, 50_001))
        return h.workbook(h.sheet_xml([h.ASSET_HEADER], extra_rows=rows))

    return [
        ("near-limit-styles-xlsx", "assets.xlsx", styles),
        ("near-limit-shared-strings-xlsx", "assets.xlsx", shared_strings),
        ("near-limit-long-rows-xlsx", "assets.xlsx", long_rows),
        ("near-limit-50000-rows-of-29-numbers-xlsx", "assets.xlsx", many_cells),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("csv", "xlsx"), help="only files of this kind")
    arguments = parser.parse_args()
    from schooltech.core.tests.hostile_files import CORPUS
    from schooltech.core.tests.reading_memory import measure

    files = [(hostile.name, hostile.filename, hostile.build) for hostile in CORPUS]
    files += near_limit_workbooks()
    files.append(("real-50000-row-register-xlsx", "assets.xlsx", register_workbook))
    chosen = [(name, filename, build) for name, filename, build in files if filename.endswith(arguments.only or "")]
    for name, filename, build in chosen:
        (figures,) = measure([(filename, build())])
        print(
            f"{name:42} peak {figures['peak_mb']:6.1f} MB  growth {figures['growth_mb']:6.1f} MB  "
            f"{figures['seconds']:6.2f} s  {figures['outcome'][:80]}"
        )


if __name__ == "__main__":
    main()
