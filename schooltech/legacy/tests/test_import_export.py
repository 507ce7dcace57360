"""The register's import (preview, every problem by row and column, all or nothing, hostile files refused)
and its exports (the register as CSV and XLSX, the board summary as a page, CSV, XLSX and PDF)."""

import datetime
import html
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.core.tests.hostile_files import CORPUS, HostileFile
from schooltech.legacy import importers, services
from schooltech.legacy.models import LegacyService, Milestone
from schooltech.organisations.reference import DEPARTMENT
from tests.factories import LegacyServiceFactory, LegacySoftwareFactory, UserFactory, make_membership

pytestmark = pytest.mark.django_db

HEADER = "Name,Purpose,Directorate,Service owner,Value,Annual cost (£),Transactions a year,Colour"


def _person(role):
    user = UserFactory()
    make_membership(user, DEPARTMENT, role)
    return user


@pytest.fixture
def architect_client(client):
    client.force_login(_person(Role.ARCHITECT))
    return client


def _upload(client, name: str, content: bytes):
    return client.post(reverse("legacy:import_upload"), {"file": SimpleUploadedFile(name, content)})


def _csv(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_a_good_file_is_previewed_then_imported_all_at_once(architect_client):
    LegacyServiceFactory(name="Payments hub", owner="Old owner")
    content = _csv(
        'Teacher vacancies feed,Publishes vacancies,Schools,Head of service,High,"£85,000",1200000,blue',
        "payments hub,Pays grants,Education and Skills Funding,New owner,critical,,,",
    )
    preview = _upload(architect_client, "register.csv", content)
    page = html.unescape(preview.content.decode())
    assert preview.status_code == 200 and "Check what will be imported" in page
    assert "Colour" in page  # the ignored column is named
    assert LegacyService.objects.count() == 1  # nothing saved before the confirmation
    done = architect_client.post(reverse("legacy:import_confirm"), follow=True)
    assert "register.csv imported: 1 added and 1 updated" in html.unescape(done.content.decode())
    added = LegacyService.objects.get(name="Teacher vacancies feed")
    assert added.annual_cost == 85000 and added.transactions_per_year == 1_200_000 and added.value == 3
    updated = LegacyService.objects.get(name="Payments hub")
    assert updated.owner == "New owner" and updated.directorate == "funding" and updated.value == 4
    assert added.history.get().history_change_reason == "Service imported"
    assert architect_client.post(reverse("legacy:import_confirm")).status_code == 302  # nothing waiting now
    assert LegacyService.objects.count() == 2


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_saved(architect_client):
    content = _csv(
        "Good one,Does things,Schools,Ann,Low,,,",
        ",No name,Schools,Ann,Low,,,",
        "Bad directorate,x,Ministry of Magic,Ann,Low,,,",
        "Bad value,x,Schools,Ann,Enormous,NaN,-5,",
        "Good one,Twice,Schools,Ann,Low,1e400,1.5,",
        "Long," + "x" * 2001 + ",Schools,Ann,Low,12.345,,",
    )
    response = _upload(architect_client, "register.csv", content)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Fix the problems in register.csv" in page
    found = {(error.row, error.column) for error in importers.preview(content, "register.csv").errors}
    assert found == {
        (3, "Name"),
        (4, "Directorate"),
        (5, "Value"),
        (5, "Annual cost (£)"),
        (5, "Transactions a year"),
        (6, "Name"),
        (6, "Annual cost (£)"),
        (6, "Transactions a year"),
        (7, "Purpose"),
        (7, "Annual cost (£)"),
    }
    assert page.count('<tr class="govuk-table__row">') == len(found) + 1  # each problem listed
    assert "The same name is on row 2" in page
    assert architect_client.post(reverse("legacy:import_confirm")).status_code == 302
    assert not LegacyService.objects.exists()


def test_a_file_without_the_needed_columns_is_refused(architect_client):
    response = _upload(architect_client, "register.csv", b"Name,Colour\nA,blue\n")
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and "The file must have the columns Purpose, Directorate" in page


def test_the_exported_csv_imports_unchanged(architect_client):
    LegacyServiceFactory(name="=cmd|' /C calc'!A0", purpose="Formula-like name", annual_cost=1234.5)
    exported = architect_client.get(reverse("legacy:register_download", kwargs={"file_format": "csv"})).content
    assert exported.decode("utf-8-sig").splitlines()[1].startswith("'=cmd")  # neutralised
    response = _upload(architect_client, "register.csv", exported)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "Services updated" in page
    architect_client.post(reverse("legacy:import_confirm"))
    assert LegacyService.objects.get().name == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("hostile", CORPUS, ids=lambda hostile: hostile.name)
def test_every_hostile_file_is_refused_without_a_server_error(architect_client, hostile: HostileFile):
    response = _upload(architect_client, hostile.filename, hostile.build())
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page
    if hostile.refusal:  # refused as a whole, or (a readable file of asset columns) for lacking the service columns
        assert hostile.refusal in page or "The file must have the columns" in page
    assert not LegacyService.objects.exists()


def test_a_file_with_more_rows_than_the_limit_is_refused(architect_client):
    content = _csv(*[f"Service {n},x,Schools,Ann,Low,,," for n in range(importers.MAX_ROWS + 1)])
    response = _upload(architect_client, "register.csv", content)
    assert response.status_code == 400 and "1,000 rows or fewer" in html.unescape(response.content.decode())
    assert not LegacyService.objects.exists()


def test_a_risk_reviewer_may_not_import(client):
    client.force_login(_person(Role.RISK_REVIEWER))
    assert client.get(reverse("legacy:import_upload")).status_code == 403
    assert _upload(client, "register.csv", _csv("A,b,Schools,Ann,Low,,,")).status_code == 403
    assert client.post(reverse("legacy:import_confirm")).status_code == 403


# --- Exports --------------------------------------------------------------------------------------------


@pytest.fixture
def red_service():
    service = LegacyServiceFactory(name="Pensions calculator", value=1, is_example=True)
    LegacySoftwareFactory(service=service, name="Java", version="6", support_ends=datetime.date(2020, 1, 1))
    for criterion in ("L3", "L4", "L5", "L7"):
        services.criterion_score_set(actor=None, service=service, criterion=criterion, score=6, reason="Bad")
    services.criterion_score_set(actor=None, service=service, criterion="impact", score=5, reason="Critical")
    services.decision_record(
        actor=None,
        service=service,
        kind="replace",
        rationale="Too risky",
        approved_by="Director",
        decided_on=datetime.date(2026, 1, 1),
    )
    Milestone.objects.create(service=service, title="Switch off", owner="Ann", due_on=datetime.date(2020, 1, 1))
    return service


def test_the_register_downloads_as_csv_and_xlsx_with_its_components(architect_client, red_service):
    csv = architect_client.get(reverse("legacy:register_download", kwargs={"file_format": "csv"}))
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Pensions calculator" in text and "L1 Software out of support" in text and "Red" in text
    xlsx = architect_client.get(reverse("legacy:register_download", kwargs={"file_format": "xlsx"}))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Register", "Software", "Supplier contracts", "Vulnerabilities"]
    assert book["Software"]["B2"].value == "Java"
    assert architect_client.get("/department/legacy-technology/register.exe").status_code == 404


def test_the_board_summary_page_and_its_files(architect_client, red_service):
    page = architect_client.get(reverse("legacy:board_summary")).content.decode()
    assert "Board summary" in page and "Pensions calculator" in page and "Replace" in page and "Switch off" in page
    assert "example" in page
    csv = architect_client.get(reverse("legacy:board_summary_download", kwargs={"file_format": "csv"}))
    assert "Pensions calculator" in csv.content.decode("utf-8-sig")
    pdf = architect_client.get(reverse("legacy:board_summary_download", kwargs={"file_format": "pdf"}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_no_school_person_downloads_anything(client, editor, red_service):
    client.force_login(editor)
    for url in (
        reverse("legacy:register_download", kwargs={"file_format": "csv"}),
        reverse("legacy:board_summary"),
        reverse("legacy:board_summary_download", kwargs={"file_format": "pdf"}),
    ):
        assert client.get(url).status_code == 403
