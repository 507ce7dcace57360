import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from schooltech.core import spreadsheets
from schooltech.core.tests import hostile_files
from schooltech.core.tests.hostile_files import CORPUS
from schooltech.core.tests.reading_memory import measure
from schooltech.core.tests.spreadsheet_checks import (
    TYPED_FORMULAS,
    assert_csv_has_no_live_formula,
    assert_xlsx_has_no_live_formula,
    ods_sheets,
    xlsx_texts,
)

ROW = ["Laptop", 12, 3.5, Decimal("349.99"), datetime.date(2027, 8, 31), None, True]


def _table(rows):
    return spreadsheets.Table(
        name="Assets", header=["Name", "Count", "Speed", "Cost", "Due", "Notes", "Owned"], rows=rows
    )


@pytest.mark.parametrize("text", TYPED_FORMULAS)
def test_csv_quotes_text_that_starts_like_a_formula(text):
    rows = assert_csv_has_no_live_formula(spreadsheets.csv_bytes(_table([[text]])))
    assert rows[1] == ["'" + text]


def test_csv_writes_numbers_dates_and_plain_text_as_they_are():
    content = spreadsheets.csv_bytes(_table([ROW, [-5, Decimal("-1.50")]]))
    rows = assert_csv_has_no_live_formula(content)
    assert content.startswith("\ufeff".encode())
    assert rows[1] == ["Laptop", "12", "3.5", "349.99", "2027-08-31", "", "Yes"]
    assert rows[2] == ["-5", "-1.50"]


@pytest.mark.parametrize("text", TYPED_FORMULAS)
def test_xlsx_writes_text_that_starts_like_a_formula_as_quoted_text(text):
    cells = assert_xlsx_has_no_live_formula(spreadsheets.xlsx_bytes(_table([[text]])))
    assert text.replace("\r", "_x000D_") in xlsx_texts(cells)  # how XLSX escapes a carriage return


def test_xlsx_writes_links_as_text_not_hyperlinks():
    content = spreadsheets.xlsx_bytes(_table([["https://evil.example/", "mailto:a@b.example"]]))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "https://evil.example/" and sheet["A2"].hyperlink is None
    assert sheet["B2"].hyperlink is None


def test_xlsx_writes_numbers_as_numbers_and_dates_as_dates():
    content = spreadsheets.xlsx_bytes(_table([ROW, ["0123", "1e5"]]))
    assert_xlsx_has_no_live_formula(content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [cell.value for cell in sheet[2]]
    assert values == ["Laptop", 12, 3.5, 349.99, datetime.datetime(2027, 8, 31), None, "Yes"]
    assert sheet["D2"].number_format == "#,##0.00"
    assert [sheet["A3"].value, sheet["B3"].value] == ["0123", "1e5"]  # text that looks like a number stays text


def test_xlsx_writes_non_finite_numbers_as_text():
    content = spreadsheets.xlsx_bytes(_table([[float("nan"), float("inf"), Decimal("-Infinity")]]))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[2]][:3] == ["nan", "inf", "-Infinity"]
    assert sheet["C2"].quotePrefix


def test_several_tables_become_several_sheets():
    guide = spreadsheets.Table(name="How to fill this in", header=["Column"], rows=[["Name"]])
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(_table([ROW]), guide)))
    assert workbook.sheetnames == ["Assets", "How to fill this in"]


def test_a_named_sheet_is_read_by_its_name_whatever_its_case_and_spacing():
    guide = spreadsheets.Table(name="Supplier  contracts", header=["Supplier"], rows=[["Acme"], ["Beta"]])
    content = spreadsheets.xlsx_bytes(_table([ROW]), guide)
    assert [row.cells[0] for row in spreadsheets.read_rows(content, "r.xlsx")] == ["Name", "Laptop"]
    named = spreadsheets.read_rows(content, "r.xlsx", sheet="supplier contracts")
    assert [row.cells for row in named] == [("Supplier",), ("Acme",), ("Beta",)]
    with pytest.raises(spreadsheets.SheetMissing, match="no sheet called ‘Software’"):
        list(spreadsheets.read_rows(content, "r.xlsx", sheet="Software"))
    with pytest.raises(spreadsheets.SheetMissing):
        list(spreadsheets.read_rows(b"Name\r\nLaptop\r\n", "r.csv", sheet="Software"))


