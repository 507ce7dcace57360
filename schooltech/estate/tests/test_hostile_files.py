"""Every file of the hostile corpus, uploaded through the real import page: no server error, a clear
message (the file refused, or each bad cell named by row and column), and nothing saved."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schooltech.core.tests.hostile_files import CORPUS, HostileFile
from schooltech.core.tests.spreadsheet_checks import assert_csv_has_no_live_formula
from schooltech.estate import registers
from schooltech.estate.models import Asset, ImportBatch

pytestmark = pytest.mark.django_db


def _upload(client, school, hostile: HostileFile):
    url = f"/schools/{school.urn}/estate/{hostile.register}/import"
    upload = SimpleUploadedFile(hostile.filename, hostile.build(), content_type="application/octet-stream")
    return client.post(url, {"file": upload}, follow=True)


def _saved_rows(school) -> int:
    return sum(register.model.objects.filter(establishment=school).count() for register in registers.REGISTERS.values())


@pytest.mark.parametrize("hostile", [f for f in CORPUS if f.refusal], ids=lambda hostile: hostile.name)
def test_a_hostile_file_is_refused_with_a_clear_message(editor_client, school, hostile):
    response = _upload(editor_client, school, hostile)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page and hostile.refusal in page
    assert not ImportBatch.objects.exists() and _saved_rows(school) == 0


@pytest.mark.parametrize("hostile", [f for f in CORPUS if f.row_errors], ids=lambda hostile: hostile.name)
def test_bad_cells_in_a_hostile_file_are_listed_by_row_and_column(editor_client, school, hostile):
    response = _upload(editor_client, school, hostile)
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert {(error["row"], error["column"]) for error in batch.errors} == hostile.row_errors
    assert batch.rows == []
    assert editor_client.post(response.redirect_chain[-1][0]).status_code == 200  # committing is refused
    assert _saved_rows(school) == 0


@pytest.mark.parametrize(
    "hostile", [f for f in CORPUS if not f.refusal and not f.row_errors], ids=lambda hostile: hostile.name
)
def test_a_strange_but_harmless_file_previews_and_saves_nothing_until_committed(editor_client, school, hostile):
    response = _upload(editor_client, school, hostile)
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert batch.errors == [] and batch.created_count == 1
    assert _saved_rows(school) == 0


def test_formulas_in_an_uploaded_file_are_saved_as_text_and_exported_quoted(editor_client, school):
    hostile = next(hostile for hostile in CORPUS if hostile.name == "formula-cells-csv")
    response = _upload(editor_client, school, hostile)
    assert editor_client.post(response.redirect_chain[-1][0]).status_code == 302  # committed
    asset = Asset.objects.get(establishment=school)
    assert asset.asset_tag == '=HYPERLINK("http://evil.example","x")'
    assert asset.serial_number == "+cmd|' /C calc'!A0"
    header, row = assert_csv_has_no_live_formula(
        editor_client.get(f"/schools/{school.urn}/estate/assets/export.csv").content
    )
    assert row[header.index("Asset tag")] == "'" + asset.asset_tag
