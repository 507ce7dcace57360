"""Read a register file (CSV or XLSX), map its headers, check every row and keep the result as an
ImportBatch: every row-level error (row, column, message) and, for good files, what will be
created or updated. Committing the batch (services.import_batch_commit) writes all rows or none.

Device-management exports are recognised by their headers and mapped as far as their documented
columns allow: Microsoft Intune (Devices > All devices > Export), Google Admin (Chrome devices
export) and Jamf Pro (inventory search export).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import from_excel

from schooltech.core import spreadsheets
from schooltech.estate import registers
from schooltech.estate.models import AssetCategory, AssetStatus, ImportBatch
from schooltech.organisations.models import Establishment

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_LISTED_ERRORS = 1_000  # a file with more problems is fixed in rounds; listing them all would cost memory
TRUE_WORDS = {"yes", "y", "true", "1", "on"}
FALSE_WORDS = {"no", "n", "false", "0", "off"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y")
MONTH_FORMATS = ("%b %Y", "%B %Y", "%Y-%m")


def _normal(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(header or "").lower()).strip()


# --- Device-management exports --------------------------------------------------------------------


def _category_from_device(values: dict[str, Any]) -> str:
    text = " ".join(str(values.get(name) or "") for name in ("operating_system", "make", "model_name")).lower()
    if "chrome" in text:
        return AssetCategory.CHROMEBOOK
    if "ipad" in text or "ipados" in text or text.startswith("ios") or "android" in text:
        return AssetCategory.TABLET
    if any(
        word in text for word in ("imac", "mac mini", "mac studio", "optiplex", "desktop", "prodesk", "thinkcentre")
    ):
        return AssetCategory.DESKTOP
    return AssetCategory.LAPTOP


@dataclass(frozen=True)
class VendorFormat:
    name: str
    signature: frozenset[str]  # normalised headers that only this export has
    headers: dict[str, str]  # normalised header -> field
    ignored: frozenset[str] = frozenset()
    default_category: Callable[[dict[str, Any]], str] = _category_from_device


VENDOR_FORMATS = (
    VendorFormat(
        name="Microsoft Intune",
        signature=frozenset({"primary user upn", "managed by", "last check in"}),
        headers={
            "serial number": "serial_number",
            "manufacturer": "make",
            "model": "model_name",
            "os": "operating_system",
            "os version": "os_version",
            "primary user upn": "assigned_to",
        },
        ignored=frozenset({"device name", "compliance", "ownership", "managed by", "last check in"}),
    ),
    VendorFormat(
        name="Google Admin (Chrome devices)",
        signature=frozenset({"auto update expiration", "asset id"}),
        headers={
            "serial number": "serial_number",
            "model": "model_name",
            "asset id": "asset_tag",
            "location": "location",
            "user": "assigned_to",
            "os version": "os_version",
            "auto update expiration": "support_end",
        },
        ignored=frozenset({"status", "enrollment date", "last sync", "notes", "org unit path"}),
        default_category=lambda values: AssetCategory.CHROMEBOOK,
    ),
    VendorFormat(
        name="Jamf Pro",
        signature=frozenset({"computer name", "po date"}) | frozenset({"jamf pro id"}),
        headers={
            "serial number": "serial_number",
            "model": "model_name",
            "operating system": "operating_system",
            "operating system version": "os_version",
            "asset tag": "asset_tag",
            "building": "location",
            "username": "assigned_to",
            "po date": "purchase_date",
            "warranty expiration": "warranty_end",
            "purchase price": "purchase_cost",
        },
        ignored=frozenset({"computer name", "room", "jamf pro id", "full name", "last inventory update"}),
    ),
)


def _vendor_for(normal_headers: set[str]) -> VendorFormat | None:
    for vendor in VENDOR_FORMATS:
        if len(vendor.signature & normal_headers) >= 2:
            return vendor
    return None


# --- Reading files -----------------------------------------------------------------------------

ImportFileError = spreadsheets.SpreadsheetError  # the file as a whole cannot be read (type, size, damage)
READ_LIMITS = spreadsheets.ReadLimits(max_bytes=MAX_UPLOAD_BYTES, max_data_rows=MAX_ROWS)


# --- Converting cells -------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _quick_date(text: str) -> str | None:
    """The two common shapes without strptime (which is slow for 20,000 rows)."""
    iso, uk = _ISO_DATE.match(text), _UK_DATE.match(text)
    try:
        if iso:
            return datetime.date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        if uk:
            return datetime.date(int(uk[3]), int(uk[2]), int(uk[1])).isoformat()
    except ValueError:
        raise CellError("Enter a real date, for example 31/08/2027") from None
    return None


def _date(value: Any) -> str | None:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and 20_000 <= value <= 80_000:
        return from_excel(value).date().isoformat()  # an Excel date serial in a cell with no date format
    text = _text(value)
    if not text:
        return None
    quick = _quick_date(text)
    if quick:
        return quick
    candidate = text.split("T")[0].split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}", text) else text
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(candidate, pattern).date().isoformat()
        except ValueError:
            continue
    for pattern in MONTH_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise CellError("Enter a real date, for example 31/08/2027")


def _decimal(value: Any) -> str | None:
    text = _text(value).replace("£", "").replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError("Enter an amount in pounds, like 349.99") from None
    if not number.is_finite():
        raise CellError("Enter an amount in pounds, like 349.99")
    if number < 0 or number >= Decimal("10000000000"):
        raise CellError("Enter an amount between £0 and £9,999,999,999")
    return str(number.quantize(Decimal("0.01")))


def _int(value: Any) -> int | None:
    text = _text(value).replace(",", "")
    if not text:
        return None
    if not re.fullmatch(r"\d+", text):
        raise CellError("Enter a whole number, like 24")
    number = int(text)
    if number > 2_000_000_000:
        raise CellError("Enter a smaller number")
    return number


def _float(value: Any) -> float | None:
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise CellError("Enter a number, like 100") from None
    if number < 0:
        raise CellError("Enter a number of 0 or more")
    return number


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError("Enter yes or no")


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        for word in (value, label, re.sub(r"\s*\(.*\)", "", label)):
            lookup[_normal(word)] = value
    return lookup


def _converter(column: registers.Column) -> Callable[[Any], Any]:
    convert = _plain_converter(column)
    if not column.validators:
        return convert

    def bounded(value: Any) -> Any:
        result = convert(value)
        if result not in (None, ""):
            _check_bounds(column, result)
        return result

    return bounded


def _check_bounds(column: registers.Column, value: Any) -> None:
    """The model field's bounds, so a cell is refused with the same words as the form."""
    typed = datetime.date.fromisoformat(value) if column.kind == "date" else value
    typed = Decimal(typed) if column.kind == "decimal" else typed
    for validator in column.validators:
        try:
            validator(typed)
        except ValidationError as error:
            raise CellError(error.messages[0]) from None