def test_a_named_sheet_keeps_every_limit_of_the_file():
    rows = [[f"Supplier {number}"] for number in range(30)]
    content = spreadsheets.xlsx_bytes(_table([ROW]), spreadsheets.Table(name="Contracts", header=["S"], rows=rows))
    limits = spreadsheets.ReadLimits(max_data_rows=20, blank_rows_allowed=0)
    with pytest.raises(spreadsheets.SpreadsheetError, match=r"too many rows|20 rows or fewer"):
        list(spreadsheets.read_rows(content, "r.xlsx", limits, sheet="Contracts"))
    for hostile in CORPUS:
        if hostile.filename.endswith(".xlsx"):
            with pytest.raises(spreadsheets.SpreadsheetError):
                list(spreadsheets.read_rows(hostile.build(), hostile.filename, sheet="Software"))


@pytest.mark.parametrize("text", TYPED_FORMULAS)
def test_ods_writes_text_that_starts_like_a_formula_as_a_string_cell(text):
    [rows] = ods_sheets(spreadsheets.ods_bytes(_table([[text]]))).values()
    assert rows[1] == [("string", None, text.replace("\r", "\n"))]  # a line break, as XML reads it


def test_ods_writes_numbers_as_numbers_and_dates_as_dates():
    [rows] = ods_sheets(spreadsheets.ods_bytes(_table([ROW]))).values()
    assert rows[0][0] == ("string", None, "Name")
    assert rows[1] == [
        ("string", None, "Laptop"),
        ("float", "12", "12"),
        ("float", "3.5", "3.5"),
        ("float", "349.99", "349.99"),
        ("date", "2027-08-31", "2027-08-31"),
        (None, None, ""),
        ("string", None, "Yes"),
    ]


def test_ods_keeps_hostile_text_readable_and_well_formed():
    hostile = ["<script>&\"'</script>", "line one\nline two", "nul\x00 and \x1b escape", float("nan"), float("inf")]
    [rows] = ods_sheets(spreadsheets.ods_bytes(_table([hostile]))).values()
    assert rows[1] == [
        ("string", None, "<script>&\"'</script>"),
        ("string", None, "line one\nline two"),
        ("string", None, "nul and  escape"),
        ("string", None, "nan"),
        ("string", None, "inf"),
    ]


def test_ods_gives_each_table_its_own_sheet_with_a_usable_unique_name():
    content = spreadsheets.ods_bytes(_table([]), _table([]), spreadsheets.Table(name="a/b?[c]", header=["x"], rows=[]))
    assert list(ods_sheets(content)) == ["Assets", "Assets (2)", "a b  c"]


def test_spreadsheet_bytes_writes_each_format_and_refuses_others():
    assert spreadsheets.spreadsheet_bytes("csv", _table([ROW])) == spreadsheets.csv_bytes(_table([ROW]))
    assert spreadsheets.spreadsheet_bytes("xlsx", _table([ROW])).startswith(b"PK")
    assert ods_sheets(spreadsheets.spreadsheet_bytes("ods", _table([ROW])))
    with pytest.raises(ValueError):
        spreadsheets.spreadsheet_bytes("xls", _table([ROW]))


def test_download_names_the_file_and_its_type():
    response = spreadsheets.download(b"a,b\r\n", "assets.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="assets.csv"'


def test_reading_every_hostile_workbook_keeps_memory_under_200_mb():
    workbooks = [(hostile.filename, hostile.build()) for hostile in CORPUS if hostile.filename.endswith(".xlsx")]
    figures = measure(workbooks)
    assert len(figures) == len(workbooks)
    assert max(figure["peak_mb"] for figure in figures) < 200


def test_row_numbers_in_another_script_are_refused_as_a_whole_file():
    content = hostile_files.workbook(
        hostile_files.sheet_xml([hostile_files.ASSET_HEADER], extra_rows='<row r="²"><c><v>1</v></c></row>')
    )
    with pytest.raises(spreadsheets.SpreadsheetError, match="too many rows"):
        list(spreadsheets.read_rows(content, "assets.xlsx"))
