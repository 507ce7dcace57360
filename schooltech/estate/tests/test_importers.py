import datetime
import io

import pytest
import xlsxwriter

from schooltech.estate import exporters, importers, registers, services
from schooltech.estate.models import Asset, ImportBatch
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

HEADER = "Category,Asset tag,Serial number,Make,Model,Purchase date,Purchase cost (£),Status,Wi-Fi standard\n"


def _batch(school, user, text: str, filename="assets.csv", register=registers.ASSETS) -> ImportBatch:
    return importers.import_batch_create(
        register=register, establishment=school, user=user, content=text.encode(), filename=filename
    )


def test_a_good_csv_previews_then_commits(school, editor):
    batch = _batch(school, editor, HEADER + "Laptop,HT-1,SN1,Dell,Latitude 3440,01/09/2024,£649.00,In use,Wi-Fi 6\n")
    assert batch.errors == [] and batch.created_count == 1
    assert not Asset.objects.exists()  # the preview writes nothing to the register
    services.import_batch_commit(batch=batch, user=editor)
    asset = Asset.objects.get()
    assert (asset.purchase_date, str(asset.purchase_cost), asset.wifi_standard) == (
        datetime.date(2024, 9, 1),
        "649.00",
        "wifi6",
    )
    assert asset.history.get().history_user == editor


def test_a_file_with_a_long_name_commits_and_its_history_names_the_file_shortened(school, editor):
    filename = "Hilltop Primary School asset register " + "exported from the old spreadsheet " * 6 + ".csv"
    batch = _batch(school, editor, HEADER + "Laptop,HT-1,SN1,Dell,Latitude,,,In use,\n", filename=filename)
    services.import_batch_commit(batch=batch, user=editor)
    reason = Asset.objects.get().history.get().history_change_reason
    assert reason.startswith("Imported from Hilltop Primary School asset register") and len(reason) <= 100


def test_every_row_error_is_listed_and_nothing_is_written(school, editor):
    text = HEADER + (
        "Laptop,HT-1,SN1,Dell,Latitude,01/09/2024,649,In use,\n"
        "Spaceship,HT-2,SN2,Dell,Latitude,31/02/2024,lots,In use,\n"
        "Tablet,,,Apple,iPad,,,Disposed,802.11q\n"
        "Laptop,HT-4,SN1,Dell,Latitude,,,,\n"
    )
    batch = _batch(school, editor, text)
    found = {(e["row"], e["column"]) for e in batch.errors}
    assert found == {
        (3, "Category"),
        (3, "Purchase date"),
        (3, "Purchase cost (£)"),
        (4, "Wi-Fi standard"),
        (4, "Disposal date"),
        (4, "Serial number"),
        (5, "Serial number"),
    }
    assert batch.rows == []
    with pytest.raises(services.EstateError):
        services.import_batch_commit(batch=batch, user=editor)
    assert not Asset.objects.exists()


def test_reimporting_the_same_file_updates_instead_of_duplicating(school, editor):
    text = HEADER + "Laptop,HT-1,SN1,Dell,Latitude,,,,\nLaptop,HT-2,,Dell,Latitude,,,,\n"
    services.import_batch_commit(batch=_batch(school, editor, text), user=editor)
    again = _batch(school, editor, text.replace("Latitude", "Latitude 5440"))
    assert (again.created_count, again.updated_count) == (0, 2)
    services.import_batch_commit(batch=again, user=editor)
    assert Asset.objects.count() == 2
    assert set(Asset.objects.values_list("model_name", flat=True)) == {"Latitude 5440"}


def test_serial_number_wins_over_asset_tag_when_matching(school, editor):
    by_serial = AssetFactory(establishment=school, serial_number="SN9", asset_tag="OLD")
    AssetFactory(establishment=school, serial_number="SN8", asset_tag="HT-9")
    batch = _batch(school, editor, HEADER + "Laptop,HT-9,SN9,Dell,X,,,,\n")
    assert batch.rows[0]["id"] == by_serial.pk


def test_a_batch_cannot_be_committed_twice(school, editor):
    batch = _batch(school, editor, HEADER + "Laptop,HT-1,SN1,Dell,X,,,,\n")
    services.import_batch_commit(batch=batch, user=editor)
    with pytest.raises(services.EstateError):
        services.import_batch_commit(batch=batch, user=editor)
    assert Asset.objects.count() == 1


def test_a_file_missing_a_required_column_is_refused(school, editor):
    batch = _batch(school, editor, "Asset tag,Make\nHT-1,Dell\n")
    assert batch.errors == [{"row": 1, "column": "Category", "message": "The file has no ‘Category’ column"}]


def test_a_file_of_the_wrong_type_is_refused(school, editor):
    with pytest.raises(importers.ImportFileError):
        _batch(school, editor, "hello", filename="assets.pdf")


def _xlsx(rows: list[list]) -> bytes:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(number, column, datetime.datetime.combine(value, datetime.time()))
            else:
                sheet.write(number, column, value)
    workbook.close()
    return output.getvalue()


def test_xlsx_files_import_with_real_dates(school, editor):
    content = _xlsx([["Category", "Serial number", "Warranty end"], ["Desktop", "SN1", datetime.date(2027, 8, 31)]])
    batch = importers.import_batch_create(
        register=registers.ASSETS, establishment=school, user=editor, content=content, filename="a.xlsx"
    )
    services.import_batch_commit(batch=batch, user=editor)
    assert Asset.objects.get().warranty_end == datetime.date(2027, 8, 31)


