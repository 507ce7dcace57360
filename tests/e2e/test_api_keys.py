"""API keys pages (create with check answers, shown once, revoke) with axe, JavaScript on and off,
and the API docs page working in Chromium under the CSP."""

from __future__ import annotations

import pytest

from schooltech.accounts.models import ApiKey, Role
from schooltech.organisations.reference import DEPARTMENT
from tests.e2e.sessions import sign_in
from tests.factories import EstablishmentFactory, UserFactory, make_membership


@pytest.fixture
def approver(transactional_db):
    school = EstablishmentFactory(name="Hilltop Primary School")
    user = UserFactory(email="approver@hilltop.example", first_name="Ada", last_name="Approver")
    make_membership(user, school, Role.APPROVER)
    return user, school


def _create_and_revoke(page, live_server, approver, assert_accessible) -> None:
    # Each click waits for the page it opens: a check straight after a click can see the old page.
    user, school = approver
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/manage/establishment-{school.urn}/api-keys")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Create an API key").click()
    assert_accessible(page)
    with page.expect_navigation():  # nothing entered: errors
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("link", name="Enter a name for the key").is_visible()
    assert_accessible(page)
    page.get_by_label("Name").fill("Intune sync")
    page.get_by_label("Read and write").check()
    page.get_by_label("90 days").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check your answers before you create the key").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Create key").click()
    assert page.get_by_role("heading", name="API key created").is_visible()
    key = page.get_by_label("Your API key").input_value()
    assert key.startswith("st_")
    assert_accessible(page)
    page.reload()
    assert "cannot be shown again" in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Go to API keys").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Revoke Intune sync").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke key").click()
    assert "has been revoked" in page.content()
    assert_accessible(page)
    assert ApiKey.objects.get().revoked_at is not None


def test_api_key_pages_with_javascript(page, live_server, approver, assert_accessible):
    _create_and_revoke(page, live_server, approver, assert_accessible)


def test_api_key_pages_without_javascript(no_js_page, live_server, approver, assert_accessible):
    _create_and_revoke(no_js_page, live_server, approver, assert_accessible)


def test_the_api_docs_page_works_under_the_csp(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10  # every operation rendered; console errors fail the test


@pytest.mark.parametrize("javascript", [True, False])
def test_a_risk_reviewer_makes_a_legacy_register_key_by_keyboard(
    browser, live_server, transactional_db, assert_accessible, javascript
):
    reviewer = UserFactory(email="aisha.khan@education.example")
    make_membership(reviewer, DEPARTMENT, Role.RISK_REVIEWER)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/department/legacy-technology")
    with page.expect_navigation():
        page.get_by_role("link", name="API keys").focus()
        page.keyboard.press("Enter")
    assert_accessible(page)
    assert page.get_by_role("link", name="Users").count() == 0  # the department's users are not theirs to manage
    with page.expect_navigation():
        page.get_by_role("button", name="Create an API key").click()
    assert page.get_by_label("Read the legacy technology register").is_checked()
    assert_accessible(page)
    page.get_by_label("Name").fill("Board dashboard")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "Read the legacy technology register" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Create key").click()
    assert page.get_by_label("Your API key").input_value().startswith("st_")
    assert_accessible(page)
    assert ApiKey.objects.get().role == ApiKey.Access.LEGACY
    context.close()


def test_a_department_approver_is_told_why_they_cannot_make_a_key(
    no_js_page, live_server, transactional_db, assert_accessible
):
    approver = UserFactory(email="approver@education.example")
    make_membership(approver, DEPARTMENT, Role.APPROVER)
    sign_in(no_js_page, live_server, approver)
    no_js_page.goto(f"{live_server.url}/manage/department/api-keys/new")
    assert "You cannot make a key here" in no_js_page.content()
    assert_accessible(no_js_page)
