"""Bring an existing spreadsheet register of services in: read, check every row, preview, then save
all or nothing (like the estate import, docs/legacy.md#import).

An XLSX file's first sheet holds the services; it may also hold the sheets the register's XLSX
export writes for their components (exports.COMPONENT_SHEETS: Software, Supplier contracts,
Vulnerabilities), each optional, with the export's columns. Each component row names its service
(in the file or the register) and is checked by the register's own form for it (forms.py); it is
matched to the register's components as selectors.matching_* say. A CSV file holds services only.

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
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from schooltech.core import spreadsheets
from schooltech.core.validation import sane_date
from schooltech.legacy import selectors
from schooltech.legacy.exports import COMPONENT_SHEETS, SERVICE_COLUMNS
from schooltech.legacy.forms import ContractForm, SoftwareForm, VulnerabilityForm
from schooltech.legacy.models import POUNDS, TRANSACTIONS, Directorate, LegacyService, Value, Vulnerability

MAX_ROWS = 1_000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
READ_LIMITS = spreadsheets.ReadLimits(max_bytes=MAX_UPLOAD_BYTES, max_data_rows=MAX_ROWS, max_columns=60)
REQUIRED = ("name", "purpose", "directorate", "owner", "value")
LENGTHS = {"name": 200, "purpose": 2000, "owner": 200, "users": 2000, "supports": 2000, "hosting": 200}
HEADERS = dict(SERVICE_COLUMNS)  # header -> attribute
LABELS = {attribute: header for header, attribute in SERVICE_COLUMNS}
VALUE_WORDS = {"low": Value.LOW, "moderate": Value.MODERATE, "high": Value.HIGH, "critical": Value.CRITICAL}

MAX_COMPONENT_ROWS = 5_000  # in each component sheet
COMPONENT_LIMITS = spreadsheets.ReadLimits(max_bytes=MAX_UPLOAD_BYTES, max_data_rows=MAX_COMPONENT_ROWS, max_columns=60)
# The reader's words when a sheet is too long: said again with the sheet's name.
_TOO_MANY_COMPONENT_ROWS = f"The selected file must have {MAX_COMPONENT_ROWS:,} rows or fewer after the header row"
COMPONENT_FORMS = {"software": SoftwareForm, "contracts": ContractForm, "vulnerabilities": VulnerabilityForm}
COMPONENT_REQUIRED = {
    "software": ("service", "name"),
    "contracts": ("service", "supplier"),
    "vulnerabilities": ("service", "software", "reference", "severity"),
}
COMPONENT_DATES = ("support_ends", "ends_on", "notice_by", "fixed_on")
SERVICES_SHEET = "First sheet (services)"
SEVERITIES = {word.lower(): value for value, label in Vulnerability.Severity.choices for word in (value, label)}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y")

ImportFileError = spreadsheets.SpreadsheetError


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    sheet: str = ""  # in an XLSX file; a CSV file has one sheet


@dataclass
class Preview:
    filename: str
    rows: list[dict[str, Any]] = field(default_factory=list)  # attribute -> value, plus "row" and "action"
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # kind ("software", "contracts", "vulnerabilities") -> rows like `rows`, for each sheet in the file
    components: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def added(self) -> int:
        return sum(1 for row in self.rows if row["action"] == "add")

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row["action"] == "update")

    @property
    def is_workbook(self) -> bool:
        return self.filename.lower().endswith(".xlsx")

    @property
    def component_count(self) -> int:
        return sum(len(rows) for rows in self.components.values())

    def component_summary(self) -> list[dict[str, Any]]:
        """For each component sheet: its name, whether the file has it, and how many are added and updated."""
        return [
            {
                "kind": kind,
                "title": title,
                "present": kind in self.components,
                "added": sum(1 for row in self.components.get(kind, []) if row.get("action") == "add"),
                "updated": sum(1 for row in self.components.get(kind, []) if row.get("action") == "update"),
            }
            for kind, (title, _) in COMPONENT_SHEETS.items()
        ]


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
    sheet = SERVICES_SHEET if result.is_workbook else ""
    seen: dict[str, int] = {}
    for row in rows:
        values: dict[str, Any] = {}
        problems = {problem.column: problem.message for problem in row.problems}
        for index, attribute in columns.items():
            cell = row.cells[index] if index < len(row.cells) else None
            if index in problems:
                result.errors.append(RowError(row.number, LABELS[attribute], problems[index], sheet))
                continue
            try:
                values[attribute] = _convert(attribute, cell)
            except ValidationError as error:
                result.errors.append(RowError(row.number, LABELS[attribute], error.messages[0], sheet))
        name = values.get("name")
        if name:
            key = name.lower()
            if key in seen:
                result.errors.append(
                    RowError(
                        row.number, LABELS["name"], f"The same name is on row {seen[key]}: each service once", sheet
                    )
                )
            seen.setdefault(key, row.number)
            values["action"] = "update" if key in existing else "add"
        values["row"] = row.number
        result.rows.append(values)
    if result.is_workbook:
        for kind in COMPONENT_SHEETS:
            component_rows = _component_rows(content, filename, kind, result)
            if component_rows is not None:
                result.components[kind] = component_rows
        _match_components(result, file_services=set(seen))
    if not result.rows and not result.errors and not result.component_count:
        raise ImportFileError("The selected file has no services in it, only a header row")
    return result


# --- Component sheets: read and check each row, then match them to the file's services and the register ---


def _component_rows(content: bytes, filename: str, kind: str, result: Preview) -> list[dict[str, Any]] | None:
    """The checked rows of one component sheet, or None when the file has no such sheet."""
    title, sheet_columns = COMPONENT_SHEETS[kind]
    try:
        rows = list(spreadsheets.read_rows(content, filename, COMPONENT_LIMITS, sheet=title))
    except spreadsheets.SheetMissing:
        return None
    except spreadsheets.SpreadsheetError as error:
        if str(error) == _TOO_MANY_COMPONENT_ROWS:
            raise ImportFileError(
                f"The ‘{title}’ sheet must have {MAX_COMPONENT_ROWS:,} rows or fewer after the header row"
            ) from None
        raise
    if not rows:
        return []
    by_normal = {_normal(header): attribute for header, attribute in sheet_columns}
    labels = {attribute: header for header, attribute in sheet_columns}
    columns: dict[int, str] = {}
    for index, header in enumerate(rows[0].cells):
        attribute = by_normal.get(_normal(header))
        if attribute is None:
            if header not in (None, ""):
                result.ignored_columns.append(f"{header} ({title})")
        elif attribute in columns.values():
            raise ImportFileError(f"The column “{header}” appears more than once in the ‘{title}’ sheet")
        else:
            columns[index] = attribute
    missing = [labels[attribute] for attribute in COMPONENT_REQUIRED[kind] if attribute not in columns.values()]
    if missing:
        raise ImportFileError(f"The ‘{title}’ sheet must have the columns " + ", ".join(missing) + " in its first row")
    checked = []
    for row in rows[1:]:
        values, problems = _checked_component(kind, row, columns)
        for attribute, message in problems.items():
            result.errors.append(RowError(row.number, labels[attribute], message, title))
        values["row"] = row.number
        checked.append(values)
    return checked


def _checked_component(kind: str, row: spreadsheets.Row, columns: dict[int, str]) -> tuple[dict, dict[str, str]]:
    """The row's values as the register's form for it cleans them, and its problems by attribute."""
    form_class = COMPONENT_FORMS[kind]
    problems: dict[str, str] = {}
    cell_problems = {problem.column: problem.message for problem in row.problems}
    data: dict[str, str] = {}
    names: dict[str, str] = {}  # the service and, for a vulnerability, the software it names
    for index, attribute in columns.items():
        if index in cell_problems:
            problems[attribute] = cell_problems[index]
            continue
        cell = row.cells[index] if index < len(row.cells) else None
        try:
            if attribute in COMPONENT_DATES:
                day = _date(cell)
                if day is not None:
                    sane_date(day)
                    data.update({f"{attribute}-day": str(day.day), f"{attribute}-month": str(day.month)})
                    data[f"{attribute}-year"] = str(day.year)
            elif attribute == "severity":
                text = _cell_text(cell)
                data[attribute] = SEVERITIES.get(text.lower(), text)
            elif attribute in ("service", "software") and attribute not in form_class.base_fields:
                names[attribute] = _cell_text(cell)
            else:
                data[attribute] = _cell_text(cell)
        except ValidationError as error:
            problems[attribute] = error.messages[0]
    for attribute in ("service", "software"):
        if attribute in COMPONENT_REQUIRED[kind] and not names.get(attribute) and attribute not in problems:
            problems[attribute] = f"Enter the {attribute} this row is for"
    form = form_class(data=data)
    form.is_valid()
    for attribute, messages in form.errors.items():
        attribute = attribute if attribute in form.fields else next(iter(form.fields))
        if attribute == "severity" and data.get("severity"):
            messages = ["Enter the severity as Critical, High, Medium or Low"]
        problems.setdefault(attribute, messages[0])  # a problem with the cell itself comes first
    values = {**names, **{name: form.cleaned_data.get(name) for name in form.fields}}
    for name, value in values.items():
        if value is None and name not in COMPONENT_DATES:
            values[name] = ""
    return values, problems


def _cell_text(cell: Any) -> str:
    """A cell as text; the reader has already undone an export's neutralising apostrophe."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        raise ValidationError("Enter text, not TRUE or FALSE")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat(sep=" ")
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell).strip()


