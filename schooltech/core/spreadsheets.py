"""Every CSV, XLSX and ODS file the service writes, and every CSV and XLSX file it reads, in one place.

Writing

A cell someone typed can start like a formula ("=HYPERLINK(…)", "+1", "@SUM(…)"). Spreadsheet
programs run such a cell when they open a CSV file, so following OWASP's CSV injection guidance
a text cell starting with =, +, -, @, a tab or a carriage return is written with a leading
apostrophe in CSV. In XLSX every text cell is written as a string (never a formula, never a
link) and such a cell carries Excel's "quote prefix", so it stays text even after someone edits
it. ODS (OpenDocument, for LibreOffice and other open tools) has no formula unless a cell
carries a table:formula attribute, which is never written: every text cell is a string cell.
Numbers, dates and amounts are written as numbers and dates, never as text.

Reading
-------
`read_rows` streams an uploaded file one row at a time and checks its limits while it reads, so
a hostile file is refused before it costs memory: the bytes must match the name (a picture named
.csv is refused), CSV must be UTF-8 or Windows-1252 text without NUL bytes, and an XLSX workbook
must be a plain (not macro-enabled) workbook whose zip parts and XML stay within budgets checked
before openpyxl parses them (a declared dimension is never trusted, a shared-strings or zip bomb
is refused). Cells that cannot be used (too long, a non-finite number, a NUL character) come back
as problems on their row, for the caller to report by row and column.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.parsers import expat
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import openpyxl
import xlsxwriter
from django.http import HttpResponse
from openpyxl.utils.escape import unescape

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
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


def read_back_without_first_apostrophe(text: str) -> bool:
    """Whether an import takes this text for a neutralised cell: apostrophes, then formula-like text."""
    return text.startswith(NEUTRALISING_PREFIX) and starts_like_formula(text.lstrip(NEUTRALISING_PREFIX))


def neutralised(text: str) -> str:
    """The text as a CSV cell no spreadsheet program runs as a formula and an import reads back unchanged.

    Text someone typed as "'=1" gets a second apostrophe, so the import's removal of one gives it back.
    """
    needs_prefix = starts_like_formula(text) or read_back_without_first_apostrophe(text)
    return NEUTRALISING_PREFIX + text if needs_prefix else text


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
        if read_back_without_first_apostrophe(text):
            text = NEUTRALISING_PREFIX + text  # so the import's removal of one apostrophe gives the typed text
        cell_format = formats.header if header else (formats.quoted_text if starts_like_formula(text) else None)
        sheet.write_string(row, column, text, cell_format)


ODS_MIMETYPE = CONTENT_TYPES["ods"]
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_CONTENT_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)
_ODS_CONTENT_END = "</office:spreadsheet></office:body></office:document-content>"
# Characters XML 1.0 cannot carry at all (a NUL typed into a field would make the file unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # each line its own paragraph: XML would turn a lone \r into \n
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]*?:/\\']")


def ods_bytes(*tables: Table) -> bytes:
    """An OpenDocument spreadsheet, one sheet per table, written directly (the format is a zip of XML)."""
    parts = [_ODS_CONTENT_START]
    used_names: set[str] = set()
    for table in tables:
        parts.append(f"<table:table table:name={quoteattr(_ods_sheet_name(table.name, used_names))}>")
        parts.append(_ods_row([str(title) for title in table.header]))
        parts.extend(_ods_row(row) for row in table.rows)
        parts.append("</table:table>")
    parts.append(_ODS_CONTENT_END)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first and uncompressed, so tools can tell the format from the first bytes.
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "".join(parts), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ods_sheet_name(name: str, used: set[str]) -> str:
    base = _NOT_XML.sub("", _NOT_IN_SHEET_NAME.sub(" ", name)).strip()[:100] or "Sheet"
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base} ({number})"
    used.add(candidate)
    return candidate


def _ods_row(values: Sequence[Any]) -> str:
    return "<table:table-row>" + "".join(_ods_cell(value) for value in values) + "</table:table-row>"


def _ods_cell(value: Any) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        return _ods_text_cell("Yes" if value else "No")
    if isinstance(value, datetime.datetime):
        return _ods_typed_cell("date", "date-value", value.replace(tzinfo=None).isoformat(timespec="seconds"))
    if isinstance(value, datetime.date):
        return _ods_typed_cell("date", "date-value", value.isoformat())
    if (
        (isinstance(value, Decimal) and value.is_finite())
        or isinstance(value, int)
        or (isinstance(value, float) and math.isfinite(value))
    ):
        return _ods_typed_cell("float", "value", str(value))
    return _ods_text_cell(str(value))


def _ods_typed_cell(value_type: str, attribute: str, value: str) -> str:
    return (
        f'<table:table-cell office:value-type="{value_type}" office:{attribute}="{value}">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def _ods_text_cell(text: str) -> str:
    lines = _LINE_BREAK.split(_NOT_XML.sub("", text))
    paragraphs = "".join(f"<text:p>{xml_escape(line)}</text:p>" for line in lines)
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def spreadsheet_bytes(file_format: str, *tables: Table) -> bytes:
    """The tables as a csv, xlsx or ods file (CSV holds one table: the first)."""
    if file_format == "csv":
        return csv_bytes(tables[0])
    if file_format == "xlsx":
        return xlsx_bytes(*tables)
    if file_format == "ods":
        return ods_bytes(*tables)
    raise ValueError(f"Unknown spreadsheet format: {file_format}")


def download(content: bytes, filename: str) -> HttpResponse:
    """A file to save: the content type follows the file name's extension (csv, xlsx or ods)."""
    extension = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Reading -----------------------------------------------------------------------------------------


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why, to the person who uploaded it."""


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_data_rows: int = 50_000  # rows with something in them after the header row
    max_columns: int = 200
    max_cell_characters: int = 32_767  # Excel's own limit for one cell
    blank_rows_allowed: int = 10_000


@dataclass(frozen=True)
class CellProblem:
    column: int  # counted from 0
    message: str


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet program shows it: the first line is row 1
    cells: tuple[Any, ...]  # str, int, float, bool, datetime or None; a cell with a problem is None
    problems: tuple[CellProblem, ...] = ()


class SheetMissing(SpreadsheetError):
    """The workbook has no sheet of the name asked for (a CSV file has none but its one)."""


def read_rows(
    content: bytes, filename: str, limits: ReadLimits = ReadLimits(), *, sheet: str | None = None
) -> Iterator[Row]:
    """Yield the rows that have something in them (the first is the header row) of the first sheet,
    or of the sheet named `sheet` (case and spacing ignored).

    Raises SpreadsheetError, before or while yielding, when the file as a whole cannot be read, and
    SheetMissing when there is no such sheet. Each call checks the whole file again."""
    if len(content) > limits.max_bytes:
        raise SpreadsheetError(f"The selected file must be smaller than {limits.max_bytes // (1024 * 1024)}MB")
    extension = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if extension not in ("csv", "xlsx"):
        raise SpreadsheetError("The selected file must be a CSV or XLSX file")
    _check_bytes_match(content, extension)
    if extension == "csv" and sheet is not None:
        raise SheetMissing(f"A CSV file has no sheet called ‘{sheet}’")
    raw_rows = _csv_rows(content) if extension == "csv" else _xlsx_rows(content, limits, sheet)
    return _limited(raw_rows, limits)


def unneutralised(text: str) -> str:
    """Undo the apostrophe an export put before formula-like text, so exported files import unchanged."""
    return text[len(NEUTRALISING_PREFIX) :] if read_back_without_first_apostrophe(text) else text


def _limited(raw_rows: Iterator[tuple[int, Sequence[Any]]], limits: ReadLimits) -> Iterator[Row]:
    data_rows = 0
    last_allowed_row = limits.max_data_rows + 1 + limits.blank_rows_allowed
    header_seen = False
    for number, values in raw_rows:
        if number > last_allowed_row:
            raise SpreadsheetError(_too_many_rows(limits))
        row = _checked_row(number, values, limits)
        if all(cell is None or cell == "" for cell in row.cells) and not row.problems:
            continue
        if header_seen:
            data_rows += 1
            if data_rows > limits.max_data_rows:
                raise SpreadsheetError(_too_many_rows(limits))
        header_seen = True
        yield row


def _too_many_rows(limits: ReadLimits) -> str:
    return f"The selected file must have {limits.max_data_rows:,} rows or fewer after the header row"


def _checked_row(number: int, values: Sequence[Any], limits: ReadLimits) -> Row:
    beyond = values[limits.max_columns :]
    if beyond and beyond.count(None) + beyond.count("") < len(beyond):  # count() keeps a wide row cheap
        raise SpreadsheetError(f"Row {number} has more than {limits.max_columns} columns: remove the extra columns")
    cells, problems = [], []
    for column, value in enumerate(values[: limits.max_columns]):
        cell, problem = _checked_cell(value, limits)
        cells.append(cell)
        if problem:
            problems.append(CellProblem(column, problem))
    return Row(number, tuple(cells), tuple(problems))


def _checked_cell(value: Any, limits: ReadLimits) -> tuple[Any, str | None]:
    if isinstance(value, float) and not math.isfinite(value):
        return None, "Enter a number a spreadsheet can hold, not infinity or ‘not a number’"
    if not isinstance(value, str):
        return value, None
    if len(value) > limits.max_cell_characters:
        return None, f"Must be {limits.max_cell_characters:,} characters or fewer (this cell has {len(value):,})"
    if "\x00" in value:
        return None, "Remove the NUL character (an invisible character that cannot be saved)"
    return unneutralised(value), None


# --- What the bytes are --------------------------------------------------------------------------------

SIGNATURES = (
    (b"PK\x03\x04", "a zip archive or an Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) or password-protected workbook"),
    (b"\x89PNG\r\n\x1a\n", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF87a", "a GIF picture"),
    (b"GIF89a", "a GIF picture"),
    (b"%PDF-", "a PDF document"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
)
SAVE_AS_ADVICE = {
    "csv": "save it from your spreadsheet program as ‘CSV UTF-8’",
    "xlsx": "save it from your spreadsheet program as an ‘Excel Workbook (.xlsx)’",
}


def _check_bytes_match(content: bytes, extension: str) -> None:
    if not content.strip():
        raise SpreadsheetError("The selected file is empty")
    kind = next((name for magic, name in SIGNATURES if content.startswith(magic)), None)
    if extension == "xlsx" and content.startswith(b"PK\x03\x04"):
        return
    if extension == "xlsx":
        what = f"is {kind}, not" if kind else "is not"
        raise SpreadsheetError(f"The selected file {what} an XLSX workbook: {SAVE_AS_ADVICE['xlsx']}")
    if kind:
        raise SpreadsheetError(f"The selected file is {kind}, not a CSV file: {SAVE_AS_ADVICE['csv']}")
    if b"\x00" in content:
        raise SpreadsheetError(f"The selected file has NUL bytes, so it is not CSV text: {SAVE_AS_ADVICE['csv']}")


# --- CSV -----------------------------------------------------------------------------------------------

MAX_CSV_LINE_CHARACTERS = 1024 * 1024
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
# csv refuses longer fields (128K by default); cells over the cell limit become row problems instead.
csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_LINE_CHARACTERS))


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    encoding = _text_encoding(content)
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    reader = csv.reader(_bounded_lines(text))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise SpreadsheetError(f"Line {reader.line_num + 1} could not be read as CSV: {error}") from None


def _bounded_lines(text: io.TextIOWrapper) -> Iterator[str]:
    number = 0
    while line := text.readline(MAX_CSV_LINE_CHARACTERS + 1):
        number += 1
        if len(line) > MAX_CSV_LINE_CHARACTERS:
            raise SpreadsheetError(f"Line {number} is longer than {MAX_CSV_LINE_CHARACTERS:,} characters")
        yield line


def _text_encoding(content: bytes) -> str:
    """UTF-8 if every byte is valid UTF-8, else Windows-1252 if every byte is defined there."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(content), 1024 * 1024):
                decoder.decode(content[start : start + 1024 * 1024])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SpreadsheetError(f"The selected file is not UTF-8 or Windows-1252 text: {SAVE_AS_ADVICE['csv']}")


