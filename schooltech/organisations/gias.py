"""Gateway for Get Information About Schools (GIAS) download files.

Reads the CSV files GIAS publishes (https://get-information-schools.service.gov.uk/Downloads) and turns
each row into a plain record, checking every row first. Nothing here touches the database: the upserts
live in services.py. Tests and local runs use the real 41-row extract in tests/fixtures/ as the fake.

Files handled:
- edubasealldataYYYYMMDD.csv: all establishments, 140 columns, coded fields as "X (code)" / "X (name)"
- allgroupsdataYYYYMMDD.csv: trusts, federations and sponsors
- alllinksdataYYYYMMDD.csv: which establishments belong to which group
- links_edubasealldataYYYYMMDD.csv: predecessor and successor links between establishments

GIAS publishes Windows-1252 text. A file that is valid UTF-8 (for example, re-saved from a spreadsheet)
is read as UTF-8 instead, because a Windows-1252 file with accented letters is almost never valid UTF-8.
"""

import codecs
import csv
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from tqdm import tqdm

from schooltech.core.words import counted
from schooltech.organisations.models import Establishment, Group

GIAS_ENCODING = "cp1252"
NO_LOCAL_AUTHORITY_CODES = {"", "0", "000", "999"}
STATUS_CODES = set(Establishment.Status.values)
GROUP_TYPE_CODES = set(Group.GroupType.values)
_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class RowError:
    """One problem in a file. Rows are numbered as a spreadsheet shows them: the header is row 1."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        if not where:
            return self.message
        place = ", ".join(where)
        return f"{place[0].upper()}{place[1:]}: {self.message}"


class GiasFileError(Exception):
    """A file that cannot be imported. Carries every problem found, not just the first."""

    def __init__(self, path: Path | str, errors: list[RowError]):
        self.path = Path(path)
        self.errors = errors
        super().__init__(f"{self.path.name}: {counted(len(errors), 'problem')} found, nothing was imported")

    def report(self, limit: int = 200) -> str:
        lines = [str(self)]
        lines += [f"  {error}" for error in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"  ...and {len(self.errors) - limit} more")
        return "\n".join(lines)


@dataclass(slots=True)
class EstablishmentRecord:
    """One establishment as a file describes it. Field names match Establishment, plus LA and trust keys."""

    urn: str
    name: str
    status: str
    ukprn: str = ""
    la_establishment_number: str = ""
    type_code: str = ""
    type_name: str = ""
    type_group_code: str = ""
    type_group_name: str = ""
    phase_code: str = ""
    phase_name: str = ""
    open_date: datetime.date | None = None
    close_date: datetime.date | None = None
    region: str = ""
    district_code: str = ""
    street: str = ""
    town: str = ""
    postcode: str = ""
    easting: int | None = None
    northing: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    number_of_pupils: int | None = None
    capacity: int | None = None
    statutory_low_age: int | None = None
    statutory_high_age: int | None = None
    website: str = ""
    ofsted_phase: str = ""
    idaci_quintile: int | None = None
    gias_last_changed: datetime.date | None = None
    la_code: str = ""
    la_name: str = ""
    la_gss_code: str = ""
    trust_uid: str = ""


@dataclass(slots=True)
class GroupRecord:
    uid: str
    name: str
    group_type: str
    group_id: str = ""
    companies_house_number: str = ""
    ukprn: str = ""
    status: str = "Open"
    open_date: datetime.date | None = None
    closed_date: datetime.date | None = None


@dataclass(slots=True)
class GroupMembershipRecord:
    urn: str
    group_uid: str
    joined_date: datetime.date | None = None
    left_date: datetime.date | None = None


@dataclass(slots=True)
class EstablishmentLinkRecord:
    urn: str
    linked_urn: str
    linked_name: str
    link_type: str
    established_date: datetime.date | None = None


@dataclass
class ParsedFile[RecordT]:
    records: list[RecordT]
    errors: list[RowError] = field(default_factory=list)


# Column limits matching the model fields, so a long value is a row error rather than a database error.
ESTABLISHMENT_MAX_LENGTHS = {
    "urn": 8,
    "ukprn": 8,
    "name": 255,
    "la_establishment_number": 4,
    "type_code": 4,
    "type_name": 100,
    "type_group_code": 4,
    "type_group_name": 100,
    "phase_code": 2,
    "phase_name": 50,
    "region": 100,
    "district_code": 9,
    "street": 255,
    "town": 100,
    "postcode": 10,
    "website": 255,
    "la_code": 3,
    "la_name": 200,
    "la_gss_code": 9,
    "trust_uid": 10,
}


MAX_INTEGER = 2_147_483_647  # the database's integer columns hold no more
MAX_AGE = 99  # statutory ages: a person's age, in a small integer column
# The British National Grid covers 0-700 km east and 0-1,300 km north; a point beyond it has no latitude.
MAX_EASTING = 700_000
MAX_NORTHING = 1_300_000


def _is_digits(value: str) -> bool:
    """0-9 only: str.isdigit() also takes '²' and other scripts' digits, which int() then refuses."""
    return value.isascii() and value.isdigit()


