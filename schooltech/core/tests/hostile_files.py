"""A corpus of hostile and damaged spreadsheet files, built in code so each one's trick is readable.

Each HostileFile names the file as it is uploaded, its bytes, and what must happen: refused with a
message containing `refusal`, or read with `row_errors` (row, column) listed and nothing saved.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.utils.cell import get_column_letter

from schooltech.core.spreadsheets import MAX_SHARED_STRINGS

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

ASSET_HEADER = ["Category", "Asset tag", "Serial number", "Purchase cost (£)"]
CONNECTION_HEADER = "Provider,Technology,Contracted download (Mbps)"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\0" * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@dataclass(frozen=True)
class HostileFile:
    name: str  # what the test is called
    filename: str
    build: Callable[[], bytes]  # built when a test asks, so the corpus costs nothing to list
    register: str = "assets"
    refusal: str = ""  # part of the message when the file as a whole is refused
    row_errors: frozenset[tuple[int, str]] = frozenset()  # (row, column) when the file is read


def _cell(reference: str, value) -> str:
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: list[list], *, dimension: str = "", extra_rows: str = "") -> str:
    body = "".join(
        f'<row r="{number}">'
        + "".join(_cell(f"{get_column_letter(column + 1)}{number}", value) for column, value in enumerate(row))
        + "</row>"
        for number, row in enumerate(rows, start=1)
    )
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN_NS}">'
        f"{dimension_xml}<sheetData>{body}{extra_rows}</sheetData></worksheet>"
    )


def workbook(sheet: str, *, shared_strings: str = "", parts: dict[str, bytes] | None = None, macro=False) -> bytes:
    """A minimal valid XLSX around one sheet's XML, with optional shared strings and extra parts."""
    strings_type = (
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>' if shared_strings else ""
    )
    strings_rel = (
        f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>' if shared_strings else ""
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{MACRO_WORKBOOK_TYPE if macro else WORKBOOK_TYPE}"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>{strings_type}</Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            '<sheets><sheet name="Assets" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>{strings_rel}'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared_strings:
        files["xl/sharedStrings.xml"] = shared_strings
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode() if isinstance(text, str) else text)
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _asset_rows(*rows: list) -> list[list]:
    return [ASSET_HEADER, *rows]


def _with_declared_size(content: bytes, part_name: str, size: int) -> bytes:
    """Change the unzipped size the zip's directory declares for one part (the data stays as it was)."""
    size_at = _directory_entry(content, part_name) + 24
    return content[:size_at] + size.to_bytes(4, "little") + content[size_at + 4 :]


def _shared_strings_bomb() -> bytes:
    strings = "".join(f"<si><t>{number}</t></si>" for number in range(MAX_SHARED_STRINGS + 1))
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">{strings}</sst>'
    sheet = sheet_xml([["Category"]])
    return workbook(sheet, shared_strings=sst)


def _entity_bomb() -> bytes:
    entities = '<!ENTITY a0 "boom">' + "".join(f'<!ENTITY a{n} "&a{n - 1};&a{n - 1};">' for n in range(1, 30))
    sst = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{MAIN_NS}"><si><t>&a29;</t></si></sst>'
    return workbook(sheet_xml([["Category"]]), shared_strings=sst)


def _zip_bomb() -> bytes:
    """A part that is a thousand times bigger unzipped (24 MB of nothing in about 24 KB)."""
    return workbook(sheet_xml(_asset_rows()), parts={"xl/media/image1.png": b"\0" * (24 * 1024 * 1024)})


def _declared_zip_bomb() -> bytes:
    """A sheet whose zip entry declares 4 GB unzipped: refused before a byte is unzipped."""
    return _with_declared_size(workbook(sheet_xml(_asset_rows())), "xl/worksheets/sheet1.xml", 2**32 - 1)


def _too_many_parts() -> bytes:
    """A zip directory over 1 MB: zipfile would hold every entry of it in memory (here 5,000 long names)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for number in range(5_000):
            archive.writestr(f"{number:0250d}", b"")
    return buffer.getvalue()


def _lying_zip() -> bytes:
    """A sheet whose zip entry declares 100 bytes unzipped but inflates to 8 MB."""
    padded = sheet_xml(_asset_rows(), extra_rows=" " * (8 * 1024 * 1024))
    return _with_declared_size(workbook(padded), "xl/worksheets/sheet1.xml", 100)


def _directory_entry(content: bytes, part_name: str) -> int:
    """Where the zip's central directory describes this part."""
    entry = content.find(b"PK\x01\x02")
    while entry >= 0:
        name_length = int.from_bytes(content[entry + 28 : entry + 30], "little")
        if content[entry + 46 : entry + 46 + name_length] == part_name.encode():
            return entry
        entry = content.find(b"PK\x01\x02", entry + 4)
    raise ValueError(f"No part {part_name}")


