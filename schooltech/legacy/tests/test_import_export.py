"""The register's import (preview, every problem by row and column, all or nothing, hostile files refused)
and its exports (the register as CSV and XLSX, the board summary as a page, CSV, XLSX and PDF)."""

import datetime
import html
import io
import zipfile

import markupsafe
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schooltech.accounts.models import Role
from schooltech.core.spreadsheets import CONTENT_TYPES
from schooltech.core.tests.hostile_files import CORPUS, HostileFile
from schooltech.core.tests.spreadsheet_checks import (
    TYPED_FORMULAS,
    assert_csv_has_no_live_formula,
    assert_xlsx_has_no_live_formula,
    xlsx_texts,
)
from schooltech.legacy import importers, services
from schooltech.legacy.models import LegacyService, Milestone, Software, SupplierContract, Vulnerability
from tests.factories import (
    LegacyContractFactory,
    LegacyServiceFactory,
    LegacySoftwareFactory,
    make_member,
)

pytestmark = pytest.mark.django_db

HEADER = "Name,Purpose,Directorate,Service owner,Value,Annual cost (£),Transactions a year,Colour"


@pytest.fixture
def architect_client(client):
    client.force_login(make_member(Role.ARCHITECT))
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
    client.force_login(make_member(Role.RISK_REVIEWER))
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


