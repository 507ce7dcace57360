"""Bring an existing spreadsheet register of services in: read, check every row, preview, then save
all or nothing (like the estate import, docs/legacy.md#import).

The file is read by core/spreadsheets.py (streaming, with its limits checked while reading, hostile
files refused). Its columns are the register export's service columns (exports.SERVICE_COLUMNS),
matched by header without regard to case or spacing; other columns are ignored and named in the
preview. A row whose name is already in the register updates that service; any other adds one.
Every cell is checked with the same bounds as the forms and models (core/validation.py), and every
problem is reported by row number and column header; if there is one, nothing is saved.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from schooltech.core import spreadsheets
from schooltech.legacy.exports import SERVICE_COLUMNS
from schooltech.legacy.models import POUNDS, TRANSACTIONS, Directorate, LegacyService, Value

MAX_ROWS = 1_000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
READ_LIMITS = spreadsheets.ReadLimits(max_bytes=MAX_UPLOAD_BYTES, max_data_rows=MAX_ROWS, max_columns=60)
REQUIRED = ("name", "purpose", "directorate", "owner", "value")
LENGTHS = {"name": 200, "purpose": 2000, "owner": 200, "users": 2000, "supports": 2000, "hosting": 200}
HEADERS = dict(SERVICE_COLUMNS)  # header -> attribute
LABELS = {attribute: header for header, attribute in SERVICE_COLUMNS}
VALUE_WORDS = {"low": Value.LOW, "moderate": Value.MODERATE, "high": Value.HIGH, "critical": Value.CRITICAL}

ImportFileError = spreadsheets.SpreadsheetError


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Preview:
    filename: str
    rows: list[dict[str, Any]] = field(default_factory=list)  # attribute -> value, plus "row" and "action"
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(1 for row in self.rows if row["action"] == "add")

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row["action"] == "update")


def _normal(header: Any) -> str:
    return re.sub(r"[^a-z0-9£]+", " ", str(header or "").lower()).strip()


_BY_NORMAL = {_normal(header): attribute for header, attribute in SERVICE_COLUMNS}
_BY_NORMAL.update({"annual cost": "annual_cost", "owner": "owner", "service": "name", "service name": "name"})


def preview(content: bytes, filename: str) -> Preview:
    """Read and check every row; raises ImportFileError when the file as a whole cannot be read."""
    result = Preview(filename=filename)
    rows = spreadsheets.read_rows(content, filename, READ_LIMITS)
    header_row = next(rows, None)
    if header_row is None:
        raise ImportFileError("The selected file is empty")
    columns: dict[int, str] = {}
    for index, header in enumerate(header_row.cells):
        attribute = _BY_NORMAL.get(_normal(header))
        if attribute is None:
            if header not in (None, ""):
                result.ignored_columns.append(str(header))
        elif attribute in columns.values():
            raise ImportFileError(f"The column “{header}” appears more than once")
        else:
            columns[index] = attribute
    missing = [LABELS[attribute] for attribute in REQUIRED if attribute not in columns.values()]
    if missing:
        raise ImportFileError("The file must have the columns " + ", ".join(missing) + " in its first row")
    existing = {name.lower() for name in LegacyService.objects.values_list("name", flat=True)}
    seen: dict[str, int] = {}
    for row in rows:
        values: dict[str, Any] = {}
        problems = {problem.column: problem.message for problem in row.problems}
        for index, attribute in columns.items():
            cell = row.cells[index] if index < len(row.cells) else None
            if index in problems:
                result.errors.append(RowError(row.number, LABELS[attribute], problems[index]))
                continue
            try:
                values[attribute] = _convert(attribute, cell)
            except ValidationError as error:
                result.errors.append(RowError(row.number, LABELS[attribute], error.messages[0]))
        name = values.get("name")
        if name:
            key = name.lower()
            if key in seen:
                result.errors.append(
                    RowError(row.number, LABELS["name"], f"The same name is on row {seen[key]}: each service once")
                )
            seen.setdefault(key, row.number)
            values["action"] = "update" if key in existing else "add"
        values["row"] = row.number
        result.rows.append(values)
    if not result.rows and not result.errors:
        raise ImportFileError("The selected file has no services in it, only a header row")
    return result


def _text(attribute: str, cell: Any) -> str:
    if cell is None:
        text = ""
    elif isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    else:
        text = str(cell)
    text = spreadsheets.unneutralised(text.strip())
    if attribute in REQUIRED and not text:
        raise ValidationError(f"Enter the {LABELS[attribute].lower()}")
    if len(text) > LENGTHS.get(attribute, 200):
        raise ValidationError(f"Enter {LENGTHS.get(attribute, 200):,} characters or fewer")
    return text


def _convert(attribute: str, cell: Any) -> Any:
    if attribute == "directorate":
        text = _text(attribute, cell).lower()
        for value, label in Directorate.choices:
            if text in (value, label.lower()):
                return value
        raise ValidationError("Enter a directorate: " + ", ".join(label for _, label in Directorate.choices))
    if attribute == "value":
        text = _text(attribute, cell).lower().split(":")[0].strip()
        if text in VALUE_WORDS:
            return int(VALUE_WORDS[text])
        if text in ("1", "2", "3", "4"):
            return int(text)
        raise ValidationError("Enter the value as low, moderate, high or critical")
    if attribute == "transactions_per_year":
        return _number(cell, TRANSACTIONS, whole=True)
    if attribute == "annual_cost":
        return _number(cell, POUNDS, whole=False)
    return _text(attribute, cell)


def _number(cell: Any, bounds, *, whole: bool):
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool) or isinstance(cell, datetime.date):
        raise ValidationError("Enter a number")
    if isinstance(cell, float) and not math.isfinite(cell):
        raise ValidationError("Enter a number")
    text = str(cell).strip().replace(",", "").replace("£", "")
    if len(text) > 30:
        raise ValidationError("Enter a number")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError("Enter a number") from None
    if not number.is_finite():
        raise ValidationError("Enter a number")
    bounds(number)
    if whole:
        if number != number.to_integral_value():
            raise ValidationError("Enter a whole number")
        return int(number)
    if number.as_tuple().exponent < -2:
        raise ValidationError("Enter pounds and pence, with no more than 2 decimal places")
    return number.quantize(Decimal("0.01"))


def to_session(result: Preview) -> list[dict[str, Any]]:
    """The checked rows as JSON for the session, between the preview and the import."""
    return [
        {key: (str(value) if isinstance(value, Decimal) else value) for key, value in row.items()}
        for row in result.rows
    ]


def from_session(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            key: (Decimal(value) if key == "annual_cost" and value is not None else value)
            for key, value in row.items()
            if key not in ("row", "action")
        }
        for row in rows
    ]