def _encrypted_part() -> bytes:
    """The sheet's entry is marked encrypted (flag bit 0), so unzipping it needs a password."""
    content = bytearray(workbook(sheet_xml(_asset_rows(["Laptop", "T1", "SN1", 10]))))
    entry = _directory_entry(bytes(content), "xl/worksheets/sheet1.xml")
    local = int.from_bytes(content[entry + 42 : entry + 46], "little")
    content[entry + 8] |= 1  # the flags in the central directory
    content[local + 6] |= 1  # and in the part's own header
    return bytes(content)


def _corrupt_deflate() -> bytes:
    """The sheet's compressed bytes are scrambled: inflating them fails or gives a bad checksum."""
    content = workbook(sheet_xml(_asset_rows(*[["Laptop", f"T{n}", f"SN{n}", n] for n in range(200)])))
    entry = _directory_entry(content, "xl/worksheets/sheet1.xml")
    local = int.from_bytes(content[entry + 42 : entry + 46], "little")
    name_length, extra_length = (int.from_bytes(content[local + at : local + at + 2], "little") for at in (26, 28))
    data = local + 30 + name_length + extra_length
    return content[: data + 20] + bytes(range(256))[:200] + content[data + 220 :]


def _wide_row() -> bytes:
    cells = "".join(f'<c r="{column}"><v>1</v></c>' for column in ("A",) * 30_000)
    return workbook(sheet_xml(_asset_rows(), extra_rows=f'<row r="2">{cells}</row>'))


def _nul_in_cell() -> bytes:
    return workbook(sheet_xml(_asset_rows(["Laptop", "NUL_x0000_TAG", "SN-1", 10])))


def _row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def _number(reference: str, text: str) -> str:
    """A number cell holding exactly this text, as a hand-made file can."""
    return f'<c r="{reference}"><v>{text}</v></c>'


def _formula_cells() -> bytes:
    formula = '<c r="B2" t="str"><f>HYPERLINK("http://evil.example","x")</f><v>=HYPERLINK("http://evil")</v></c>'
    return workbook(sheet_xml(_asset_rows(), extra_rows=_row(2, _cell("A2", "Laptop"), formula)))


def _non_finite_numbers() -> bytes:
    rows = _row(2, _cell("A2", "Laptop"), _cell("B2", "T1"), _number("D2", "1e400"))
    rows += _row(3, _cell("A3", "Laptop"), _cell("B3", "T2"), _cell("D3", "NaN"))
    return workbook(sheet_xml(_asset_rows(), extra_rows=rows))


def _nan_number_cell() -> bytes:
    return workbook(sheet_xml(_asset_rows(), extra_rows=_row(2, _number("D2", "NaN"))))


def _shared_strings_workbook(strings: list[str], cells: str, *, count: int | None = None) -> bytes:
    """Row 2 made of shared-string cells; `count` is what the string table claims to hold."""
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    claimed = f' count="{count}" uniqueCount="{count}"' if count is not None else ""
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}"{claimed}>{items}</sst>'
    return workbook(sheet_xml(_asset_rows(), extra_rows=_row(2, cells)), shared_strings=sst)


def _shared(reference: str, index: str) -> str:
    return f'<c r="{reference}" t="s"><v>{index}</v></c>'


def _lying_shared_string_counts() -> bytes:
    """The string table claims four billion strings and holds two: nothing is sized from the claim."""
    return _shared_strings_workbook(["Laptop", "T1"], _shared("A2", "0") + _shared("B2", "1"), count=2**32 - 1)


def _nul_in_shared_string() -> bytes:
    cells = _shared("A2", "0") + _shared("B2", "1") + _cell("C2", "SN1")
    return _shared_strings_workbook(["Laptop", "T_x0000_1"], cells)


def _shared_string_out_of_range() -> bytes:
    return _shared_strings_workbook(["Laptop"], _shared("A2", "0") + _shared("B2", "999999"))


