"""The ICT estate registers in a real browser: adding an asset (JavaScript on), importing a file
with preview and commit (JavaScript off), and zero axe violations on every estate page."""

import datetime

import pytest
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.estate.models import Asset
from tests.e2e.sessions import sign_in
from tests.factories import (
    AssetFactory,
    ConnectionFactory,
    ContractFactory,
    EstablishmentFactory,
    ServiceFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

CSV = (
    "Category,Asset tag,Serial number,Make,Model,Purchase date,Status\n"
    "Laptop,HT-0101,PF1ABC01,Lenovo,ThinkPad L13,01/09/2024,In use\n"
    "Chromebook,HT-0102,NXHQ0102,Acer,Chromebook 511,01/09/2023,In use\n"
)


@pytest.fixture
def estate(transactional_db):
    trust = TrustFactory(name="Riverside Learning Trust")
    school = EstablishmentFactory(name="Hilltop Primary School", trust=trust)
    editor = UserFactory(email="it.lead@hilltop.example", first_name="Alex")
    make_membership(editor, school, Role.EDITOR)
    make_membership(editor, trust, Role.VIEWER)
    today = datetime.date.today()
    asset = AssetFactory(establishment=school, asset_tag="HT-0001", support_end=today + datetime.timedelta(days=60))
    AssetFactory(establishment=school, asset_tag="HT-0002", support_end=None)
    ContractFactory(establishment=school, title="Broadband", end_date=today + datetime.timedelta(days=100))
    ConnectionFactory(establishment=school)
    ServiceFactory(establishment=school, name="Cloud backup", category="backup")
    return {"school": school, "editor": editor, "asset": asset, "trust": trust}


def test_every_estate_page_has_no_accessibility_violations(page, live_server, estate, assert_accessible):
    sign_in(page, live_server, estate["editor"])
    base = f"{live_server.url}/schools/{estate['school'].urn}/estate"
    asset_id = estate["asset"].pk
    pages = {
        "/": "ICT estate",
        "/ending-soon": "Ending soon",
        "/assets/": "Assets",
        "/connections/": "Internet connections",
        "/services/": "Software and cloud services",
        "/contracts/": "Contracts",
        "/information-assets/": "Information assets",
        f"/assets/{asset_id}/": "Lenovo ThinkPad L13 (HT-0001)",
        f"/assets/{asset_id}/edit": "Change Lenovo ThinkPad L13 (HT-0001)",
        f"/assets/{asset_id}/edit?choose=1": "What kind of asset is it?",
        "/assets/add": "What kind of asset is it?",
        "/assets/add?category=server": "Add an asset",
        f"/assets/{asset_id}/remove": "Are you sure you want to remove Lenovo ThinkPad L13 (HT-0001)?",
        "/contracts/add": "Add a contract",
        "/assets/import": "Import assets",
        f"/assets/dispose?asset={asset_id}": "Mark assets as disposed",
    }
    for path, heading in pages.items():
        page.goto(base + path)
        expect(page.locator("h1")).to_have_text(heading)
        assert_accessible(page)
    page.goto(f"{live_server.url}/estate/trust-{estate['trust'].uid}/schools")
    expect(page.locator("h1")).to_have_text("ICT estate across your schools")
    assert_accessible(page)


@pytest.mark.parametrize("javascript", ["on", "off"])
def test_adding_an_asset_asks_the_category_first_then_only_its_questions(
    page, no_js_page, live_server, estate, assert_accessible, javascript
):
    page = page if javascript == "on" else no_js_page
    sign_in(page, live_server, estate["editor"])
    page.goto(f"{live_server.url}/estate/trust-{estate['trust'].uid}/schools")
    page.get_by_role("link", name="Hilltop Primary School").click()
    page.get_by_role("navigation", name="ICT estate registers").get_by_role("link", name="Assets", exact=True).click()
    page.get_by_role("button", name="Add an asset").click()
    expect(page.locator("h1")).to_have_text("What kind of asset is it?")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator(".govuk-error-summary").get_by_role("link", name="Select what kind of asset it is").click()
    page.get_by_label("Tablet").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Add an asset")
    expect(page.get_by_text("Port speed (Mbps)")).to_have_count(0)
    expect(page.get_by_text("Server role")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an asset tag or a serial number")
    assert_accessible(page)
    page.get_by_label("Asset tag").fill("HT-0300")
    page.get_by_label("Make").fill("Apple")
    page.get_by_role("group", name="Centrally managed").get_by_label("Yes").check()
    page.get_by_role("group", name="Purchase date").get_by_label("Day").fill("1")
    page.get_by_role("group", name="Purchase date").get_by_label("Month").fill("9")
    page.get_by_role("group", name="Purchase date").get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("HT-0300")
    asset = Asset.objects.get(asset_tag="HT-0300")
    assert (asset.category, asset.centrally_managed, asset.purchase_date) == ("tablet", True, datetime.date(2025, 9, 1))


def test_choosing_the_category_by_keyboard(page, live_server, estate):
    sign_in(page, live_server, estate["editor"])
    page.goto(f"{live_server.url}/schools/{estate['school'].urn}/estate/assets/add")
    page.get_by_label("Laptop").focus()
    page.keyboard.press("ArrowDown")  # radios: arrows move and select
    expect(page.get_by_label("Desktop")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Add an asset")
    expect(page.get_by_text("Desktop", exact=True)).to_be_visible()


def test_importing_a_file_with_preview_and_commit_without_javascript(
    no_js_page, live_server, estate, assert_accessible, tmp_path
):
    page = no_js_page
    sign_in(page, live_server, estate["editor"])
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "Spaceship,HT-0103,SN3,Acme,X,31/02/2024,In use\n")
    good = tmp_path / "assets.csv"
    good.write_text(CSV)
    page.goto(f"{live_server.url}/schools/{estate['school'].urn}/estate/assets/import")
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("h1")).to_have_text("Fix the problems in bad.csv")
    expect(page.locator("table")).to_contain_text("Purchase date")
    assert_accessible(page)
    assert not Asset.objects.filter(asset_tag__startswith="HT-01").exists()
    page.get_by_role("link", name="Upload a different file").click()
    page.get_by_label("Upload a file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("h1")).to_have_text("Check what will be imported")
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 added, 0 updated")
    assert Asset.objects.filter(asset_tag__startswith="HT-01").count() == 2