# --- XLSX ----------------------------------------------------------------------------------------------

MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024  # room for about 10,000 parts; a workbook has a few dozen
MAX_PART_BYTES = {"sheet": 200 * 1024 * 1024, "strings": 32 * 1024 * 1024, "other": 8 * 1024 * 1024}
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_SHARED_STRINGS = 250_000
MAX_ELEMENTS_OUTSIDE_ROWS = 50_000
MAX_CHARACTERS_OUTSIDE_ROWS = 4 * 1024 * 1024
MAX_ELEMENTS_PER_ROW = 20_000
MAX_CHARACTERS_PER_ROW = 4 * 1024 * 1024
MAX_ELEMENTS_PER_SHEET = 3_000_000  # about 1.5 million cells: 50,000 rows of 30 columns
EXCEL_MAX_ROW = 1_048_576
EXCEL_LAST_COLUMN = "XFD"
MACRO_CONTENT_TYPE = b"macroEnabled"
OPENPYXL_READ_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)
# A damaged or encrypted zip entry: bad CRC or data, a password needed, an unknown compression method.
ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


def _xlsx_rows(content: bytes, limits: ReadLimits, sheet_name: str | None) -> Iterator[tuple[int, tuple[Any, ...]]]:
    _check_zip_directory(content)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (*ZIP_READ_ERRORS, *OPENPYXL_READ_ERRORS):
        raise SpreadsheetError(_unreadable_workbook()) from None
    with archive:
        _check_parts(archive, limits)
        workbook = _open_workbook(content)
    try:
        sheet = _sheet_named(workbook, sheet_name)
        sheet.reset_dimensions()  # never trust the size a file declares
        number = 0
        rows = sheet.iter_rows(values_only=True)  # each row as wide as its last cell, which the scan bounded
        try:
            for number, values in enumerate(rows, start=1):
                yield number, tuple(_xlsx_text(value) for value in values)
        except (*OPENPYXL_READ_ERRORS, *ZIP_READ_ERRORS):
            raise SpreadsheetError(f"Row {number + 1} of the workbook is damaged: {SAVE_AS_ADVICE['xlsx']}") from None
    finally:
        workbook.close()


