"""The national picture in a real browser: axe on every insights page with JavaScript on and off, and a
school choosing what it shares with JavaScript off."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.insights import selectors
from tests.factories import EstablishmentFactory, UserFactory, make_membership

pytestmark = pytest.mark.browser


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.fixture
def head(transactional_db):
    school = EstablishmentFactory(urn="620001", name="Sharing Primary School")
    user = UserFactory(email="head@sharing.example", first_name="Hana", last_name="Head")
    make_membership(user, school, Role.APPROVER)
    return school, user


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_school_chooses_what_it_shares(browser, live_server, head, assert_accessible, javascript):
    school, user = head
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/schools/{school.urn}/sharing")
    assert_accessible(page)

    page.get_by_label("Standards results").check()
    page.get_by_label("Estate figures").check()
    page.get_by_role("button", name="Save what we share").click()

    expect(page.locator(".govuk-inset-text")).to_contain_text("standards results, estate figures")
    assert_accessible(page)
    page.get_by_label("Standards results").uncheck()
    page.get_by_label("Estate figures").uncheck()
    page.get_by_role("button", name="Save what we share").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("shares nothing")
    assert not selectors.current_sharing(establishment=school).shares_anything
    context.close()