def _macro_workbook() -> bytes:
    return workbook(sheet_xml(_asset_rows()), parts={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, macro=True)


def _formula_csv() -> bytes:
    """Text that a spreadsheet program would run as formulas if it were written back out unquoted."""
    header = ",".join(ASSET_HEADER)
    return f'{header}\nLaptop,"=HYPERLINK(""http://evil.example"",""x"")",+cmd|\' /C calc\'!A0,10\n'.encode()


def _good_xlsx() -> bytes:
    return workbook(sheet_xml(_asset_rows(["Laptop", "T1", "SN1", 10])))


LONG_TEXT = "x" * 200_000
SPEED = "Contracted download (Mbps)"
COST = "Purchase cost (£)"

CORPUS = (
    # CSV that is not CSV
    HostileFile("png-named-csv", "photo.csv", lambda: PNG + b"\0" * 100, refusal="is a PNG picture, not a CSV"),
    HostileFile("jpeg-named-csv", "photo.csv", lambda: JPEG, refusal="is a JPEG picture, not a CSV"),
    HostileFile("gif-named-csv", "photo.csv", lambda: GIF, refusal="is a GIF picture, not a CSV"),
    HostileFile("pdf-named-csv", "report.csv", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", refusal="is a PDF document"),
    HostileFile("xlsx-named-csv", "assets.csv", _good_xlsx, refusal="is a zip archive or an Excel workbook"),
    HostileFile(
        "macro-workbook-named-csv", "assets.csv", _macro_workbook, refusal="is a zip archive or an Excel workbook"
    ),
    HostileFile("nul-bytes-csv", "assets.csv", lambda: b"Category,Asset tag\nLaptop,T\x001\n", refusal="NUL bytes"),
    HostileFile("utf-16-csv", "assets.csv", lambda: "Category,Asset tag\n".encode("utf-16"), refusal="UTF-16 text"),
    HostileFile(  # no byte-order mark to recognise it by: its NUL bytes give it away
        "utf-16-without-bom-csv", "assets.csv", lambda: "Category,Asset tag\n".encode("utf-16-le"), refusal="NUL bytes"
    ),
    HostileFile(
        "wrong-encoding-csv",
        "assets.csv",
        lambda: b"Category,Asset tag\nLaptop," + "テスト".encode("shift_jis") + b"\x81\x8d\n",
        refusal="not UTF-8 or Windows-1252 text",
    ),
    HostileFile("empty-csv", "assets.csv", lambda: b"\n\n  \n", refusal="is empty"),
    HostileFile("huge-line-csv", "assets.csv", lambda: b"Category," + b"x" * (3 * 1024 * 1024), refusal="longer than"),
    HostileFile(
        "blank-lines-then-a-row-csv",
        "assets.csv",
        lambda: b"Category,Asset tag\n" + b"\n" * 70_000 + b"Laptop,T1\n",
        refusal="rows or fewer",
    ),
    HostileFile(
        "too-many-rows-csv",
        "assets.csv",
        lambda: b"Category,Asset tag\n" + b"".join(b"Laptop,T%d\n" % n for n in range(50_001)),
        refusal="must have 50,000 rows or fewer",
    ),
    HostileFile(
        "too-many-columns-csv", "assets.csv", lambda: b"Category,Asset tag\n" + b"x," * 300 + b"x\n", refusal="columns"
    ),
    # CSV cells that are not values
    HostileFile(
        "non-finite-speeds-csv",
        "connections.csv",
        lambda: (CONNECTION_HEADER + "\nA,FTTP,NaN\nB,FTTP,inf\nC,FTTP,-inf\nD,FTTP,1e400\nE,FTTP,-0.5\n").encode(),
        register="connections",
        row_errors=frozenset((row, SPEED) for row in range(2, 7)),
    ),
    HostileFile(
        "non-finite-costs-csv",
        "assets.csv",
        lambda: ",".join(ASSET_HEADER).encode() + b"\nLaptop,T1,S1,NaN\nLaptop,T2,S2,Infinity\nLaptop,T3,S3,sNaN\n",
        row_errors=frozenset((row, COST) for row in (2, 3, 4)),
    ),
    HostileFile(
        "long-cell-csv",
        "assets.csv",
        lambda: f"{','.join(ASSET_HEADER)}\nLaptop,{LONG_TEXT},S1,10\n".encode(),
        row_errors=frozenset({(2, "Asset tag")}),
    ),
    HostileFile(
        "long-cell-in-an-unused-column-csv",
        "assets.csv",
        lambda: f"Category,Asset tag,Notes\nLaptop,T1,{LONG_TEXT}\n".encode(),
        row_errors=frozenset({(2, "Notes")}),
    ),
    HostileFile("formula-cells-csv", "assets.csv", _formula_csv),  # read as text, never run (see its test)
    HostileFile(  # Windows-1252, as Excel's plain "CSV" saves it: read as such
        "windows-1252-csv", "assets.csv", lambda: ",".join(ASSET_HEADER).encode("cp1252") + b"\nLaptop,Caf\xe9,S1,10\n"
    ),
    # Workbooks that are not workbooks
    HostileFile("png-named-xlsx", "photo.xlsx", lambda: PNG, refusal="is a PNG picture, not an XLSX workbook"),
    HostileFile("jpeg-named-xlsx", "photo.xlsx", lambda: JPEG, refusal="is a JPEG picture, not an XLSX workbook"),
    HostileFile("gif-named-xlsx", "photo.xlsx", lambda: GIF, refusal="is a GIF picture, not an XLSX workbook"),
    HostileFile("csv-named-xlsx", "assets.xlsx", lambda: b"Category\nLaptop\n", refusal="is not an XLSX workbook"),
    HostileFile(
        "old-xls-named-xlsx",
        "assets.xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        refusal="old Excel (.xls) or password-protected",
    ),
    HostileFile("cut-off-xlsx", "assets.xlsx", lambda: _good_xlsx()[:200], refusal="could not be opened"),
    HostileFile(
        "macro-workbook-named-xlsx",
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows()), parts={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, macro=True),
        refusal="macro-enabled workbook",
    ),
    HostileFile(
        "macro-content-type-only-xlsx",
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows()), macro=True),
        refusal="macro-enabled workbook",
    ),
    # Workbooks built to exhaust memory or time
    HostileFile(
        "huge-declared-dimension-xlsx",
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows(["Laptop", "T1", "SN1", 10]), dimension="A1:XFD1048576")),
    ),
    HostileFile(
        "row-at-the-bottom-of-the-sheet-xlsx",
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows(), extra_rows='<row r="1048576"><c r="A1048576"><v>1</v></c></row>')),
        refusal="rows or fewer",
    ),
    HostileFile(
        "row-beyond-excel-xlsx",
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows(), extra_rows='<row r="99999999999"><c><v>1</v></c></row>')),
        refusal="too many rows",
    ),
    HostileFile(  # "²" passes str.isdigit() but not int()
        "row-number-in-another-script-xlsx",
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows(), extra_rows='<row r="²"><c><v>1</v></c></row>')),
        refusal="too many rows",
    ),
    HostileFile(
        "many-repeated-rows-xlsx",
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows(), extra_rows='<row r="1"/>' * 100_000)),
        refusal="too many rows",
    ),
    HostileFile("wide-row-xlsx", "assets.xlsx", _wide_row, refusal="too many cells"),
    HostileFile(
        "cell-far-beyond-the-last-column-xlsx",  # openpyxl would build a row 321 million cells wide
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows(), extra_rows=_row(2, _number("ZZZZZZZ2", "1")))),
        refusal="beyond Excel's last column",
    ),
    HostileFile("shared-strings-bomb-xlsx", "assets.xlsx", _shared_strings_bomb, refusal="pieces of text"),
    HostileFile("shared-string-counts-that-lie-xlsx", "assets.xlsx", _lying_shared_string_counts),
    HostileFile(
        "shared-string-out-of-range-xlsx", "assets.xlsx", _shared_string_out_of_range, refusal="Row 2 of the workbook"
    ),
    HostileFile("entity-bomb-xlsx", "assets.xlsx", _entity_bomb, refusal="declares XML entities"),
    HostileFile("zip-bomb-xlsx", "assets.xlsx", _zip_bomb, refusal="too big when unzipped"),
    HostileFile("declared-zip-bomb-xlsx", "assets.xlsx", _declared_zip_bomb, refusal="too big when unzipped"),
    HostileFile("lying-zip-sizes-xlsx", "assets.xlsx", _lying_zip, refusal="could not be opened"),
    HostileFile("too-many-parts-xlsx", "assets.xlsx", _too_many_parts, refusal="too many parts"),
    HostileFile("encrypted-part-xlsx", "assets.xlsx", _encrypted_part, refusal="could not be opened"),
    HostileFile("scrambled-compressed-data-xlsx", "assets.xlsx", _corrupt_deflate, refusal="could not be opened"),
    HostileFile("nan-number-cell-xlsx", "assets.xlsx", _nan_number_cell, refusal="Row 2 of the workbook"),
    # Workbook cells that are not values
    HostileFile(
        "non-finite-numbers-xlsx",
        "assets.xlsx",
        _non_finite_numbers,
        row_errors=frozenset({(2, COST), (3, COST)}),
    ),
    HostileFile(
        "long-cell-xlsx",
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows(["Laptop", LONG_TEXT, "SN1", 10]))),
        row_errors=frozenset({(2, "Asset tag")}),
    ),
    HostileFile("nul-in-a-cell-xlsx", "assets.xlsx", _nul_in_cell, row_errors=frozenset({(2, "Asset tag")})),
    HostileFile(
        "nul-in-a-shared-string-xlsx", "assets.xlsx", _nul_in_shared_string, row_errors=frozenset({(2, "Asset tag")})
    ),
    HostileFile(  # a workbook with a picture in it is still a workbook: the picture is never opened
        "picture-inside-a-workbook-xlsx",
        "assets.xlsx",
        lambda: workbook(sheet_xml(_asset_rows(["Laptop", "T1", "SN1", 10])), parts={"xl/media/image1.png": PNG}),
    ),
    HostileFile("formula-cells-xlsx", "assets.xlsx", _formula_cells),
)
