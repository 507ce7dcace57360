import datetime
import zipfile
from decimal import Decimal

import pytest

from schooltech.organisations import gias
from schooltech.organisations.tests.fixtures.gias_files import (
    LINKS_PATH,
    SAMPLE_PATH,
    read_csv,
    sample_rows,
    set_value,
    write_csv,
    write_sample,
)


def _record(parsed, urn):
    return next(record for record in parsed.records if record.urn == urn)


def test_parses_every_row_of_the_real_extract_without_errors():
    parsed = gias.parse_establishments(SAMPLE_PATH)

    assert parsed.errors == []
    assert len(parsed.records) == 41
    assert [record.urn for record in parsed.records][:3] == ["100000", "100001", "100002"]


def test_maps_every_column_of_an_open_primary_school():
    record = _record(gias.parse_establishments(SAMPLE_PATH), "100000")

    assert record.name == "The Aldgate School"
    assert record.ukprn == "10079319"
    assert record.la_establishment_number == "3614"
    assert (record.la_code, record.la_name, record.la_gss_code) == ("201", "City of London", "E09000001")
    assert (record.type_code, record.type_name) == ("2", "Voluntary aided school")
    assert (record.type_group_code, record.type_group_name) == ("4", "Local authority maintained schools")
    assert (record.phase_code, record.phase_name) == ("2", "Primary")
    assert record.status == "1"
    assert record.open_date is None and record.close_date is None
    assert record.region == "London"
    assert record.district_code == "E09000001"
    assert (record.street, record.town, record.postcode) == ("St James's Passage", "London", "EC3A 5DE")
    assert (record.easting, record.northing) == (533498, 181201)
    assert record.number_of_pupils == 271
    assert record.capacity == 271
    assert (record.statutory_low_age, record.statutory_high_age) == (3, 11)
    assert record.website == "www.thealdgateschool.org"
    assert record.trust_uid == ""
    assert record.gias_last_changed == datetime.date(2024, 2, 9)


def test_maps_dates_and_status_of_a_closed_school():
    record = _record(gias.parse_establishments(SAMPLE_PATH), "100037")

    assert record.status == "2"
    assert record.open_date == datetime.date(1900, 1, 1)
    assert record.close_date == datetime.date(2019, 12, 31)
    assert record.la_code == "202"
    assert record.la_name == "Camden"


@pytest.mark.parametrize("value", ["31-08-2021", "31/08/2021"])
def test_accepts_dates_with_dashes_or_slashes(value):
    assert gias.parse_date(value) == datetime.date(2021, 8, 31)


@pytest.mark.parametrize("value", ["2021-08-31", "31-13-2021", "31/08-2021", "1/8/2021", "soon"])
def test_rejects_other_date_shapes(value):
    assert gias.parse_date(value) is None


def test_reads_a_file_saved_as_utf8_with_a_byte_order_mark(tmp_path):
    header, rows = sample_rows()
    set_value(header, rows[0], "EstablishmentName", "École Élémentaire")
    path = write_csv(tmp_path / "edubasealldata.csv", header, rows, encoding="utf-8-sig")

    parsed = gias.parse_establishments(path)

    assert parsed.errors == []
    assert _record(parsed, "100000").name == "École Élémentaire"


def test_reads_windows_1252_accented_names(tmp_path):
    header, rows = sample_rows()
    set_value(header, rows[0], "EstablishmentName", "St Mary\u2019s École")  # curly apostrophe is 0x92 in cp1252
    path = write_csv(tmp_path / "edubasealldata.csv", header, rows)

    assert _record(gias.parse_establishments(path), "100000").name == "St Mary\u2019s École"


def test_collects_every_row_error_with_row_number_and_column(tmp_path):
    path = write_sample(
        tmp_path / "edubasealldata.csv",
        changes={
            ("100000", "NumberOfPupils"): "lots",
            ("100001", "OpenDate"): "2020-09-01",
            ("100002", "EstablishmentStatus (code)"): "9",
            ("100003", "EstablishmentName"): "",
        },
    )
    header, rows = read_csv(path)
    rows[4][0] = "10000X"
    write_csv(path, header, rows)

    errors = [str(error) for error in gias.parse_establishments(path).errors]

    assert errors == [
        "Row 2, column 'NumberOfPupils': 'lots' is not a whole number",
        "Row 3, column 'OpenDate': '2020-09-01' is not a date in the form dd-mm-yyyy or dd/mm/yyyy",
        "Row 4, column 'EstablishmentStatus (code)': '9' is not a GIAS status code (1, 2, 3 or 4)",
        "Row 5, column 'EstablishmentName': is empty",
        "Row 6, column 'URN': '10000X' must contain only digits",
    ]


def test_reports_a_row_with_the_wrong_number_of_values(tmp_path):
    header, rows = sample_rows()
    rows[2].append("extra")
    path = write_csv(tmp_path / "edubasealldata.csv", header, rows)

    errors = gias.parse_establishments(path).errors

    assert [str(error) for error in errors] == ["Row 4: has 141 values, expected 140"]


def test_reports_a_cut_off_last_row(tmp_path):
    path = tmp_path / "edubasealldata.csv"
    content = SAMPLE_PATH.read_bytes()
    path.write_bytes(content[: len(content) - 300])

    errors = gias.parse_establishments(path).errors

    assert len(errors) == 1
    assert errors[0].row == 42
    assert "the file looks cut off" in errors[0].message


