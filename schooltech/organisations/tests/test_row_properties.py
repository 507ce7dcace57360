"""Properties of the GIAS and Ofsted row parsers, for any cell text (Hypothesis): a parser never fails,
every problem names its row and one of the file's columns, and a row it accepts fits the database
(digits that are 0-9, whole numbers the columns hold, text within each column's length). And for the
whole import: any one bad value in a real GIAS file is refused with nothing written."""

import datetime
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schooltech.organisations import gias
from schooltech.organisations.importers import ofsted
from schooltech.organisations.models import Establishment
from schooltech.organisations.tests.fixtures.gias_files import sample_rows, set_value, write_csv

# What a download, a spreadsheet re-save or a careless edit can put in a cell.
HOSTILE_WORDS = [
    "", " ", "0", "00", "-1", "1.0", "1.5", "1e9", "NaN", "inf", "²", "١٢٣", "１２３", "99999999999999999999",
    "2147483648", "32768", "31/02/2024", "00/00/0000", "01-13-2024", "29/02/2023", "01/01/0001", "31/12/9999",
    "1/1/2024", "2024-01-01", "\u200b1", "１", "x" * 300,
]  # fmt: skip
cell_text = st.one_of(
    st.sampled_from(HOSTILE_WORDS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.dates().map(lambda date: date.strftime("%d/%m/%Y")),
)
PROPERTY = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])

MAX_INTEGER = 2_147_483_647
OFSTED_TYPES = {"academy converter": ofsted.EstablishmentType("28", "Academy converter", "10", "Academies")}


def _row(columns: tuple[str, ...], data) -> dict[str, str]:
    return {column: data.draw(cell_text, label=column) for column in columns}


def _assert_fits(record, errors: list[gias.RowError], columns) -> None:
    for error in errors:
        assert error.row == 2 and error.column in columns and error.message, error
    if errors:
        return
    for name in record.__slots__:
        value = getattr(record, name)
        if isinstance(value, int):
            assert 0 <= value <= MAX_INTEGER, (name, value)
        elif isinstance(value, str):
            limit = gias.ESTABLISHMENT_MAX_LENGTHS.get(name, 255)
            assert len(value) <= limit and "\x00" not in value, (name, value)
        else:
            assert value is None or isinstance(value, datetime.date | object), (name, value)
    for name in ("urn", "ukprn", "la_establishment_number", "trust_uid", "uid", "group_uid", "linked_urn"):
        value = getattr(record, name, "")
        assert value == "" or (value.isascii() and value.isdigit()), (name, value)
    for name in ("statutory_low_age", "statutory_high_age"):
        value = getattr(record, name, None)
        assert value is None or value <= gias.MAX_AGE


OPTIONAL_COLUMNS = {
    "groups": ("Group ID", "Companies House Number", "UKPRN", "Group Status", "Open date", "Closed Date"),
    "memberships": ("Joined date", "Left date"),
}
PARSERS = {
    "establishments": (gias.ESTABLISHMENT_COLUMNS, gias._establishment_from_row),
    "groups": (gias.GROUP_COLUMNS + OPTIONAL_COLUMNS["groups"], gias._group_from_row),
    "memberships": (gias.MEMBERSHIP_COLUMNS + OPTIONAL_COLUMNS["memberships"], gias._membership_from_row),
    "links": (gias.LINK_COLUMNS, gias._link_from_row),
    "ofsted": (ofsted.COLUMNS, lambda row: ofsted._establishment(row, OFSTED_TYPES)),
}


@pytest.mark.parametrize("kind", PARSERS)
@PROPERTY
@given(data=st.data())
def test_any_row_is_parsed_to_a_record_that_fits_or_its_problems_are_named(kind, data):
    columns, parser = PARSERS[kind]
    errors: list[gias.RowError] = []
    record = parser(gias.RowReader(_row(columns, data), 2, errors))
    _assert_fits(record, errors, columns)


@pytest.mark.parametrize("maximum", [gias.MAX_AGE, MAX_INTEGER])
@PROPERTY
@given(value=cell_text)
def test_a_whole_number_is_within_its_column_or_refused(maximum, value):
    errors: list[gias.RowError] = []
    number = gias.RowReader({"N": value}, 2, errors).integer("N", maximum=maximum)
    assert (number is None) or (0 <= number <= maximum and not errors)
    assert all(error.column == "N" for error in errors)


ESTABLISHMENT_COLUMNS_TO_SPOIL = [
    "URN", "UKPRN", "EstablishmentStatus (code)", "LA (code)", "OpenDate", "CloseDate", "Easting",
    "NumberOfPupils", "SchoolCapacity", "StatutoryLowAge", "StatutoryHighAge", "Postcode", "Trusts (code)",
    "LastChangedDate", "EstablishmentName",
]  # fmt: skip


@pytest.mark.django_db
@settings(PROPERTY, max_examples=20)
@given(column=st.sampled_from(ESTABLISHMENT_COLUMNS_TO_SPOIL), value=cell_text)
def test_one_bad_value_in_a_real_gias_file_is_imported_or_refused_with_nothing_written(column, value):
    header, rows = sample_rows()
    rows = [list(row) for row in rows[:5]]
    set_value(header, rows[2], column, value)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "edubasealldata.csv"
        try:
            write_csv(path, header, rows)
        except UnicodeEncodeError:
            write_csv(path, header, rows, encoding="utf-8")
        before = Establishment.objects.count()
        try:
            call_command("import_gias", str(path), no_progress=True, force=True, stdout=StringIO())
        except CommandError as error:
            assert "nothing was imported" in str(error) or str(error)
            assert Establishment.objects.count() == before
        else:
            assert Establishment.objects.count() == 5
    Establishment.objects.all().delete()