def _sheet_named(workbook, name: str | None):
    if name is None:
        return workbook.worksheets[0]
    wanted = " ".join(name.split()).casefold()
    for sheet in workbook.worksheets:
        if " ".join(str(sheet.title).split()).casefold() == wanted:
            return sheet
    raise SheetMissing(f"The selected workbook has no sheet called ‘{name}’")


def _xlsx_text(value: Any) -> Any:
    return unescape(value) if isinstance(value, str) and "_x" in value else value  # _x000D_ is a carriage return


def _unreadable_workbook() -> str:
    return f"The selected file could not be opened as an Excel workbook: {SAVE_AS_ADVICE['xlsx']}"


def _open_workbook(content: bytes):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file; its parts were bounded before this
        raise SpreadsheetError(_unreadable_workbook()) from None
    if not workbook.worksheets:
        workbook.close()
        raise SpreadsheetError("The selected workbook has no sheets")
    return workbook


def _check_zip_directory(content: bytes) -> None:
    """zipfile reads the whole directory of parts at once: refuse a directory listing huge numbers of parts."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 22 - 65_535))
    if end < 0 or len(content) < end + 22:
        raise SpreadsheetError(_unreadable_workbook())
    (directory_bytes,) = struct.unpack("<I", content[end + 12 : end + 16])
    if directory_bytes > MAX_ZIP_DIRECTORY_BYTES:
        raise SpreadsheetError("The selected workbook has too many parts to be a register")


def _check_parts(archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    parts = [(info.filename.lower(), info) for info in archive.infolist()]  # every entry, even a repeated name
    if _is_macro_enabled(archive, parts):
        raise SpreadsheetError(
            "The selected file is a macro-enabled workbook: save it as an ‘Excel Workbook (.xlsx)’ without macros"
        )
    if sum(info.file_size for _, info in parts) > MAX_TOTAL_BYTES:
        raise SpreadsheetError("The selected workbook is too big when unzipped to be a register")
    for name, info in parts:
        kind = _part_kind(name)
        if info.file_size > MAX_PART_BYTES[kind]:
            raise SpreadsheetError("The selected workbook is too big when unzipped to be a register")
        if name.endswith((".xml", ".rels")) or kind != "other":
            _XmlBudget.for_part(kind, limits).check(archive, info)


def _is_macro_enabled(archive: zipfile.ZipFile, parts: list[tuple[str, zipfile.ZipInfo]]) -> bool:
    if any(name.endswith("vbaproject.bin") for name, _ in parts):
        return True
    for name, info in parts:
        if name == "[content_types].xml" and info.file_size < MAX_PART_BYTES["other"]:
            try:
                if MACRO_CONTENT_TYPE.lower() in archive.read(info).lower():
                    return True
            except ZIP_READ_ERRORS:
                raise SpreadsheetError(_unreadable_workbook()) from None
    return False


def _part_kind(name: str) -> str:
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return "sheet"
    if name == "xl/sharedstrings.xml":
        return "strings"
    return "other"


class _BudgetExceeded(Exception):
    pass


_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})[0-9]*", re.IGNORECASE)


def _within_excel_columns(reference: str) -> bool:
    """A cell reference like "B7" whose column is at most XFD, Excel's last (openpyxl would make a row that wide)."""
    match = _CELL_REFERENCE.fullmatch(reference)
    return bool(match) and (len(match[1]) < 3 or match[1].upper() <= EXCEL_LAST_COLUMN)