def test_reports_a_file_that_ends_inside_a_quoted_value(tmp_path):
    path = tmp_path / "links_edubasealldata.csv"
    content = LINKS_PATH.read_bytes()
    path.write_bytes(content[:2000].rsplit(b'"', 1)[0] + b'"Some Sch')

    errors = gias.parse_establishment_links(path).errors

    assert any("ends inside a quoted value" in error.message for error in errors)


def test_names_every_missing_column(tmp_path):
    header, rows = sample_rows()
    for column in ("URN", "Postcode"):
        position = header.index(column)
        header.pop(position)
        for row in rows:
            row.pop(position)
    path = write_csv(tmp_path / "edubasealldata.csv", header, rows)

    errors = gias.parse_establishments(path).errors

    assert [str(error) for error in errors] == ["Row 1: The header is missing 2 required columns: 'URN', 'Postcode'"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("URN,EstablishmentName\n1,A\n".encode("utf-16"), "UTF-16 or binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "UTF-16 or binary"),
        (b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "web page (HTML)"),
        (b"", "empty"),
        (b"URN,Name\n1,\x81\x8d\n", "not valid Windows-1252 or UTF-8"),
    ],
)
def test_refuses_files_that_are_not_csv_text(tmp_path, content, message):
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(content)

    errors = gias.parse_establishments(path).errors

    assert len(errors) == 1
    assert message in errors[0].message


def test_refuses_a_zip_archive_with_a_hint_to_unzip_it(tmp_path):
    path = tmp_path / "edubasealldata.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(SAMPLE_PATH, "edubasealldata.csv")

    errors = gias.parse_establishments(path).errors

    assert "unzip it" in errors[0].message


def test_reports_a_repeated_urn(tmp_path):
    header, rows = sample_rows()
    path = write_csv(tmp_path / "edubasealldata.csv", header, [*rows, rows[0]])

    errors = gias.parse_establishments(path).errors

    assert [str(error) for error in errors] == ["Row 43, column 'URN': repeats row 2"]


def test_parses_groups_with_zero_padded_type_codes():
    parsed = gias.parse_groups(gias_fixture("allgroupsdata_test.csv"))

    assert parsed.errors == []
    trust = parsed.records[0]
    assert (trust.uid, trust.group_id, trust.name) == ("2044", "TR00261", "Abbey Academies Trust")
    assert (trust.group_type, trust.companies_house_number, trust.ukprn) == ("6", "07318714", "10032937")
    assert trust.open_date == datetime.date(2011, 9, 1)
    assert [record.group_type for record in parsed.records] == ["6", "6", "10", "1"]


def test_parses_group_memberships_with_join_dates():
    parsed = gias.parse_group_memberships(gias_fixture("alllinksdata_test.csv"))

    assert parsed.errors == []
    assert parsed.records[1].urn == "100002"
    assert parsed.records[1].group_uid == "3001"
    assert parsed.records[1].joined_date == datetime.date(2015, 9, 1)


def test_parses_the_real_windows_1252_links_file():
    parsed = gias.parse_establishment_links(LINKS_PATH)

    assert parsed.errors == []
    assert len(parsed.records) == 33_801
    first = parsed.records[0]
    assert (first.urn, first.linked_urn, first.link_type) == ("100006", "134643", "Predecessor - merged")
    assert first.linked_name == "CCfL Key Stage 3 PRU"
    assert first.established_date == datetime.date(2022, 1, 1)


def test_coordinates_come_from_the_british_national_grid():
    from schooltech.organisations.importers.coordinates import latitudes_and_longitudes

    [(latitude, longitude)] = latitudes_and_longitudes([(533498, 181201)])

    assert latitude == Decimal("51.513969")
    assert longitude == Decimal("-0.077531")


def test_a_point_the_grid_cannot_place_has_no_coordinates_rather_than_an_error():
    from schooltech.organisations.importers.coordinates import latitudes_and_longitudes

    assert latitudes_and_longitudes([(1_700_962_749, 0)]) == [(None, None)]


@pytest.mark.parametrize(("column", "value"), [("Easting", "700001"), ("Northing", "1300001")])
def test_a_grid_reference_beyond_the_british_national_grid_is_a_row_error(column, value):
    errors = []
    record = gias._establishment_from_row(gias.RowReader({"URN": "100000", column: value}, 5, errors))
    assert (record.easting, record.northing) == (None, None)
    assert [error.column for error in errors if "is more than" in error.message] == [column]


def gias_fixture(name):
    from schooltech.organisations.tests.fixtures.gias_files import FIXTURES

    return FIXTURES / name


@pytest.mark.parametrize("value", ["²", "١٢٣", "１２"])
def test_digits_of_other_scripts_are_not_whole_numbers(value):
    errors = []
    assert gias.RowReader({"NumberOfPupils": value}, 5, errors).integer("NumberOfPupils") is None
    assert errors == [gias.RowError(f"'{value}' is not a whole number", row=5, column="NumberOfPupils")]


@pytest.mark.parametrize(("column", "value"), [("NumberOfPupils", "2147483648"), ("StatutoryHighAge", "100")])
def test_a_whole_number_too_big_for_its_column_is_refused_not_written(column, value):
    errors = []
    reader = gias.RowReader({column: value}, 5, errors)
    maximum = gias.MAX_AGE if column == "StatutoryHighAge" else gias.MAX_INTEGER
    assert reader.integer(column, maximum=maximum) is None
    assert errors and errors[0].column == column and "is more than" in errors[0].message
