"""Editing the department's legacy technology register in a real browser: each form, its errors and its
check answers page pass axe with JavaScript on and off, and a service owner adds a service with its
components by keyboard and mouse, and a service owner deletes a component and changes a milestone."""

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
def architect(transactional_db):
    demo_legacy.load_examples(today=timezone.localdate())
    user = UserFactory(email="architect@education.example", first_name="Ada", last_name="Architect")
    make_membership(user, DEPARTMENT, Role.ARCHITECT)
    return user


@pytest.fixture
def service_owner(transactional_db):
    demo_legacy.load_examples(today=timezone.localdate())
    user = UserFactory(email="owner@education.example", first_name="Sam", last_name="Owner")
    make_membership(user, DEPARTMENT, Role.SERVICE_OWNER)
    return user


def _fill_date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_an_architect_adds_a_service_and_its_components(browser, live_server, architect, assert_accessible, javascript):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    sign_in(page, live_server, architect)
    page.goto(f"{live_server.url}/department/legacy-technology")
    page.get_by_role("link", name="Add a service").click()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Teacher vacancies feed")
    page.get_by_label("Purpose").fill("Publishes vacancies to job boards")
    page.get_by_label("Schools", exact=True).check()
    page.get_by_label("Service owner").fill("Head of teacher services")
    page.get_by_label("High: a directorate or a public process relies on it").check()
    page.get_by_label("Annual cost in pounds").fill("85000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add service").click()
    expect(page.get_by_role("heading", name="Teacher vacancies feed")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add software").click()
    page.get_by_label("Software").fill("Java")
    page.get_by_label("Version").fill("8")
    _fill_date(page, "Support ends", "31", "3", "2022")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add software").click()
    expect(page.get_by_text("Past support: Java 8")).to_be_visible()

    page.get_by_role("link", name="Record a vulnerability").click()
    assert_accessible(page)
    page.get_by_label("Reference").fill("CVE-2021-44228")
    page.get_by_label("Critical").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record vulnerability").click()
    expect(page.get_by_role("link", name="CVE-2021-44228 (change)")).to_be_visible()

    page.get_by_role("link", name="Add a supplier contract").click()
    page.get_by_label("Supplier").fill("Hosting Ltd")
    _fill_date(page, "Contract ends", "31", "3", "2027")
    _fill_date(page, "Notice must be given by", "1", "4", "2027")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    _fill_date(page, "Notice must be given by", "31", "12", "2026")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Add contract").click()
    expect(page.get_by_role("rowheader", name="Hosting Ltd", exact=True)).to_be_visible()

    page.get_by_role("link", name="Change the service’s details").click()
    assert_accessible(page)
    expect(page.get_by_label("Name", exact=True)).to_have_value("Teacher vacancies feed")
    service = selectors.service_named("Teacher vacancies feed")
    assert service.software.get().vulnerabilities.count() == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_service_owner_deletes_a_component_and_changes_a_milestone(
    browser, live_server, service_owner, assert_accessible, javascript
):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    sign_in(page, live_server, service_owner)
    service = selectors.service_named("School returns portal (example)")
    page.goto(f"{live_server.url}/department/legacy-technology/services/{service.pk}")
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Delete PostgreSQL 16", exact=True).click()
    expect(page.get_by_role("heading", name="Are you sure you want to delete PostgreSQL 16?")).to_be_visible()
    assert_accessible(page)
    assert service.software.filter(name="PostgreSQL").exists()  # not until confirmed
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("PostgreSQL 16 deleted")
    expect(page.get_by_role("rowheader", name="PostgreSQL", exact=True)).to_have_count(0)
    assert_accessible(page)
    assert not service.software.filter(name="PostgreSQL").exists()

    with page.expect_navigation():
        page.get_by_role("link", name="Change the milestone “Upgrade to .NET 8”").click()
    expect(page.get_by_label("Milestone")).to_have_value("Upgrade to .NET 8")
    assert_accessible(page)
    page.get_by_label("Milestone").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Milestone").fill("Upgrade to .NET 10")
    _fill_date(page, "Due date", "30", "9", "2027")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Milestone changed")
    expect(page.get_by_role("rowheader", name="Upgrade to .NET 10", exact=True)).to_be_visible()
    assert_accessible(page)
    milestone = service.milestones.get(title="Upgrade to .NET 10")
    assert milestone.due_on.isoformat() == "2027-09-30"
