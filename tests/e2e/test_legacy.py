"""The department's legacy technology register in a real browser: axe on every page with JavaScript on
and off, and a risk reviewer scoring a criterion through the form."""

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


@pytest.fixture
def reviewer(transactional_db):
    demo_legacy.load_examples(today=timezone.localdate())
    user = UserFactory(email="reviewer@education.example", first_name="Rita", last_name="Reviewer")
    make_membership(user, DEPARTMENT, Role.RISK_REVIEWER)
    return user


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_risk_reviewer_reads_the_register_and_scores_a_criterion(
    browser, live_server, reviewer, assert_accessible, javascript
):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    sign_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/department/legacy-technology")
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Overdue milestones")).to_be_visible()

    page.get_by_label("Rating").select_option("red")
    page.get_by_role("button", name="Filter").click()
    assert_accessible(page)
    page.get_by_role("link", name="risk against value").click()
    expect(page.locator("svg.app-matrix")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Free school meals checker (example)").click()
    assert_accessible(page)
    page.get_by_role("link", name="Score a criterion").click()
    page.get_by_role("button", name="Continue").click()  # nothing chosen: errors, not a crash
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Impact").check()
    page.get_by_label("Score").fill("3")
    page.get_by_label("Reason and evidence").fill("Schools would check eligibility by hand")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save score").click()
    expect(page.get_by_text("Schools would check eligibility by hand").first).to_be_visible()
    assert_accessible(page)
    service = selectors.service_named("Free school meals checker (example)")
    assert selectors.risk_of(service, today=service.created_at.date()).score is not None


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_the_decision_and_milestone_forms_are_accessible(browser, live_server, reviewer, assert_accessible, javascript):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    sign_in(page, live_server, reviewer)
    service = selectors.service_named("Staff intranet (example)")
    base = f"{live_server.url}/department/legacy-technology/services/{service.pk}"
    for form in ("decisions/new", "milestones/new"):
        page.goto(f"{base}/{form}")
        assert_accessible(page)
        page.get_by_role("button", name="Continue").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)
    page.get_by_label("Milestone").fill("Move to the new platform")
    page.get_by_label("Owner").fill("Head of service")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add milestone").click()
    expect(page.get_by_role("rowheader", name="Move to the new platform")).to_be_visible()
