"""The technology plan in a real browser: axe on every plan page (JavaScript on), and deferring an
action with JavaScript off, one question per page."""

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.estate.models import AssetCategory, ConnectionTechnology
from schooltech.planning import services
from schooltech.planning.models import PlanAction
from tests import factories as estate
from tests.e2e.sessions import sign_in
from tests.factories import AcademyFactory, TrustFactory, UserFactory, make_membership

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    call_command("load_planning_data", stdout=None)
    call_command("load_standards", stdout=None)
    trust = TrustFactory(uid="E2EPLAN", name="Plan Test Trust")
    schools = [AcademyFactory(urn=f"61000{n}", name=f"Plan Academy {n}", trust=trust, phase_code="2") for n in range(2)]
    for n, school in enumerate(schools):
        contract = estate.ContractFactory(
            establishment=school, title="Broadband", end_date=datetime.date(2027, 7 + n, 1)
        )
        estate.ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTC, contract=contract)
        estate.AssetFactory.create_batch(3, establishment=school, operating_system="Windows 10", os_version="22H2")
        estate.AssetFactory(
            establishment=school, category=AssetCategory.SERVER, operating_system="", could_move_to_cloud=True
        )
    estate.ContractFactory(establishment=schools[0], title="Long lease", end_date=datetime.date(2040, 1, 1))
    services.plans_generate(establishments=schools, today=datetime.date(2026, 11, 23))
    head = UserFactory(email="head@plan.example", first_name="Hana", last_name="Head")
    make_membership(head, schools[0], Role.APPROVER)
    director = UserFactory(email="director@plan.example")
    make_membership(director, trust, Role.APPROVER)
    return schools[0], trust, head, director


def test_every_plan_page_is_accessible(page, live_server, world, assert_accessible):
    school, trust, head, director = world
    sign_in(page, live_server, head)
    base = f"{live_server.url}/schools/{school.urn}/plan"
    action = PlanAction.objects.filter(establishment=school, rule_key="contract_notice").first()
    for path in ("/", "/timeline", "/actions", "/budget", "/governor-report", "/versions", "/settings",
                 "/actions/add", f"/actions/{action.pk}", f"/actions/{action.pk}/status", "/approve"):  # fmt: skip
        page.goto(base + path)
        assert_accessible(page)
    page.goto(base + "/")
    page.get_by_text("Recorded but not used by this plan").click()  # open the details, then check again
    expect(page.get_by_text("Its next decision falls after the plan ends")).to_be_visible()
    assert_accessible(page)
    page.goto(base + "/approve")
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1 of the plan")
    assert_accessible(page)
    page.goto(f"{live_server.url}/buying-routes/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/buying-routes/g-cloud")
    assert_accessible(page)
    sign_in(page, live_server, director)
    page.goto(f"{live_server.url}/plans/trust-{trust.uid}")
    expect(page.get_by_text("buy together").first).to_be_visible()
    assert_accessible(page)


def test_deferring_an_action_without_javascript(no_js_page, live_server, world, assert_accessible):
    school, _, head, _ = world
    page = no_js_page
    sign_in(page, live_server, head)
    action = PlanAction.objects.filter(establishment=school, rule_key="device_support").first()
    page.goto(f"{live_server.url}/schools/{school.urn}/plan/actions/{action.pk}")
    page.get_by_role("link", name="Change status").click()
    page.get_by_label("Deferred").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Defer the action").click()
    expect(page).to_have_title(
        "Error: Why is this action deferred? – " + action.title + " – Plan and manage school technology – GOV.UK"
    )
    expect(page.get_by_role("link", name="Enter why the action is deferred")).to_have_attribute("href", "#id_reason")
    assert_accessible(page)
    page.get_by_label("Why is this action deferred?").fill("Waiting for next year’s budget")
    page.get_by_role("button", name="Defer the action").click()
    expect(page.get_by_text("Deferred: Waiting for next year’s budget")).to_be_visible()
    assert_accessible(page)