def _date(cell: Any) -> datetime.date | None:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, str) and len(cell) <= 30:
        for date_format in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(" ".join(cell.split()), date_format).date()
            except ValueError:
                continue
    raise ValidationError("Enter a date, like 31/03/2027")


def _match_components(result: Preview, *, file_services: set[str]) -> None:
    """Each row's action (add or update), and a row error for a service or software nobody has, or a
    row that repeats another."""
    register = selectors.register_components()
    known = file_services | set(register.services)

    def error(kind: str, row: dict, attribute: str, message: str) -> None:
        title, sheet_columns = COMPONENT_SHEETS[kind]
        result.errors.append(RowError(row["row"], {a: h for h, a in sheet_columns}[attribute], message, title))

    def service_of(kind: str, row: dict) -> str | None:
        name = row.get("service") or ""
        if not name:
            return None
        if name.lower() not in known:
            error(kind, row, "service", f"There is no service called “{name}” in the file or the register")
            return None
        return name.lower()

    file_software: dict[str, dict[tuple[str, str], str]] = {}  # service -> key -> label
    seen: dict[tuple, int] = {}
    for row in result.components.get("software", []):
        service = service_of("software", row)
        if service is None or not row.get("name"):
            continue
        key = ("software", service, selectors.software_key(row["name"], row["version"]))
        if key in seen:
            error("software", row, "name", f"The same software is on row {seen[key]}: each once")
        seen.setdefault(key, row["row"])
        file_software.setdefault(service, {})[key[2]] = selectors.software_label(row["name"], row["version"])
        existing = selectors.matching_software(register.software.get(service, []), row["name"], row["version"])
        row["action"] = "update" if existing else "add"

    contract_keys = Counter(
        (row["service"].lower(), selectors.contract_key(row["supplier"], row["description"]))
        for row in result.components.get("contracts", [])
        if row.get("service") and row.get("supplier")
    )
    for row in result.components.get("contracts", []):
        service = service_of("contracts", row)
        if service is None or not row.get("supplier"):
            continue
        key = ("contract", service, selectors.contract_key(row["supplier"], row["description"]), row["ends_on"])
        if key in seen:
            error("contracts", row, "supplier", f"The same contract is on row {seen[key]}: each once")
        seen.setdefault(key, row["row"])
        existing = selectors.matching_contract(
            register.contracts.get(service, []),
            row["supplier"],
            row["description"],
            row["ends_on"],
            alone=contract_keys[(service, key[2])] == 1,
        )
        row["action"] = "update" if existing else "add"

    for row in result.components.get("vulnerabilities", []):
        service = service_of("vulnerabilities", row)
        if service is None or not row.get("software") or not row.get("reference"):
            continue
        label = row["software"].strip().lower()
        in_register = selectors.software_labelled(register.software.get(service, []), label)
        keys = {key for key, named in file_software.get(service, {}).items() if named == label}
        keys |= {selectors.software_key(s.name, s.version) for s in in_register}
        if not keys:
            error(
                "vulnerabilities",
                row,
                "software",
                f"There is no software called “{row['software']}” for {row['service']} in the file or the register",
            )
            continue
        if len(keys) > 1:
            error(
                "vulnerabilities",
                row,
                "software",
                f"More than one software of {row['service']} is called “{row['software']}”: "
                "give each a different version",
            )
            continue
        key = ("vulnerability", service, next(iter(keys)), row["reference"].strip().lower())
        if key in seen:
            error("vulnerabilities", row, "reference", f"The same vulnerability is on row {seen[key]}: each once")
        seen.setdefault(key, row["row"])
        software = next((s for s in in_register if selectors.software_key(s.name, s.version) == key[2]), None)
        existing = software and selectors.matching_vulnerability(
            register.vulnerabilities.get(software.pk, []), row["reference"]
        )
        row["action"] = "update" if existing else "add"


