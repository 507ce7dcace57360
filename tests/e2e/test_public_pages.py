"""Every public page in a real browser: zero axe violations, and the search journey with JavaScript off."""

import pytest
from playwright.sync_api import expect

from tests.factories import EstablishmentFactory, LocalAuthorityFactory, TrustFactory


@pytest.fixture
def camden(transactional_db):
    camden = LocalAuthorityFactory(code="202", name="Camden", region="London")
    trust = TrustFactory(uid="5001", name="Hampstead Learning Trust")
    school = EstablishmentFactory(
        urn="100049",
        name="Haverstock School",
        town="London",
        postcode="NW3 2BQ",
        local_authority=camden,
        trust=trust,
        phase_code="4",
        phase_name="Secondary",
        type_group_code="4",
    )
    EstablishmentFactory.create_batch(25, name="Camden Primary", local_authority=camden, type_group_code="4")
    return school


PUBLIC_PATHS = [
    "/",
    "/accessibility",
    "/cookies",
    "/privacy",
    "/schools",
    "/schools?q=camden",
    "/schools?q=camden&page=2",
    "/schools?q=nothing-matches-this",
    "/schools/100049",
    "/trusts/5001",
    "/local-authorities/202",
    "/schools/999999999",
]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_has_no_accessibility_violations(page, live_server, camden, assert_accessible, path):
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_has_no_accessibility_violations_without_javascript(
    no_js_page, live_server, camden, assert_accessible, path
):
    no_js_page.goto(live_server.url + path)
    assert_accessible(no_js_page)


def test_find_a_school_by_postcode_without_javascript(no_js_page, live_server, camden):
    page = no_js_page
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Find a school").click()
    page.get_by_label("School, college or academy").fill("nw32bq")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_contain_text("1 result for ‘nw32bq’")
    page.get_by_role("link", name="Haverstock School").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Haverstock School")
    page.get_by_role("link", name="Camden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Camden")


def test_find_a_school_by_keyboard_alone(page, live_server, camden):
    page.goto(live_server.url + "/schools")
    page.keyboard.press("Tab")  # skip link
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("School, college or academy").focus()
    page.keyboard.type("Haverstock")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Haverstock School")).to_be_visible()
    page.get_by_role("link", name="Haverstock School").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/schools/100049")


def test_javascript_enhancement_runs_under_the_strict_csp(page, live_server, camden):
    page.goto(live_server.url + "/")
    expect(page.locator("body")).to_have_class(__import__("re").compile("govuk-frontend-supported"))