def _plain_converter(column: registers.Column) -> Callable[[Any], Any]:
    if column.kind == "date":
        return _date
    if column.kind == "decimal":
        return _decimal
    if column.kind == "int":
        return _int
    if column.kind == "float":
        return _float
    if column.kind == "bool":
        return _bool
    if column.kind == "choice":
        lookup = _choice_lookup(column.choices)
        options = ", ".join(label for _, label in column.choices.choices)

        def choice(value: Any) -> str:
            text = _text(value)
            if not text:
                return ""
            found = lookup.get(_normal(text))
            if found is None:
                raise CellError(f"Enter one of: {options}")
            return found

        return choice

    def text(value: Any) -> str:
        result = _text(value)
        if column.max_length and len(result) > column.max_length:
            raise CellError(f"Must be {column.max_length} characters or fewer")
        return result

    return text


# --- Checking a whole file --------------------------------------------------------------------------


@dataclass
class CheckedFile:
    source_format: str
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)


def _header_map(
    register: registers.Register, headers: list[Any]
) -> tuple[dict[int, str], VendorFormat | None, list[str]]:
    normal = [_normal(h) for h in headers]
    vendor = _vendor_for(set(normal)) if register is registers.ASSETS else None
    lookup: dict[str, str] = {}
    for column in register.columns:
        for word in (column.field, column.header, *column.aliases):
            lookup.setdefault(_normal(word), column.field)
    if vendor:
        lookup.update(vendor.headers)
    mapping, ignored = {}, []
    for index, header in enumerate(normal):
        if not header:
            continue
        field_name = None if vendor and header in vendor.ignored else lookup.get(header)
        if field_name and field_name not in mapping.values():
            mapping[index] = field_name
        else:
            ignored.append(_text(headers[index]))
    return mapping, vendor, ignored


def check_file(
    *, register: registers.Register, establishment: Establishment, content: bytes, filename: str
) -> CheckedFile:
    """Read the file row by row (limits are checked while reading) and check every row."""
    rows = spreadsheets.read_rows(content, filename, READ_LIMITS)
    header = next(rows, None)
    if header is None:
        raise ImportFileError("The selected file is empty")
    mapping, vendor, ignored = _header_map(register, list(header.cells))
    checked = CheckedFile(source_format=vendor.name if vendor else "Register template", ignored_headers=ignored)
    missing = [
        c.header
        for c in register.columns
        if c.required and c.field not in mapping.values() and not (vendor and c.field == "category")
    ]
    if missing:
        for column_header in missing:
            checked.errors.append(
                {"row": 1, "column": column_header, "message": f"The file has no ‘{column_header}’ column"}
            )
        return checked
    column_names = _column_names(register, header, mapping)
    if not _check_rows(register, establishment, mapping, vendor, rows, column_names, checked):
        checked.errors.append({"row": 2, "column": "", "message": "The file has no rows to import"})
    return checked


def _column_names(register: registers.Register, header: spreadsheets.Row, mapping: dict[int, str]) -> list[str]:
    """What to call each column in an error: the register's name for it, else the file's, else its letter."""
    names = []
    for index, title in enumerate(header.cells):
        if index in mapping:
            names.append(register.column_by_field[mapping[index]].header)
        else:
            names.append(_text(title) or f"Column {get_column_letter(index + 1)}")
    return names