def _text(attribute: str, cell: Any) -> str:
    if cell is None:
        text = ""
    elif isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    else:
        text = str(cell)
    text = text.strip()  # the reader has already undone the export's neutralising
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


def to_session(result: Preview) -> dict[str, list[dict[str, Any]]]:
    """The checked rows as JSON for the session, between the preview and the import."""
    kinds = {"services": result.rows, **result.components}
    return {
        kind: [{key: _to_json(value) for key, value in row.items() if key not in ("row", "action")} for row in rows]
        for kind, rows in kinds.items()
    }


def _to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def from_session(pending: dict[str, list[dict[str, Any]]] | list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The keyword arguments of services.legacy_register_import (a list: services only, as it once was)."""
    if isinstance(pending, list):
        pending = {"services": pending}
    return {
        kind: [
            {key: _from_json(key, value) for key, value in row.items() if key not in ("row", "action")} for row in rows
        ]
        for kind, rows in pending.items()
        if kind in ("services", *COMPONENT_SHEETS)
    }


def _from_json(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key == "annual_cost":
        return Decimal(value)
    if key in COMPONENT_DATES:
        return datetime.date.fromisoformat(value)
    return value


def imported_message(filename: str, counts: dict[str, tuple[int, int]]) -> str:
    added, updated = counts["services"]
    message = f"{filename} imported: {added} added and {updated} updated"
    for kind, (title, _) in COMPONENT_SHEETS.items():
        added, updated = counts.get(kind, (0, 0))
        if added or updated:
            message += f"; {title.lower()}: {added} added and {updated} updated"
    return message
