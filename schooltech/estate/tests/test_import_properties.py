"""Properties of the register import's row checks, for any cell values (Hypothesis): the check never
fails, every error names a row of the file and one of its columns, and every row it accepts is a
row the model accepts."""

import io

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schooltech.core import spreadsheets
from schooltech.estate import importers, registers

pytestmark = pytest.mark.django_db

NUMBER_WORDS = ["NaN", "nan", "-nan", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e-400", "-0", "0x10", "1_000"]
cell_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30),
    st.sampled_from(NUMBER_WORDS),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda date: date.strftime("%d/%m/%Y")),
)
xlsx_cell = st.one_of(
    cell_text, st.floats(allow_nan=False, allow_infinity=False), st.integers(-(2**53), 2**53), st.booleans()
)
# Fixtures are made once per test, not per example: the check under test writes nothing.
PROPERTY = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _rows(register: registers.Register, cell: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(st.lists(cell, min_size=len(register.columns), max_size=len(register.columns)), max_size=5)


def _assert_checked_as_promised(register: registers.Register, school, content: bytes, filename: str, count: int):
    checked = importers.check_file(register=register, establishment=school, content=content, filename=filename)
    headers = {column.header for column in register.columns} | {""}
    for error in checked.errors:
        assert 1 <= error["row"] <= count + 2 and error["column"] in headers and error["message"], error
    for row in checked.rows:
        item = register.model(establishment=school, **row["values"])
        item.full_clean(exclude=["establishment"], validate_unique=False, validate_constraints=False)


def _csv(register: registers.Register, rows: list[list[str]]) -> bytes:
    header = ",".join(f'"{column.header}"' for column in register.columns)
    body = "".join(",".join('"' + cell.replace('"', '""') + '"' for cell in row) + "\r\n" for row in rows)
    return (header + "\r\n" + body).encode()


def _xlsx(register: registers.Register, rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, [column.header for column in register.columns])
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            sheet.write_string(number, column, value) if isinstance(value, str) else sheet.write(number, column, value)
    workbook.close()
    return buffer.getvalue()


@pytest.mark.parametrize(
    "register", [registers.ASSETS, registers.CONNECTIONS, registers.CONTRACTS], ids=lambda register: register.slug
)
@PROPERTY
@given(data=st.data())
def test_any_csv_cells_are_accepted_as_valid_rows_or_named_as_errors(school, register, data):
    rows = data.draw(_rows(register, cell_text))
    _assert_checked_as_promised(register, school, _csv(register, rows), "register.csv", len(rows))


@settings(PROPERTY, max_examples=15)
@given(rows=_rows(registers.ASSETS, xlsx_cell))
def test_any_workbook_cells_are_accepted_as_valid_rows_or_named_as_errors(school, rows):
    _assert_checked_as_promised(registers.ASSETS, school, _xlsx(registers.ASSETS, rows), "register.xlsx", len(rows))


@PROPERTY
@given(cells=st.lists(cell_text, min_size=1, max_size=3))
def test_a_file_is_either_read_or_refused_with_a_message(school, cells):
    content = ("Category,Asset tag\r\n" + ",".join(cells) + "\r\n").encode("utf-8", "surrogatepass")
    try:
        importers.check_file(register=registers.ASSETS, establishment=school, content=content, filename="a.csv")
    except spreadsheets.SpreadsheetError as error:
        assert str(error)