class RowReader:
    """Reads typed values from one row, noting every bad value as a RowError instead of stopping."""

    def __init__(self, values: "Row | dict[str, str]", row_number: int, errors: list[RowError]):
        self.values = values
        self.row_number = row_number
        self.errors = errors

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(message, row=self.row_number, column=column))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            self.error(column, "is empty")
        if max_length and len(value) > max_length:
            self.error(column, f"is {len(value)} characters long, the limit is {max_length}")
        return value

    def digits(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.text(column, required=required, max_length=max_length)
        if value and not _is_digits(value):
            self.error(column, f"'{value}' must contain only digits")
        return value

    def integer(self, column: str, *, maximum: int = MAX_INTEGER) -> int | None:
        value = self.text(column)
        if not value:
            return None
        if value.endswith(".0"):  # spreadsheet exports write whole numbers as floats
            value = value[:-2]
        if not _is_digits(value):
            self.error(column, f"'{value}' is not a whole number")
            return None
        if len(value) > len(str(maximum)) or int(value) > maximum:
            self.error(column, f"'{value}' is more than {maximum:,}")
            return None
        return int(value)

    def date(self, column: str) -> datetime.date | None:
        value = self.text(column)
        if not value:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(column, f"'{value}' is not a date in the form dd-mm-yyyy or dd/mm/yyyy")
        return parsed


_DATE_SHAPE = re.compile(r"^(\d{2})([-/])(\d{2})\2(\d{4})$")


@cache
def parse_date(value: str) -> datetime.date | None:
    """A dd-mm-yyyy or dd/mm/yyyy date, or None. Cached: GIAS files repeat the same dates many times."""
    match = _DATE_SHAPE.match(value)
    if not match:
        return None
    day, _, month, year = match.groups()
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _sniff_content(path: Path) -> RowError | None:
    """Catch downloads that are not CSV text at all: web pages, archives, UTF-16 or binary files."""
    with path.open("rb") as file:
        start = file.read(4096)
    if not start.strip():
        return RowError("The file is empty")
    if start.startswith(b"PK\x03\x04"):
        return RowError("The file is a ZIP archive: unzip it and import the CSV file inside")
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start:
        return RowError("The file is UTF-16 or binary, not a CSV file in Windows-1252 or UTF-8")
    lowered = start.lstrip().lower()
    if lowered.startswith((b"<!doctype", b"<html", b"<?xml", b"<head")):
        return RowError("The file is a web page (HTML), not a CSV file: the download probably failed")
    return None


def _detect_encoding(path: Path) -> tuple[str | None, RowError | None]:
    """UTF-8 if the whole file is valid UTF-8, otherwise Windows-1252 if every byte is defined there."""
    for encoding in ("utf-8-sig", GIAS_ENCODING):
        decoder = codecs.getincrementaldecoder(encoding)()
        line = 1
        try:
            with path.open("rb") as file:
                while chunk := file.read(_CHUNK_BYTES):
                    decoder.decode(chunk)
                    line += chunk.count(b"\n")
                decoder.decode(b"", final=True)
            return encoding, None
        except UnicodeDecodeError as error:
            bad_line = line + error.object[: error.start].count(b"\n")
            failure = RowError(
                f"line {bad_line} has a byte ({error.object[error.start]:#04x}) that is not valid Windows-1252 "
                "or UTF-8 text: check the file is the CSV download from GIAS"
            )
    return None, failure


def read_rows(
    path: Path | str,
    *,
    required_columns: Iterable[str],
    progress: bool = False,
    description: str = "Reading",
) -> tuple[Iterator[tuple[int, "Row"]], list[RowError]]:
    """Check the file and header, then yield (row number, row) for each data row.

    Problems with the file as a whole come back at once in the error list (and the iterator is empty).
    Row-shape problems (wrong number of values, a cut-off last row) are appended to that same list while
    iterating, so callers collect every error before deciding to write anything.
    """
    path = Path(path)
    errors: list[RowError] = []
    if not path.is_file():
        return iter(()), [RowError(f"There is no file at {path}")]
    if problem := _sniff_content(path):
        return iter(()), [problem]
    encoding, problem = _detect_encoding(path)
    if problem:
        return iter(()), [problem]
    with path.open(encoding=encoding, newline="") as file:
        header = next(csv.reader(file), [])
    header = [column.strip() for column in header]
    missing = [column for column in required_columns if column not in header]
    if missing:
        names = ", ".join(f"'{column}'" for column in missing)
        return iter(()), [RowError(f"The header is missing {counted(len(missing), 'required column')}: {names}", row=1)]
    duplicated = sorted({column for column in header if header.count(column) > 1 and column})
    if duplicated:
        return iter(()), [
            RowError(
                f"The header repeats {'a column' if len(duplicated) == 1 else 'columns'}: {', '.join(duplicated)}",
                row=1,
            )
        ]
    total = _count_lines(path) - 1 if progress else None
    return _iterate(path, encoding, header, errors, progress, description, total), errors


def _count_lines(path: Path) -> int:
    with path.open("rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(_CHUNK_BYTES), b""))


class Row:
    """One data row, read by column name without building a dict per row (GIAS rows have 140 columns)."""

    __slots__ = ("positions", "values")

    def __init__(self, values: list[str], positions: dict[str, int]):
        self.values = values
        self.positions = positions

    def get(self, column: str, default: str = "") -> str:
        position = self.positions.get(column)
        return default if position is None else self.values[position]


def _iterate(path, encoding, header, errors, progress, description, total) -> Iterator[tuple[int, Row]]:
    positions = {column: position for position, column in enumerate(header)}
    width = len(header)
    with path.open(encoding=encoding, newline="") as file:
        reader = csv.reader(file, strict=True)
        next(reader)
        rows = tqdm(reader, total=total, desc=description, unit=" rows", leave=False) if progress else reader
        row_number = 1
        pending: tuple[int, list[str]] | None = None
        try:
            for values in rows:
                row_number += 1
                if pending and _has_expected_width(pending, width, errors, is_last=False):
                    yield pending[0], Row(pending[1], positions)
                pending = (row_number, values)
        except csv.Error as error:
            if pending and _has_expected_width(pending, width, errors, is_last=False):
                yield pending[0], Row(pending[1], positions)
            pending = None
            message = str(error)
            if "unexpected end of data" in message:
                message = "the file ends inside a quoted value: the download looks cut off"
            errors.append(RowError(message, row=row_number + 1))
        if pending and _has_expected_width(pending, width, errors, is_last=True):
            yield pending[0], Row(pending[1], positions)


def _has_expected_width(pending: tuple[int, list[str]], width: int, errors: list[RowError], *, is_last: bool) -> bool:
    """False for a blank line or a row with the wrong number of values (noted as an error)."""
    row_number, values = pending
    if len(values) == width:
        return True
    if not values or values == [""]:
        return False
    if is_last and len(values) < width:
        message = f"the last row has {len(values)} of {width} values: the file looks cut off"
    else:
        message = f"has {len(values)} values, expected {width}"
    errors.append(RowError(message, row=row_number))
    return False


def _parse[RecordT](
    path: Path | str,
    *,
    required_columns: Iterable[str],
    row_parser: Callable[[RowReader], RecordT | None],
    key: Callable[[RecordT], Any],
    key_name: str,
    progress: bool,
    description: str,
) -> ParsedFile[RecordT]:
    rows, errors = read_rows(path, required_columns=required_columns, progress=progress, description=description)
    records: list[RecordT] = []
    first_seen: dict[Any, int] = {}
    for row_number, values in rows:
        error_count = len(errors)
        row = RowReader(values, row_number, errors)
        record = row_parser(row)
        if record is None or len(errors) > error_count:
            continue
        record_key = key(record)
        if record_key in first_seen:
            row.error(key_name, f"repeats row {first_seen[record_key]}")
            continue
        first_seen[record_key] = row_number
        records.append(record)
    if not errors and not records:
        errors.append(RowError("The file has a header but no data rows"))
    return ParsedFile(records=records, errors=errors)


ESTABLISHMENT_COLUMNS = (
    "URN",
    "EstablishmentName",
    "EstablishmentStatus (code)",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "UKPRN",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "OpenDate",
    "CloseDate",
    "Street",
    "Town",
    "Postcode",
    "Easting",
    "Northing",
    "NumberOfPupils",
    "SchoolCapacity",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "SchoolWebsite",
    "Trusts (code)",
    "GOR (name)",
    "DistrictAdministrative (code)",
    "GSSLACode (name)",
    "LastChangedDate",
)


def _establishment_from_row(row: RowReader) -> EstablishmentRecord:
    limits = ESTABLISHMENT_MAX_LENGTHS
    status = row.text("EstablishmentStatus (code)", required=True)
    if status and status not in STATUS_CODES:
        row.error("EstablishmentStatus (code)", f"'{status}' is not a GIAS status code (1, 2, 3 or 4)")
    la_code = row.digits("LA (code)", max_length=limits["la_code"])
    has_la = la_code not in NO_LOCAL_AUTHORITY_CODES
    return EstablishmentRecord(
        urn=row.digits("URN", required=True, max_length=limits["urn"]),
        name=row.text("EstablishmentName", required=True, max_length=limits["name"]),
        status=status,
        ukprn=row.digits("UKPRN", max_length=limits["ukprn"]),
        la_establishment_number=row.digits("EstablishmentNumber", max_length=limits["la_establishment_number"]),
        type_code=row.text("TypeOfEstablishment (code)", max_length=limits["type_code"]),
        type_name=row.text("TypeOfEstablishment (name)", max_length=limits["type_name"]),
        type_group_code=row.text("EstablishmentTypeGroup (code)", max_length=limits["type_group_code"]),
        type_group_name=row.text("EstablishmentTypeGroup (name)", max_length=limits["type_group_name"]),
        phase_code=row.text("PhaseOfEducation (code)", max_length=limits["phase_code"]),
        phase_name=row.text("PhaseOfEducation (name)", max_length=limits["phase_name"]),
        open_date=row.date("OpenDate"),
        close_date=row.date("CloseDate"),
        region=row.text("GOR (name)", max_length=limits["region"]),
        district_code=row.text("DistrictAdministrative (code)", max_length=limits["district_code"]),
        street=row.text("Street", max_length=limits["street"]),
        town=row.text("Town", max_length=limits["town"]),
        postcode=row.text("Postcode", max_length=limits["postcode"]).upper(),
        easting=row.integer("Easting", maximum=MAX_EASTING),
        northing=row.integer("Northing", maximum=MAX_NORTHING),
        number_of_pupils=row.integer("NumberOfPupils"),
        capacity=row.integer("SchoolCapacity"),
        statutory_low_age=row.integer("StatutoryLowAge", maximum=MAX_AGE),
        statutory_high_age=row.integer("StatutoryHighAge", maximum=MAX_AGE),
        website=row.text("SchoolWebsite", max_length=limits["website"]),
        gias_last_changed=row.date("LastChangedDate"),
        la_code=la_code if has_la else "",
        la_name=row.text("LA (name)", max_length=limits["la_name"]) if has_la else "",
        la_gss_code=row.text("GSSLACode (name)", max_length=limits["la_gss_code"]) if has_la else "",
        trust_uid=row.digits("Trusts (code)", max_length=limits["trust_uid"]),
    )


def parse_establishments(path: Path | str, *, progress: bool = False) -> ParsedFile[EstablishmentRecord]:
    """Parse an edubasealldata file: every row checked, all problems collected."""
    return _parse(
        path,
        required_columns=ESTABLISHMENT_COLUMNS,
        row_parser=_establishment_from_row,
        key=lambda record: record.urn,
        key_name="URN",
        progress=progress,
        description="Reading establishments",
    )


GROUP_COLUMNS = ("Group UID", "Group Name", "Group Type (code)")


def _group_from_row(row: RowReader) -> GroupRecord:
    group_type = row.digits("Group Type (code)", required=True).lstrip("0")
    if group_type and group_type not in GROUP_TYPE_CODES:
        row.error("Group Type (code)", f"'{group_type}' is not a GIAS group type code")
    return GroupRecord(
        uid=row.digits("Group UID", required=True, max_length=10),
        name=row.text("Group Name", required=True, max_length=255),
        group_type=group_type,
        group_id=row.text("Group ID", max_length=20),
        companies_house_number=row.text("Companies House Number", max_length=10),
        ukprn=row.digits("UKPRN", max_length=8),
        status=row.text("Group Status", max_length=50) or "Open",
        open_date=row.date("Open date"),
        closed_date=row.date("Closed Date"),
    )


def parse_groups(path: Path | str, *, progress: bool = False) -> ParsedFile[GroupRecord]:
    """Parse an allgroupsdata file (the shipped trusts list has the same header)."""
    return _parse(
        path,
        required_columns=GROUP_COLUMNS,
        row_parser=_group_from_row,
        key=lambda record: record.uid,
        key_name="Group UID",
        progress=progress,
        description="Reading groups",
    )


MEMBERSHIP_COLUMNS = ("URN", "Group UID")


def _membership_from_row(row: RowReader) -> GroupMembershipRecord:
    return GroupMembershipRecord(
        urn=row.digits("URN", required=True, max_length=8),
        group_uid=row.digits("Group UID", required=True, max_length=10),
        joined_date=row.date("Joined date"),
        left_date=row.date("Left date"),
    )


def parse_group_memberships(path: Path | str, *, progress: bool = False) -> ParsedFile[GroupMembershipRecord]:
    """Parse an alllinksdata file: which establishment belongs to which group."""
    return _parse(
        path,
        required_columns=MEMBERSHIP_COLUMNS,
        row_parser=_membership_from_row,
        key=lambda record: (record.urn, record.group_uid),
        key_name="URN",
        progress=progress,
        description="Reading group memberships",
    )


LINK_COLUMNS = ("URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate")


def _link_from_row(row: RowReader) -> EstablishmentLinkRecord:
    return EstablishmentLinkRecord(
        urn=row.digits("URN", required=True, max_length=8),
        linked_urn=row.digits("LinkURN", required=True, max_length=8),
        linked_name=row.text("LinkName", max_length=255),
        link_type=row.text("LinkType", required=True, max_length=100),
        established_date=row.date("LinkEstablishedDate"),
    )


def parse_establishment_links(path: Path | str, *, progress: bool = False) -> ParsedFile[EstablishmentLinkRecord]:
    """Parse a links_edubasealldata file: predecessor, successor and other links."""
    return _parse(
        path,
        required_columns=LINK_COLUMNS,
        row_parser=_link_from_row,
        key=lambda record: (record.urn, record.linked_urn, record.link_type),
        key_name="LinkURN",
        progress=progress,
        description="Reading establishment links",
    )
