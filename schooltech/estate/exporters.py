"""Export a register as CSV or XLSX (through core/spreadsheets.py), and the empty template to fill
in. Exported files import again unchanged: choices are written as their labels, dates as dates,
yes/no as Yes or No."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from schooltech.core import spreadsheets
from schooltech.estate import registers

GUIDANCE_HEADER = ["Column", "Required", "What to enter"]


def _cell(column: registers.Column, value: Any) -> Any:
    if value is None or value == "":
        return ""
    if column.kind == "choice":
        return column.labels.get(value, value)
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
    return spreadsheets.csv_bytes(_table(register, rows))


def to_xlsx(register: registers.Register, rows: Iterable[list[Any]], *, with_guidance: bool = False) -> bytes:
    tables = [_table(register, rows)]
    if with_guidance:
        guidance = [[column.header, column.required, describe(column)] for column in register.columns]
        tables.append(spreadsheets.Table(name="How to fill this in", header=GUIDANCE_HEADER, rows=guidance))
    return spreadsheets.xlsx_bytes(*tables)


def _table(register: registers.Register, rows: Iterable[list[Any]]) -> spreadsheets.Table:
    return spreadsheets.Table(name=register.name, header=headers(register), rows=rows, date_format="dd/mm/yyyy")


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