def _column_name(column_names: list[str], index: int) -> str:
    return column_names[index] if index < len(column_names) else f"Column {get_column_letter(index + 1)}"


def _existing_keys(register: registers.Register, establishment: Establishment) -> list[dict[tuple, int]]:
    indexes = []
    for key_fields in register.match_on:
        values = register.model.objects.filter(establishment=establishment).values_list("pk", *key_fields)
        index = {}
        for pk, *key in values:
            normal_key = tuple(_normal(part) for part in key)
            if all(normal_key):
                index.setdefault(normal_key, pk)
        indexes.append(index)
    return indexes


def _check_rows(register, establishment, mapping, vendor, rows, column_names, checked: CheckedFile) -> bool:
    """Check each row as it is read; False when the file has no rows after its header."""
    columns = register.column_by_field
    converters = {index: (_converter(columns[name]), columns[name]) for index, name in mapping.items()}
    existing = _existing_keys(register, establishment)
    seen: list[dict[tuple, int]] = [{} for _ in register.match_on]
    any_rows = False
    for row in rows:
        any_rows = True
        if len(checked.errors) >= MAX_LISTED_ERRORS:
            checked.errors.append(
                {
                    "row": row.number,
                    "column": "",
                    "message": f"More problems from row {row.number} on are not listed: fix these and upload again",
                }
            )
            break
        row_errors = [
            {"row": row.number, "column": _column_name(column_names, problem.column), "message": problem.message}
            for problem in row.problems
        ]
        values = _row_values(row, converters, vendor, row_errors)
        row_errors += _row_rules(register, values, row.number)
        match_id = _match(register, values, row.number, existing, seen, row_errors)
        checked.errors += row_errors
        if not row_errors:
            checked.rows.append(
                {"row": row.number, "action": "update" if match_id else "create", "id": match_id, "values": values}
            )
    return any_rows


def _row_values(row: spreadsheets.Row, converters, vendor, row_errors: list[dict]) -> dict[str, Any]:
    values = {}
    problem_columns = {problem.column for problem in row.problems}
    for index, (convert, column) in converters.items():
        if index in problem_columns:
            continue
        raw = row.cells[index] if index < len(row.cells) else None
        try:
            value = convert(raw)
        except CellError as error:
            row_errors.append({"row": row.number, "column": column.header, "message": str(error)})
            continue
        if column.required and value in (None, "") and not (vendor and column.field == "category"):
            row_errors.append(
                {"row": row.number, "column": column.header, "message": f"Enter the {column.header.lower()}"}
            )
        values[column.field] = value
    if vendor and not values.get("category"):
        values["category"] = vendor.default_category(values)
    return values


def _match(register, values, row_number, existing, seen, row_errors: list[dict]) -> int | None:
    """The existing row this one updates, if any; a key repeated within the file is an error."""
    columns = register.column_by_field
    match_id = None
    for position, key_fields in enumerate(register.match_on):
        key = tuple(_normal(values.get(name) or "") for name in key_fields)
        if not all(key):
            continue
        earlier = seen[position].get(key)
        if earlier:
            label = columns[key_fields[0]].header
            row_errors.append(
                {
                    "row": row_number,
                    "column": label,
                    "message": f"{label} is also on row {earlier}: each must appear once",
                }
            )
        seen[position][key] = row_number
        if match_id is None:
            match_id = existing[position].get(key)
    return match_id


def _row_rules(register: registers.Register, values: dict[str, Any], row_number: int) -> list[dict]:
    errors = []
    for name in [name for name, value in values.items() if value in (None, "")]:
        model_field = register.model._meta.get_field(name)
        if not model_field.null and (values[name] is None or not model_field.blank):
            values.pop(name)  # an empty cell keeps the default (or, on update, the current value)
    if register is registers.ASSETS:
        if values.get("status") == AssetStatus.DISPOSED and not values.get("disposal_date"):
            errors.append(
                {"row": row_number, "column": "Disposal date", "message": "Enter the date the asset was disposed of"}
            )
        if not values.get("serial_number") and not values.get("asset_tag"):
            errors.append(
                {"row": row_number, "column": "Serial number", "message": "Enter a serial number or an asset tag"}
            )
    return errors


@transaction.atomic
def import_batch_create(
    *, register: registers.Register, establishment: Establishment, user: Any, content: bytes, filename: str
) -> ImportBatch:
    """Check a file and keep the result, bound to this organisation and person, for preview."""
    checked = check_file(register=register, establishment=establishment, content=content, filename=filename)
    return ImportBatch.objects.create(
        establishment=establishment,
        created_by=user,
        register=register.slug,
        filename=filename[:255],
        source_format=checked.source_format,
        rows=checked.rows if not checked.errors else [],
        errors=checked.errors,
        created_count=sum(1 for row in checked.rows if row["action"] == "create"),
        updated_count=sum(1 for row in checked.rows if row["action"] == "update"),
    )
