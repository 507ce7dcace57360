"""Every CSV and XLSX file the service writes, written one safe way.

A cell someone typed can start like a formula ("=HYPERLINK(…)", "+1", "@SUM(…)"). Spreadsheet
programs run such a cell when they open a CSV file, so following OWASP's CSV injection guidance
a text cell starting with =, +, -, @, a tab or a carriage return is written with a leading
apostrophe in CSV. In XLSX every text cell is written as a string (never a formula, never a
link) and such a cell carries Excel's "quote prefix", so it stays text even after someone edits
it. Numbers, dates and amounts are written as numbers and dates, never as text.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


@dataclass(frozen=True)
class Table:
    """One sheet: a header row and rows of cells (str, int, float, Decimal, date, datetime or None)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    date_format: str = "d mmmm yyyy"
    decimal_format: str = "#,##0.00"
    column_widths: dict[int, float] = field(default_factory=dict)
    frozen_columns: int = 0
    autofilter: bool = False


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def neutralised(text: str) -> str:
    """The text as a CSV cell no spreadsheet program runs as a formula."""
    return NEUTRALISING_PREFIX + text if starts_like_formula(text) else text


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralised(str(title)) for title in table.header])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the byte-order mark makes Excel read UTF-8 (£, ’)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | Decimal) or (isinstance(value, float) and math.isfinite(value)):
        return str(value)
    return neutralised(str(value))


def xlsx_bytes(*tables: Table) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, XLSX_OPTIONS)
    formats = _XlsxFormats(workbook)
    for table in tables:
        _write_sheet(workbook.add_worksheet(table.name[:31]), table, formats)
    workbook.close()
    return buffer.getvalue()


class _XlsxFormats:
    def __init__(self, workbook: xlsxwriter.Workbook):
        self._workbook = workbook
        self._cache: dict[tuple, Any] = {}
        self.header = self.get(bold=True, text_wrap=True)
        self.text = None
        self.quoted_text = self.get(quote_prefix=True)

    def get(self, **properties):
        key = tuple(sorted(properties.items()))
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(properties)
        return self._cache[key]


def _write_sheet(sheet, table: Table, formats: _XlsxFormats) -> None:
    width = len(table.header)
    if table.frozen_columns or table.autofilter:
        sheet.freeze_panes(1, table.frozen_columns)
    for column, column_width in table.column_widths.items():
        sheet.set_column(column, column, column_width)
    for column, title in enumerate(table.header):
        _write_cell(sheet, 0, column, str(title), formats, table, header=True)
    last_row = 0
    for last_row, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row):
            _write_cell(sheet, last_row, column, value, formats, table)
    if table.autofilter and width:
        sheet.autofilter(0, 0, max(last_row, 1), width - 1)


def _write_cell(sheet, row: int, column: int, value: Any, formats: _XlsxFormats, table: Table, header=False) -> None:
    if value is None or value == "":
        sheet.write_blank(row, column, None)
    elif isinstance(value, bool):
        sheet.write_string(row, column, "Yes" if value else "No")
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, column, value.replace(tzinfo=None), formats.get(num_format=table.date_format))
    elif isinstance(value, datetime.date):
        as_datetime = datetime.datetime.combine(value, datetime.time())
        sheet.write_datetime(row, column, as_datetime, formats.get(num_format=table.date_format))
    elif isinstance(value, Decimal) and value.is_finite():
        sheet.write_number(row, column, float(value), formats.get(num_format=table.decimal_format))
    elif isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        sheet.write_number(row, column, value)
    else:
        text = str(value)
        cell_format = formats.header if header else (formats.quoted_text if starts_like_formula(text) else None)
        sheet.write_string(row, column, text, cell_format)


def download(content: bytes, filename: str) -> HttpResponse:
    """A file to save: the content type follows the file name's extension (csv or xlsx)."""
    extension = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
