"""The legacy register's principles and standards in a real browser: the summary page, and an architect
assessing a service against one (form, errors, check answers), axe with JavaScript on and off."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.demo import legacy as demo_legacy
from schooltech.organisations.reference import DEPARTMENT
from tests.e2e.sessions import sign_in
from tests.factories import UserFactory, make_membership

pytestmark = pytest.mark.browser


@pytest.fixture
def architect(transactional_db):
    call_command("load_legacy_principles")
    demo_legacy.load_examples(today=timezone.localdate())
    user = UserFactory(email="architect@education.example", first_name="Ada", last_name="Architect")
    make_membership(user, DEPARTMENT, Role.ARCHITECT)
    return user


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_an_architect_assesses_a_service_against_a_principle(
    browser, live_server, architect, assert_accessible, javascript
):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    sign_in(page, live_server, architect)
    page.goto(f"{live_server.url}/department/legacy-technology")
    page.get_by_role("link", name="Principles and standards").click()
    expect(page.get_by_role("heading", name="Principles and standards")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/department/legacy-technology")
    page.get_by_role("link", name="Staff intranet (example)").click()
    expect(page.get_by_role("heading", name="Principles and standards")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Assess against use cloud first").click()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Meets it", exact=True).check()
    page.get_by_label("Evidence").fill("Hosted on the department's cloud platform")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Hosted on the department's cloud platform")).to_be_visible()
