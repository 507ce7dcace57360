"""The legacy register's board summary and import pages in a real browser: axe with JavaScript on and off,
an import with a problem, then a good one previewed and imported, then a workbook with components."""

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.demo import legacy as demo_legacy
from schooltech.legacy import selectors
from schooltech.organisations.reference import DEPARTMENT
from tests.e2e.sessions import sign_in
from tests.factories import UserFactory, make_membership

pytestmark = pytest.mark.browser

HEADER = "Name,Purpose,Directorate,Service owner,Value"


@pytest.fixture
def owner(transactional_db):
    demo_legacy.load_examples(today=timezone.localdate())
    user = UserFactory(email="owner@education.example", first_name="Sam", last_name="Owner")
    make_membership(user, DEPARTMENT, Role.SERVICE_OWNER)
    return user


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_the_board_summary_and_an_import(browser, live_server, owner, assert_accessible, javascript, tmp_path):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    sign_in(page, live_server, owner)
    page.goto(f"{live_server.url}/department/legacy-technology")
    page.get_by_role("link", name="Board summary").click()
    expect(page.get_by_role("heading", name="Board summary")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/department/legacy-technology")
    page.get_by_role("link", name="Import services from a spreadsheet").click()
    assert_accessible(page)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nNew service,Does things,Ministry of Magic,Ann,Low\n")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Fix the problems in bad.csv")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Upload a different file").click()
    good = tmp_path / "good.csv"
    good.write_text(f"{HEADER}\nNew service,Does things,Schools,Ann,Low\n")
    page.get_by_label("Upload a file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check what will be imported")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import 1 service").click()
    expect(page.get_by_text("good.csv imported: 1 added and 0 updated")).to_be_visible()
    assert_accessible(page)
    assert selectors.service_named("New service") is not None

    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append(["Another service", "Does more", "Schools", "Ann", "High"])
    workbook.create_sheet("Software").append(["Service", "Software", "Version", "Support ends"])
    workbook["Software"].append(["Another service", "Java", "8", "31/03/2030"])
    workbook.create_sheet("Vulnerabilities").append(["Service", "Software", "Reference", "Severity", "Fixed on"])
    workbook["Vulnerabilities"].append(["Another service", "Java 8", "CVE-2021-44228", "Critical", None])
    with_components = tmp_path / "components.xlsx"
    workbook.save(with_components)
    page.goto(f"{live_server.url}/department/legacy-technology/import")
    page.get_by_label("Upload a file").set_input_files(str(with_components))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check what will be imported")).to_be_visible()
    expect(page.get_by_text("No ‘Supplier contracts’ sheet in the file")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Import 1 service and 2 components").click()
    expect(page.get_by_text("components.xlsx imported: 1 added and 0 updated")).to_be_visible()
    service = selectors.service_named("Another service")
    assert service is not None and service.software.get().vulnerabilities.count() == 1