def test_the_board_summary_downloads_as_xlsx_with_the_same_services_and_no_live_formula(architect_client, red_service):
    typed = LegacyServiceFactory(name=TYPED_FORMULAS[0], value=2)  # a formula-like name, amber
    for criterion in ("L3", "L4", "L5", "L7"):
        services.criterion_score_set(actor=None, service=typed, criterion=criterion, score=5, reason="Ageing")
    services.criterion_score_set(actor=None, service=typed, criterion="impact", score=3, reason="Noticeable")
    Milestone.objects.create(
        service=typed, title=TYPED_FORMULAS[1], owner="Ann", due_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    LegacyServiceFactory(name="Never scored system")  # not red or amber: on neither the page nor the files
    page = architect_client.get(reverse("legacy:board_summary")).content.decode()
    csv = architect_client.get(reverse("legacy:board_summary_download", kwargs={"file_format": "csv"}))
    csv_names = [row[0].removeprefix("'") for row in assert_csv_has_no_live_formula(csv.content)[1:]]
    assert csv_names == ["Pensions calculator", TYPED_FORMULAS[0]]  # worst first
    assert all(str(markupsafe.escape(name)) in page for name in csv_names) and "Never scored system" not in page

    xlsx = architect_client.get(reverse("legacy:board_summary_download", kwargs={"file_format": "xlsx"}))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == CONTENT_TYPES["xlsx"]
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    cells = assert_xlsx_has_no_live_formula(xlsx.content)
    assert {TYPED_FORMULAS[0], TYPED_FORMULAS[1]} <= xlsx_texts(cells)  # kept as text, quote-prefixed
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(book.worksheets) == 1 and book.worksheets[0].title.startswith("Board summary")
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Service" and [row[0] for row in rows[1:]] == csv_names
    assert rows[1][4:7] == ("Red", "Yes", "Replace")
    assert rows[2][4:7] == ("Amber", "No", "No decision yet") and rows[2][8] == TYPED_FORMULAS[1]


def test_no_school_person_downloads_anything(client, editor, red_service):
    client.force_login(editor)
    for url in (
        reverse("legacy:register_download", kwargs={"file_format": "csv"}),
        reverse("legacy:board_summary"),
        reverse("legacy:board_summary_download", kwargs={"file_format": "pdf"}),
    ):
        assert client.get(url).status_code == 403


# --- XLSX with software, contracts and vulnerabilities ----------------------------------------------------

SERVICE_HEADER = ["Name", "Purpose", "Directorate", "Service owner", "Value"]
SOFTWARE_HEADER = ["Service", "Software", "Version", "Support ends"]
CONTRACT_HEADER = ["Service", "Supplier", "What it is for", "Contract ends", "Notice must be given by"]
VULNERABILITY_HEADER = ["Service", "Software", "Reference", "Severity", "Fixed on"]


def _xlsx(services: list[list], **sheets: list[list]) -> bytes:
    """A workbook: the services (with SERVICE_HEADER) first, then each named sheet's rows as given."""
    book = openpyxl.Workbook()
    book.active.title = "Register"
    for row in [SERVICE_HEADER, *services]:
        book.active.append(row)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title.replace("_", " "))
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_number(content: bytes, part: str, reference: str, number: str) -> bytes:
    """The workbook with the cell `reference` of `part` holding `number` as written: openpyxl writes a
    NaN as an empty number cell, which this fills."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part:
                empty = f'<c r="{reference}" t="n"><v /></c>'.encode()
                assert empty in data
                data = data.replace(empty, f'<c r="{reference}" t="n"><v>{number}</v></c>'.encode())
            target.writestr(item, data)
    return out.getvalue()


def _export(client) -> bytes:
    return client.get(reverse("legacy:register_download", kwargs={"file_format": "xlsx"})).content


def _components():
    return (
        sorted((s.service.name, s.name, s.version, s.support_ends) for s in Software.objects.all()),
        sorted(
            (c.service.name, c.supplier, c.description, c.ends_on, c.notice_by) for c in SupplierContract.objects.all()
        ),
        sorted((str(v.software), v.reference, v.severity, v.fixed_on) for v in Vulnerability.objects.all()),
    )


@pytest.fixture
def furnished_service():
    service = LegacyServiceFactory(name="Payments hub")
    java = LegacySoftwareFactory(service=service, name="Java", version="8", support_ends=datetime.date(2030, 3, 31))
    LegacySoftwareFactory(service=service, name='=HYPERLINK("x")', version="", support_ends=None)
    LegacyContractFactory(
        service=service,
        supplier="Acme Ltd",
        description="Hosting",
        ends_on=datetime.date(2028, 1, 31),
        notice_by=datetime.date(2027, 7, 31),
    )
    Vulnerability.objects.create(
        software=java, reference="CVE-2021-44228", severity="critical", fixed_on=datetime.date(2022, 1, 5)
    )
    return service


def test_the_exported_xlsx_imports_unchanged_with_its_components(architect_client, furnished_service):
    before = _components()
    exported = _export(architect_client)
    response = _upload(architect_client, "register.xlsx", exported)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200, page
    result = importers.preview(exported, "register.xlsx")
    assert {s["kind"]: (s["added"], s["updated"]) for s in result.component_summary()} == {
        "software": (0, 2),
        "contracts": (0, 1),
        "vulnerabilities": (0, 1),
    }
    assert "0 added, 2 updated" in page and "left alone" in page
    done = architect_client.post(reverse("legacy:import_confirm"), follow=True)
    assert "software: 0 added and 2 updated" in html.unescape(done.content.decode())
    assert _components() == before  # nothing duplicated, every value the same, the formula-like name too
    assert Software.objects.filter(name='=HYPERLINK("x")').exists()
    java = Software.objects.get(name="Java")
    assert java.history.first().history_change_reason == "Software updated by import"
    assert java.history.first().history_user is not None


def test_an_exported_xlsx_changed_updates_adds_and_leaves_the_rest(architect_client, furnished_service):
    LegacySoftwareFactory(service=furnished_service, name="Not in the file", version="1")
    book = openpyxl.load_workbook(io.BytesIO(_export(architect_client)))
    software = book["Software"]
    for row in software.iter_rows(min_row=2):
        if row[1].value == "Not in the file":
            software.delete_rows(row[0].row)
    for row in software.iter_rows(min_row=2):
        if row[1].value == "Java":
            row[3].value = datetime.datetime(2031, 1, 1)
    software.append(["payments HUB", "Tomcat", "9", "2029-12-31"])
    book["Supplier contracts"]["D2"] = datetime.datetime(2030, 1, 31)  # renewed: the same contract
    book["Vulnerabilities"].append(["Payments hub", "Tomcat 9", "CVE-2020-1938", "high", None])
    out = io.BytesIO()
    book.save(out)
    assert _upload(architect_client, "register.xlsx", out.getvalue()).status_code == 200
    architect_client.post(reverse("legacy:import_confirm"))
    assert Software.objects.get(name="Java").support_ends == datetime.date(2031, 1, 1)
    assert Software.objects.filter(name="Not in the file").exists()  # left alone
    tomcat = Software.objects.get(name="Tomcat", service=furnished_service)
    assert tomcat.support_ends == datetime.date(2029, 12, 31)
    assert tomcat.history.get().history_change_reason == "Software imported"
    assert SupplierContract.objects.get().ends_on == datetime.date(2030, 1, 31)
    assert Vulnerability.objects.get(software=tomcat).severity == "high"


def test_components_of_a_new_service_in_the_same_file(architect_client):
    content = _xlsx(
        [["New hub", "Does things", "Schools", "Ann", "Low"]],
        Software=[SOFTWARE_HEADER, ["new hub", "Oracle Database", "11g", datetime.date(2020, 12, 31)]],
        Supplier_contracts=[CONTRACT_HEADER, ["New hub", "Oracle", "Licences", "31/03/2027", None]],
        Vulnerabilities=[VULNERABILITY_HEADER, ["New hub", "oracle database 11G", "PEN-1", "Medium", None]],
    )
    response = _upload(architect_client, "new.xlsx", content)
    assert response.status_code == 200, html.unescape(response.content.decode())
    assert "Import 1 service and 3 components" in response.content.decode()
    done = architect_client.post(reverse("legacy:import_confirm"), follow=True)
    assert "new.xlsx imported: 1 added and 0 updated; software: 1 added" in html.unescape(done.content.decode())
    oracle = Software.objects.get(service__name="New hub")
    assert oracle.support_ends == datetime.date(2020, 12, 31)
    assert SupplierContract.objects.get().ends_on == datetime.date(2027, 3, 31)
    vulnerability = Vulnerability.objects.get(software=oracle)
    assert vulnerability.severity == "medium"
    assert vulnerability.history.get().history_change_reason == "Vulnerability imported"


def test_component_sheets_only_for_services_in_the_register(architect_client, furnished_service):
    content = _xlsx([], Software=[SOFTWARE_HEADER, ["Payments hub", "Python", "3.12", None]])
    response = _upload(architect_client, "software.xlsx", content)
    assert response.status_code == 200
    architect_client.post(reverse("legacy:import_confirm"))
    assert Software.objects.filter(service=furnished_service, name="Python").exists()


def test_bad_values_in_every_sheet_are_listed_and_nothing_is_saved(architect_client, furnished_service):
    future = datetime.date.today() + datetime.timedelta(days=30)
    content = _xlsx(
        [["New hub", "Does things", "Schools", "Ann", "Low"]],
        Software=[
            SOFTWARE_HEADER,
            ["New hub", "Fine", "1", None],
            ["Nowhere", "Java", "8", None],  # 3: an unknown service
            ["New hub", "x" * 201, "v" * 51, "31/02/2027"],  # 4: too long, too long, not a date
            ["New hub", "", "1", datetime.date(1900, 1, 1)],  # 5: no name, out of range
            ["New hub", "Fine", "1", None],  # 6: the same as row 2
            ["New hub", "Nan", "NaN", float("nan")],  # 7: a support end too big to be a number (below)
        ],
        Supplier_contracts=[
            CONTRACT_HEADER,
            ["New hub", "Acme", "d" * 201, "2027-01-01", "2027-06-01"],  # 2: too long; notice after the end
            ["", "Acme", "", "tomorrow", None],  # 3: no service; not a date
        ],
        Vulnerabilities=[
            VULNERABILITY_HEADER,
            ["Payments hub", "Java 8", "CVE-1", "Catastrophic", future],  # 2: unknown severity; fixed in the future
            ["Payments hub", "Java 7", "CVE-2", "High", None],  # 3: no such software
            ["Payments hub", "Java 8", "r" * 101, "High", None],  # 4: too long
        ],
    )
    content = _with_number(content, "xl/worksheets/sheet2.xml", "D7", "1e400")
    response = _upload(architect_client, "bad.xlsx", content)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    found = {(error.sheet, error.row, error.column) for error in importers.preview(content, "bad.xlsx").errors}
    assert found == {
        ("Software", 3, "Service"),
        ("Software", 4, "Software"),
        ("Software", 4, "Version"),
        ("Software", 4, "Support ends"),
        ("Software", 5, "Software"),
        ("Software", 5, "Support ends"),
        ("Software", 6, "Software"),
        ("Software", 7, "Support ends"),
        ("Supplier contracts", 2, "What it is for"),
        ("Supplier contracts", 2, "Notice must be given by"),
        ("Supplier contracts", 3, "Service"),
        ("Supplier contracts", 3, "Contract ends"),
        ("Vulnerabilities", 2, "Severity"),
        ("Vulnerabilities", 2, "Fixed on"),
        ("Vulnerabilities", 3, "Software"),
        ("Vulnerabilities", 4, "Reference"),
    }
    for message in (
        "There is no service called “Nowhere” in the file or the register",
        "Enter 200 characters or fewer",
        "Enter 50 characters or fewer",
        "Enter a date, like 31/03/2027",
        "Enter a date between 1970 and 2099",
        "The same software is on row 2",
        "The notice date must be on or before the date the contract ends",
        "Enter the severity as Critical, High, Medium or Low",
        "The date fixed must be today or in the past",
        "There is no software called “Java 7” for Payments hub",
        "Enter 100 characters or fewer",
        "not infinity",
    ):
        assert message in page, message
    assert page.count('<tr class="govuk-table__row">') == len(found) + 1
    assert not LegacyService.objects.filter(name="New hub").exists()


def test_one_bad_vulnerability_saves_nothing_at_all(architect_client, furnished_service):
    before = _components()
    content = _xlsx(
        [["New hub", "Does things", "Schools", "Ann", "Low"]],
        Software=[SOFTWARE_HEADER, ["New hub", "Perl", "5", None], ["Payments hub", "Java", "8", "2031-01-01"]],
        Vulnerabilities=[VULNERABILITY_HEADER, ["New hub", "Perl 5", "CVE-3", "Urgent", None]],
    )
    assert _upload(architect_client, "bad.xlsx", content).status_code == 400
    assert architect_client.post(reverse("legacy:import_confirm")).status_code == 302  # nothing waiting
    assert not LegacyService.objects.filter(name="New hub").exists()
    assert _components() == before


def test_a_register_changed_after_the_preview_saves_nothing(architect_client, furnished_service):
    content = _xlsx(
        [["New hub", "Does things", "Schools", "Ann", "Low"]],
        Software=[SOFTWARE_HEADER, ["New hub", "Perl", "5", None]],
        Vulnerabilities=[VULNERABILITY_HEADER, ["Payments hub", "Java 8", "CVE-9", "Low", None]],
    )
    assert _upload(architect_client, "late.xlsx", content).status_code == 200
    services.software_delete(actor=None, software=Software.objects.get(name="Java"))
    done = architect_client.post(reverse("legacy:import_confirm"), follow=True)
    assert "The register changed since the file was checked" in html.unescape(done.content.decode())
    assert not LegacyService.objects.filter(name="New hub").exists() and not Software.objects.filter(name="Perl")


def test_a_component_sheet_over_the_row_limit_is_refused(architect_client, furnished_service):
    rows = [["Payments hub", f"Library {n}", "1", None] for n in range(importers.MAX_COMPONENT_ROWS + 1)]
    content = _xlsx([], Software=[SOFTWARE_HEADER, *rows])
    response = _upload(architect_client, "long.xlsx", content)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and "The ‘Software’ sheet must have 5,000 rows or fewer" in page
    assert Software.objects.count() == 2


def test_a_component_sheet_without_its_needed_columns_is_refused(architect_client):
    content = _xlsx([["Hub", "x", "Schools", "Ann", "Low"]], Vulnerabilities=[["Service", "Reference"]])
    response = _upload(architect_client, "cols.xlsx", content)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "The ‘Vulnerabilities’ sheet must have the columns Software, Severity in its first row" in page


def test_a_hostile_component_sheet_is_refused_or_its_cells_listed(architect_client):
    wide = _xlsx([["Hub", "x", "Schools", "Ann", "Low"]], Software=[SOFTWARE_HEADER, ["Hub", *["x"] * 80]])
    response = _upload(architect_client, "wide.xlsx", wide)
    assert response.status_code == 400 and "more than 60 columns" in html.unescape(response.content.decode())
    odd = _xlsx([["Hub", "x", "Schools", "Ann", "Low"]], Software=[SOFTWARE_HEADER, ["Hub", "Java", float("nan")]])
    infinite = _with_number(odd, "xl/worksheets/sheet2.xml", "C2", "1e400")
    errors = importers.preview(infinite, "inf.xlsx").errors
    assert [(error.sheet, error.row, error.column) for error in errors] == [("Software", 2, "Version")]
    response = _upload(architect_client, "nan.xlsx", _with_number(odd, "xl/worksheets/sheet2.xml", "C2", "NaN"))
    assert response.status_code == 400 and "Row 2 of the workbook" in html.unescape(response.content.decode())
    assert not LegacyService.objects.exists()


def test_a_csv_still_imports_services_and_the_upload_page_names_the_sheets(architect_client):
    page = html.unescape(architect_client.get(reverse("legacy:import_upload")).content.decode())
    assert "Supplier contracts: Service, Supplier" in page and "criterion scores are not imported" in page
    response = _upload(architect_client, "register.csv", _csv("Hub,Does things,Schools,Ann,Low,,,"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "Software" not in page.split("Columns ignored")[0].split("File")[-1]
    architect_client.post(reverse("legacy:import_confirm"))
    assert LegacyService.objects.get().name == "Hub" and not Software.objects.exists()
