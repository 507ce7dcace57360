"""A plan that fits a working week, in a real browser: the budget journey with JavaScript on and off,
where to act from an action, the paged timeline, and every plan page at 320 px wide and at 200 % zoom."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.estate.models import AssetCategory, ConnectionTechnology
from schooltech.planning import services
from schooltech.planning.models import PlanAction, PlanBudget
from tests import factories as estate
from tests.e2e.sessions import sign_in
from tests.factories import EstablishmentFactory, UserFactory, make_membership

pytestmark = pytest.mark.browser
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def world(transactional_db):
    call_command("load_planning_data", stdout=None)
    call_command("load_standards", stdout=None)
    school = EstablishmentFactory(urn="620001", name="Budget Primary School", phase_code="2")
    contract = estate.ContractFactory(establishment=school, title="Broadband", end_date=datetime.date(2027, 7, 1))
    estate.ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTC, contract=contract)
    estate.AssetFactory.create_batch(40, establishment=school, operating_system="Windows 10", os_version="22H2")
    estate.AssetFactory(
        establishment=school, category=AssetCategory.SERVER, operating_system="", could_move_to_cloud=True
    )
    services.plan_generate(establishment=school, today=TODAY)
    head = UserFactory(email="head@budget.example", first_name="Bea", last_name="Budget")
    make_membership(head, school, Role.APPROVER)
    return school, head


def _set_budget(page, live_server, school, assert_accessible) -> None:
    page.goto(f"{live_server.url}/schools/{school.urn}/plan/")
    page.get_by_role("link", name="Budget by financial year").click()
    assert_accessible(page)
    page.get_by_role("link", name="Set budget for 2026 to 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What is your technology budget for April 2026 to March 2027?"
    )
    assert_accessible(page)
    page.get_by_label("What is your technology budget").fill("ten pounds")
    page.get_by_role("button", name="Save budget").click()
    expect(page.get_by_role("link", name="Budget must be an amount in pounds, like 15000 or 15000.50")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What is your technology budget").fill("1000")
    page.get_by_role("button", name="Save budget").click()
    expect(page.get_by_text("Budget for 2026 to 2027 saved")).to_be_visible()
    expect(page.get_by_text("Over budget by").first).to_be_visible()
    expect(page.get_by_role("table", name="Not in the 2026 to 2027 budget")).to_be_visible()
    assert_accessible(page)
    assert PlanBudget.objects.get().amount == 1000


def test_setting_a_budget_and_seeing_what_does_not_fit(page, live_server, world, assert_accessible):
    school, head = world
    sign_in(page, live_server, head)
    _set_budget(page, live_server, school, assert_accessible)


def test_setting_a_budget_without_javascript(no_js_page, live_server, world, assert_accessible):
    school, head = world
    sign_in(no_js_page, live_server, head)
    _set_budget(no_js_page, live_server, school, assert_accessible)


@pytest.mark.parametrize("javascript", [True, False])
def test_from_an_action_to_where_to_act_and_the_paged_timeline(
    browser, live_server, world, assert_accessible, javascript
):
    school, head = world
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server, head)
    action = PlanAction.objects.get(establishment=school, key__startswith="contract-notice:")
    page.goto(f"{live_server.url}/schools/{school.urn}/plan/actions/{action.pk}")
    expect(page.get_by_role("heading", name="Where to do this")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Open the contract in the contracts register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Broadband")
    page.goto(f"{live_server.url}/schools/{school.urn}/plan/timeline")
    page.get_by_label("Priority").select_option(label="Security")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("action")
    assert "priority=2" in page.url
    assert_accessible(page)
    context.close()


PLAN_PAGES = ("/", "/timeline", "/actions", "/budget", "/budget/2026")


@pytest.mark.parametrize(
    ("viewport", "scale", "javascript"),
    [
        ({"width": 320, "height": 640}, 1, True),  # 320 CSS pixels wide (WCAG reflow)
        ({"width": 320, "height": 640}, 1, False),
        ({"width": 640, "height": 400}, 2, True),  # a 1280 by 800 window at 200 % zoom
    ],
    ids=["320px", "320px-no-js", "200-percent-zoom"],
)
def test_plan_pages_reflow_at_320_pixels_and_200_percent_zoom(
    browser, live_server, world, assert_accessible, viewport, scale, javascript
):
    school, head = world
    context = browser.new_context(viewport=viewport, device_scale_factor=scale, java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server, head)
    action = PlanAction.objects.filter(establishment=school, estimated_cost__isnull=True).first()
    for path in (*PLAN_PAGES, f"/actions/{action.pk}"):
        page.goto(f"{live_server.url}/schools/{school.urn}/plan{path}")
        # Nothing may be wider than the window: text and forms reflow, and a wide table scrolls inside its
        # labelled region (the region itself fits).
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('main *')]
                .filter(el => !el.parentElement.closest('.app-table-scroll'))
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .map(el => el.tagName + '.' + el.className).slice(0, 5)"""
        )
        assert not overflowing, f"{path} is wider than {viewport['width']} px: {overflowing}"
        assert_accessible(page)
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_email_preferences_are_reached_from_your_account(browser, live_server, world, assert_accessible, javascript):
    _, head = world
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server, head)
    page.goto(f"{live_server.url}/account")
    expect(page.get_by_role("heading", name="Emails")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change your email preferences").click()
    expect(page).to_have_url(f"{live_server.url}/account/email-preferences")
    assert_accessible(page)
    context.close()
