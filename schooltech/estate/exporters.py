"""Export a register as CSV or XLSX, and the empty template to fill in. Exported files import
again unchanged: choices are written as their labels, dates as dates, yes/no as Yes or No."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import xlsxwriter

from schooltech.estate import registers


def _cell(column: registers.Column, value: Any) -> Any:
    if value is None or value == "":
        return ""
    if column.kind == "choice":
        return dict(column.choices.choices).get(value, value)
    if column.kind == "bool":
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return float(value) if column.kind == "decimal" else value
    return value


def rows_for(register: registers.Register, queryset) -> Iterable[list[Any]]:
    names = [column.field for column in register.columns]
    for values in queryset.values_list(*names).iterator(chunk_size=2000):
        yield [_cell(column, value) for column, value in zip(register.columns, values, strict=True)]


def headers(register: registers.Register) -> list[str]:
    return [column.header for column in register.columns]


def to_csv(register: registers.Register, rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(register))
    for row in rows:
        writer.writerow([value.isoformat() if isinstance(value, datetime.date) else value for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(register: registers.Register, rows: Iterable[list[Any]], *, with_guidance: bool = False) -> bytes:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "constant_memory": True})
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet(register.name[:31])
    sheet.write_row(0, 0, headers(register), bold)
    for row_number, row in enumerate(rows, start=1):
        for column_number, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(
                    row_number, column_number, datetime.datetime.combine(value, datetime.time()), date_format
                )
            else:
                sheet.write(row_number, column_number, value)
    if with_guidance:
        guide = workbook.add_worksheet("How to fill this in")
        guide.write_row(0, 0, ["Column", "Required", "What to enter"], bold)
        for number, column in enumerate(register.columns, start=1):
            guide.write_row(number, 0, [column.header, "Yes" if column.required else "No", describe(column)])
    workbook.close()
    return output.getvalue()


def describe(column: registers.Column) -> str:
    if column.kind == "choice":
        return "One of: " + ", ".join(label for _, label in column.choices.choices)
    return {
        "date": "A date, for example 31/08/2027",
        "decimal": "An amount in pounds, for example 349.99",
        "int": "A whole number",
        "float": "A number",
        "bool": "Yes or No",
    }.get(column.kind, "Text")