def test_an_intune_export_is_recognised_and_mapped(school, editor):
    text = (
        "Device name,Managed by,Ownership,Compliance,OS,OS version,Last check-in,Primary user UPN,"
        "Serial number,Manufacturer,Model\n"
        "HT-LAP-01,Intune,Corporate,Compliant,Windows,10.0.19045.5011,2026-03-01 09:00,"
        "teacher@school.example,5CG1234XYZ,HP,ProBook 450 G8\n"
        "HT-IPAD-01,Intune,Corporate,Compliant,iOS/iPadOS,17.5,2026-03-01 09:00,,"
        "DMPX12345,Apple,iPad (9th generation)\n"
    )
    batch = _batch(school, editor, text, filename="DevicesWithInventory.csv")
    assert batch.source_format == "Microsoft Intune"
    assert batch.errors == []
    services.import_batch_commit(batch=batch, user=editor)
    laptop = Asset.objects.get(serial_number="5CG1234XYZ")
    assert (laptop.category, laptop.make, laptop.os_version) == ("laptop", "HP", "10.0.19045.5011")
    assert Asset.objects.get(serial_number="DMPX12345").category == "tablet"


def test_a_google_admin_chrome_export_records_the_aue_date(school, editor):
    text = (
        "Serial Number,Status,Asset ID,Enrollment Date,Last Sync,User,Location,Notes,Model,OS Version,"
        "Auto Update Expiration\n"
        "NXHQ1234,ACTIVE,CB-001,2023-09-01,2026-03-01,,Year 5,,Acer Chromebook 511,126.0.6478,Jun 2031\n"
    )
    batch = _batch(school, editor, text)
    assert batch.source_format == "Google Admin (Chrome devices)"
    services.import_batch_commit(batch=batch, user=editor)
    chromebook = Asset.objects.get()
    assert (chromebook.category, chromebook.asset_tag, chromebook.support_end) == (
        "chromebook",
        "CB-001",
        datetime.date(2031, 6, 1),
    )


def test_a_jamf_export_maps_purchasing_fields(school, editor):
    text = (
        "Computer Name,Serial Number,Model,Operating System Version,Asset Tag,Building,Username,PO Date,"
        "Warranty Expiration,Purchase Price\n"
        "Art-iMac,C02XYZ,iMac 24-inch,14.5,ART-7,Art block,,2023-07-01,2026-07-01,1299\n"
    )
    batch = _batch(school, editor, text)
    assert batch.source_format == "Jamf Pro"
    services.import_batch_commit(batch=batch, user=editor)
    imac = Asset.objects.get()
    assert (imac.category, imac.location, imac.purchase_date) == ("desktop", "Art block", datetime.date(2023, 7, 1))


def test_an_export_imports_again_unchanged(school, editor):
    AssetFactory(establishment=school, wifi_standard="wifi6", centrally_managed=True, purchase_cost="499.99")
    rows = exporters.rows_for(registers.ASSETS, Asset.objects.all())
    content = exporters.to_xlsx(registers.ASSETS, rows)
    batch = importers.import_batch_create(
        register=registers.ASSETS, establishment=school, user=editor, content=content, filename="export.xlsx"
    )
    assert batch.errors == [] and batch.updated_count == 1
    csv_content = exporters.to_csv(registers.ASSETS, exporters.rows_for(registers.ASSETS, Asset.objects.all()))
    batch = importers.import_batch_create(
        register=registers.ASSETS, establishment=school, user=editor, content=csv_content, filename="export.csv"
    )
    assert batch.errors == [] and batch.updated_count == 1


def test_every_register_imports_its_own_template(school, editor):
    for register in registers.REGISTERS.values():
        content = exporters.to_csv(register, [])
        batch = importers.import_batch_create(
            register=register, establishment=school, user=editor, content=content, filename="t.csv"
        )
        assert batch.errors[0]["message"] == "The file has no rows to import"


def test_preview_and_commit_pages_work_without_javascript(editor_client, school):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("assets.csv", (HEADER + "Laptop,HT-1,SN1,Dell,X,,,,\n").encode(), "text/csv")
    response = editor_client.post(f"/schools/{school.urn}/estate/assets/import", {"file": upload})
    assert response.status_code == 302
    preview = editor_client.get(response["Location"])
    assert "Check what will be imported" in preview.content.decode()
    assert not Asset.objects.exists()
    done = editor_client.post(response["Location"])
    assert done.status_code == 302
    assert Asset.objects.filter(establishment=school).count() == 1


def test_someone_else_cannot_commit_your_preview(client, school, editor, viewer):
    from schooltech.accounts.models import Role
    from tests.factories import UserFactory, make_membership

    batch = _batch(school, editor, HEADER + "Laptop,HT-1,SN1,Dell,X,,,,\n")
    colleague = UserFactory()
    make_membership(colleague, school, Role.EDITOR)
    client.force_login(colleague)
    response = client.post(f"/schools/{school.urn}/estate/assets/import/{batch.pk}")
    assert response.status_code == 404
    assert not Asset.objects.exists()


def test_a_preview_with_errors_lists_them_on_the_page(editor_client, editor, school):
    batch = _batch(school, editor, HEADER + "Spaceship,HT-1,SN1,Dell,X,,,,\n")
    body = editor_client.get(f"/schools/{school.urn}/estate/assets/import/{batch.pk}").content.decode()
    assert "<title>Error: " in body and "Spaceship" not in body and "Enter one of:" in body
    editor_client.post(f"/schools/{school.urn}/estate/assets/import/{batch.pk}")
    assert not Asset.objects.exists()


def test_reimporting_an_unchanged_file_writes_no_history(school, editor):
    text = HEADER + "Laptop,HT-1,SN1,Dell,Latitude,01/09/2024,649.00,In use,Wi-Fi 6\n"
    services.import_batch_commit(batch=_batch(school, editor, text), user=editor)
    again = services.import_batch_commit(batch=_batch(school, editor, text), user=editor)
    assert again.updated_count == 0
    assert Asset.history.count() == 1
