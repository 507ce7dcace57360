"""Trust and local authority views in a real browser: the estate overview, the trust plan and the
standards matrix, with JavaScript on and off, at 320 px and at 200 % zoom (a 1280 px window is 640
CSS px wide) and at 1280 px: the page never scrolls sideways, the wide tables scroll inside a
labelled region that Tab reaches and the arrow keys scroll, and axe finds nothing."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.estate.models import ConnectionTechnology
from schooltech.planning import services as planning_services
from schooltech.standards import services as standards_services
from tests.answers import BEST
from tests.e2e.sessions import sign_in
from tests.factories import (
    AcademyFactory,
    AssetFactory,
    ConnectionFactory,
    ContractFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

# (name, viewport width, device scale): 200 % zoom of a 1280 px window lays out at 640 CSS px.
SIZES = [("320px", 320, 1), ("zoom-200", 640, 2), ("1280px", 1280, 1)]


@pytest.fixture
def trust_world(transactional_db):
    call_command("load_planning_data", stdout=None)
    standards_services.catalogue_load()
    trust = TrustFactory(uid="E2E17", name="Journeys Trust")
    academies = [
        AcademyFactory(trust=trust, name=f"Journeys Academy {n} with a long name", phase_code="2") for n in range(3)
    ]
    AcademyFactory(trust=trust, name="Academy With Nothing Yet")
    for index, academy in enumerate(academies):
        contract = ContractFactory(
            establishment=academy,
            title="Broadband",
            end_date=datetime.date.today() + datetime.timedelta(days=200 + 30 * index),
        )
        ConnectionFactory(establishment=academy, technology=ConnectionTechnology.FTTC, contract=contract)
        AssetFactory.create_batch(2, establishment=academy, operating_system="Windows 10 Pro", os_version="22H2")
    planning_services.plans_generate(establishments=academies)
    assessment = standards_services.assessment_start(establishment=academies[0], standard_key="broadband", user=None)
    assessment.answers = BEST["broadband"]
    assessment.save()
    standards_services.assessment_submit(assessment=assessment, user=None)
    director = UserFactory(email="director@journeys.example")
    make_membership(director, trust, Role.VIEWER)
    return trust, director


PAGES = {
    "estate": ("/estate/trust-E2E17/schools", "ICT estate across your schools"),
    "plan": ("/plans/trust-E2E17", "Technology plans across your schools"),
    "matrix": ("/organisations/trust-E2E17/standards", "Schools by standard"),
}


def _context(browser, width: int, scale: int, javascript: bool):
    return browser.new_context(
        viewport={"width": width, "height": 900}, device_scale_factor=scale, java_script_enabled=javascript
    )


def _page_does_not_scroll_sideways(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the window"


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("size", SIZES, ids=[s[0] for s in SIZES])
@pytest.mark.parametrize("name", list(PAGES))
def test_trust_pages_fit_every_width_and_pass_axe(
    browser, live_server, trust_world, assert_accessible, name, size, javascript
):
    _, director = trust_world
    _, width, scale = size
    context = _context(browser, width, scale, javascript)
    page = context.new_page()
    sign_in(page, live_server, director)
    path, heading = PAGES[name]
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    _page_does_not_scroll_sideways(page)
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("size", SIZES[:2], ids=[s[0] for s in SIZES[:2]])
def test_the_matrix_scrolls_inside_its_region_by_keyboard(browser, live_server, trust_world, size):
    _, director = trust_world
    _, width, scale = size
    context = _context(browser, width, scale, True)
    page = context.new_page()
    sign_in(page, live_server, director)
    page.goto(f"{live_server.url}{PAGES['matrix'][0]}")
    region = page.get_by_role("region", name="Each school’s results, a table that scrolls sideways")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth"), "the matrix should need scrolling"
    for _ in range(60):
        page.keyboard.press("Tab")
        if region.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the matrix's scroll region")
    outline = region.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none", "the focused region shows where focus is"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('.app-table-scroll').scrollLeft > 0")
    _page_does_not_scroll_sideways(page)
    context.close()


def test_the_trust_plan_groups_buy_together_and_downloads(page, live_server, trust_world, assert_accessible):
    _, director = trust_world
    sign_in(page, live_server, director)
    page.goto(f"{live_server.url}/plans/trust-E2E17")
    expect(page.get_by_text("Academy trusts’ financial years run September to August")).to_be_visible()
    expect(page.get_by_role("row", name="Academy With Nothing Yet")).to_contain_text("No plan yet")
    expect(page.get_by_role("table", name="Broadband")).to_contain_text("Journeys Academy 0")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download both as a spreadsheet (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto(f"{live_server.url}/estate/trust-E2E17/schools")
    expect(page.get_by_role("row", name="Academy With Nothing Yet")).to_contain_text("No data yet")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the schools’ registers as CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_the_local_authority_plan_speaks_of_maintained_schools(
    no_js_page, live_server, transactional_db, assert_accessible
):
    camden = LocalAuthorityFactory(code="202", name="Camden")
    EstablishmentFactory(local_authority=camden, name="Camden Primary")
    officer = UserFactory()
    make_membership(officer, camden, Role.VIEWER)
    sign_in(no_js_page, live_server, officer)
    no_js_page.goto(f"{live_server.url}/plans/local-authority-202")
    expect(no_js_page.get_by_text("Maintained schools’ financial years run April to March")).to_be_visible()
    expect(no_js_page.locator("main")).not_to_contain_text("for trusts")
    assert_accessible(no_js_page)
    no_js_page.goto(f"{live_server.url}/estate/local-authority-202/schools")
    expect(no_js_page.get_by_role("row", name="Camden Primary")).to_contain_text("No data yet")
    assert_accessible(no_js_page)