@dataclass
class _XmlBudget:
    """Stream one XML part through expat, without building it, and refuse what would cost too much
    for openpyxl to build: document type declarations (entity bombs), too many shared strings,
    rows, cells or other elements, or too much text. Inside a row only the row is counted, since
    openpyxl builds and frees one row at a time; everything outside rows it keeps until the end."""

    max_outside_elements: int = MAX_ELEMENTS_OUTSIDE_ROWS
    max_outside_characters: int = MAX_CHARACTERS_OUTSIDE_ROWS
    max_rows: int = 0  # 0: the part is not a sheet
    max_strings: int = 0  # 0: the part is not the shared strings
    elements: int = 0
    outside_elements: int = 0
    outside_characters: int = 0
    rows: int = 0
    strings: int = 0
    row_depth: int = 0
    row_elements: int = 0
    row_characters: int = 0

    @classmethod
    def for_part(cls, kind: str, limits: ReadLimits) -> _XmlBudget:
        if kind == "sheet":
            return cls(max_rows=limits.max_data_rows + 1 + limits.blank_rows_allowed)
        if kind == "strings":
            return cls(
                max_outside_elements=MAX_SHARED_STRINGS * 4,
                max_outside_characters=MAX_PART_BYTES["strings"],
                max_strings=MAX_SHARED_STRINGS,
            )
        return cls()

    def check(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")  # names arrive as "namespace local-name"
        parser.buffer_text = True  # one call per run of text, not per chunk
        parser.StartDoctypeDeclHandler = self._refuse_doctype
        parser.EntityDeclHandler = self._refuse_doctype
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        try:
            with archive.open(info) as part:
                parser.ParseFile(part)
        except _BudgetExceeded as error:
            raise SpreadsheetError(f"The selected workbook is too big or too complex to read: {error}") from None
        except (expat.ExpatError, *ZIP_READ_ERRORS, *OPENPYXL_READ_ERRORS):
            raise SpreadsheetError(_unreadable_workbook()) from None

    def _refuse_doctype(self, *args) -> None:
        raise _BudgetExceeded("it declares XML entities")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        if self.row_depth:  # most elements are cells inside rows: keep this path short
            self._start_in_row(name, attributes)
        elif self.max_rows and name.endswith(" row"):
            self._start_row(attributes)
        else:
            self.outside_elements += 1
            if self.outside_elements > self.max_outside_elements:
                raise _BudgetExceeded("it has too many parts")
            if self.max_strings and name.endswith(" si"):
                self.strings += 1
                if self.strings > self.max_strings:
                    raise _BudgetExceeded(f"it has more than {self.max_strings:,} different pieces of text")

    def _start_in_row(self, name: str, attributes: dict[str, str]) -> None:
        self.row_depth += 1
        self.row_elements += 1
        if self.row_elements > MAX_ELEMENTS_PER_ROW:
            raise _BudgetExceeded(f"row {self.rows} has too many cells")
        if self.elements > MAX_ELEMENTS_PER_SHEET:
            raise _BudgetExceeded(f"it has more than {MAX_ELEMENTS_PER_SHEET // 2:,} cells")
        reference = attributes.get("r")  # only cells have one inside a row
        if reference and reference[2:3].isalpha() and not _within_excel_columns(reference):  # 3+ letters only
            raise _BudgetExceeded(f"row {self.rows} has a cell beyond Excel's last column")

    def _start_row(self, attributes: dict[str, str]) -> None:
        self.rows += 1
        number = attributes.get("r", "")
        if self.rows > self.max_rows or (
            number and (not (number.isascii() and number.isdigit()) or int(number) > EXCEL_MAX_ROW)
        ):
            raise _BudgetExceeded("it has too many rows")
        self.row_depth, self.row_elements, self.row_characters = 1, 0, 0

    def _end(self, name: str) -> None:
        if self.row_depth:
            self.row_depth -= 1

    def _characters(self, text: str) -> None:
        if self.row_depth:
            self.row_characters += len(text)
            if self.row_characters > MAX_CHARACTERS_PER_ROW:
                raise _BudgetExceeded(f"row {self.rows} has too much text")
        else:
            self.outside_characters += len(text)
            if self.outside_characters > self.max_outside_characters:
                raise _BudgetExceeded("it has too much text outside its rows")
