"""Support's pages in a real browser: the support home and each page's sub-navigation reach the
access requests, the outbox, the audit trail (paged) and the admin, with JavaScript on and off, by
keyboard, with zero axe violations."""

import re

import pytest
from playwright.sync_api import expect

from schooltech.accounts import audit, services
from tests.e2e import sessions
from tests.factories import AssetFactory, EstablishmentFactory


@pytest.fixture
def support_user(transactional_db):
    return services.person_upsert(
        username="sam",
        email="sam@example.org",
        first_name="Sam",
        last_name="Support",
        is_staff=True,
        issuer="test",
        subject="sam",
    )


@pytest.mark.parametrize("javascript", ["on", "off"])
def test_support_walks_its_pages_from_the_header(
    page, no_js_page, live_server, support_user, assert_accessible, javascript
):
    page = page if javascript == "on" else no_js_page
    sessions.sign_in(page, live_server, support_user)
    page.goto(f"{live_server.url}/account")
    page.get_by_role("link", name="Support", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Support")
    assert_accessible(page)
    nav = page.get_by_role("navigation", name="Support")
    for link, heading in [
        ("Access requests", "Requests passed to support"),
        ("Emails (outbox)", "Emails sent by the service"),
        ("Audit trail", "Audit trail"),
    ]:
        nav.get_by_role("link", name=link).click()
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.get_by_role("navigation", name="Support").get_by_role("link", name=link)).to_have_attribute(
            "aria-current", "page"
        )
        assert_accessible(page)
    page.get_by_role("navigation", name="Support").get_by_role("link", name="Admin").click()
    expect(page.get_by_text("Accounts and access")).to_be_visible()  # the admin shows support's apps


@pytest.mark.parametrize("javascript", ["on", "off"])
def test_support_pages_through_the_whole_audit_trail(
    page, no_js_page, live_server, support_user, assert_accessible, javascript
):
    page = page if javascript == "on" else no_js_page
    school = EstablishmentFactory(name="Paged Primary School")
    for number in range(55):
        AssetFactory(establishment=school, asset_tag=f"PAGED-{number:03}")
    total = audit.AuditTrail().count()
    sessions.sign_in(page, live_server, support_user)
    page.goto(f"{live_server.url}/support/audit")
    expect(page.locator("caption")).to_have_text(f"Showing 1 to 50 of {total} changes")
    assert_accessible(page)
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next page").click()
    expect(page).to_have_title(re.compile(r"^Audit trail \(page 2 of 2\)"))
    expect(page.locator("caption")).to_have_text(f"Showing 51 to {total} of {total} changes")
    expect(page.locator("table")).to_contain_text("PAGED-000")
    assert_accessible(page)


def test_support_reaches_the_outbox_by_keyboard(page, live_server, support_user):
    sessions.sign_in(page, live_server, support_user)
    page.goto(f"{live_server.url}/support")
    link = page.get_by_role("navigation", name="Support").get_by_role("link", name="Emails (outbox)")
    for _ in range(40):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the outbox link")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Emails sent by the service")
