"""Support's pages in a real browser: the support home and each page's sub-navigation reach the
access requests, the outbox, the audit trail and the admin, with JavaScript on and off, by keyboard,
with zero axe violations."""

import pytest
from playwright.sync_api import expect

from schooltech.accounts import services
from tests.e2e import sessions


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
