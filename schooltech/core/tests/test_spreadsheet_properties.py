"""Properties of the spreadsheet writer and reader, for any text (Hypothesis)."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from schooltech.core import spreadsheets
from schooltech.core.tests.spreadsheet_checks import assert_csv_has_no_live_formula, assert_xlsx_has_no_live_formula

# Any text a person could type: no NUL (refused on reading) and no lone surrogates (not text at all).
typed_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
formula_like = st.builds(lambda start, rest: start + rest, st.sampled_from(spreadsheets.FORMULA_TRIGGERS), typed_text)
# Text someone typed with apostrophes before it, as a person quoting a formula by hand would.
apostrophes_first = st.builds(lambda n, rest: "'" * n + rest, st.integers(1, 3), st.one_of(formula_like, typed_text))
cell_text = st.one_of(typed_text, formula_like, apostrophes_first)
rows_of_text = st.lists(st.lists(cell_text, min_size=1, max_size=4), min_size=1, max_size=6)


def _table(rows) -> spreadsheets.Table:
    return spreadsheets.Table(name="Sheet", header=["A", "B", "C", "D"], rows=rows)


def _read_back(content: bytes, filename: str) -> list[list]:
    rows = list(spreadsheets.read_rows(content, filename))
    return [[cell if cell is not None else "" for cell in row.cells] for row in rows[1:]]


def _expected(rows) -> list[list[str]]:
    """What a reader gives back: rows with nothing in them are skipped, trailing empty cells dropped."""
    expected = []
    for row in rows:
        if any(cell != "" for cell in row):
            expected.append(row)
    return expected


def _trimmed(rows) -> list[list]:
    return [list(row[: max(i for i, cell in enumerate(row) if cell != "") + 1]) for row in rows]


@given(rows_of_text)
def test_any_text_survives_a_csv_export_and_import_unchanged(rows):
    content = spreadsheets.csv_bytes(_table(rows))
    assert_csv_has_no_live_formula(content)
    assert _trimmed(_read_back(content, "export.csv")) == _trimmed(_expected(rows))


@settings(max_examples=25)
@given(rows_of_text)
def test_any_text_survives_an_xlsx_export_and_import_unchanged(rows):
    assume(all("_x" not in cell for row in rows for cell in row))
    content = spreadsheets.xlsx_bytes(_table(rows))
    assert_xlsx_has_no_live_formula(content)
    assert _trimmed(_read_back(content, "export.xlsx")) == _trimmed(_expected(rows))


@given(st.binary(max_size=2_000), st.sampled_from(["upload.csv", "upload.xlsx"]))
def test_any_bytes_are_read_or_refused_with_a_message(content, filename):
    try:
        for row in spreadsheets.read_rows(content, filename):
            assert row.number >= 1
    except spreadsheets.SpreadsheetError as error:
        assert str(error).startswith(("The selected", "Row", "Line"))
