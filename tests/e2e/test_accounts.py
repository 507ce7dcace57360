"""Sign-in through the local OpenID provider for every demo person (JavaScript on and off), the
access request journey, sign-out that ends the provider session, and axe on every accounts page."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from schooltech.demo import people as demo
from tests.factories import (
    AcademyFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
)

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = {person["email"]: person for person in demo.DEMO_PEOPLE}
LANDS_ON = {
    "priya.shah@aldgate-school.example": "The Aldgate School",
    "tom.okafor@haverstock.example": "Haverstock School",
    "grace.lee@partnership-learning.example": demo.DEMO_TRUST_NAME,
    "daniel.evans@camden.example": "Camden",
    "aisha.khan@education.example": "Department for Education",
    "sara.ahmed@george-mitchell.example": "George Mitchell School",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def provider(live_server, tmp_path_factory):
    """The local provider as a subprocess on 127.0.0.1 (the live server is on localhost)."""
    port = _free_port()
    state = tmp_path_factory.mktemp("oidc_provider")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devtools.oidc_provider",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--service-url",
            live_server.url,
        ],
        cwd=ROOT,
        env={"OIDC_PROVIDER_STATE_DIR": str(state), "OIDC_PROVIDER_FAST_HASHING": "1", "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"The local OpenID provider did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def signin_settings(settings, provider):
    settings.OIDC_ISSUER = provider
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/.well-known/jwks.json"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{provider}/logout/"
    origin = provider.removesuffix("/o")
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", origin]}
    return settings


@pytest.fixture
def demo_world(transactional_db, signin_settings):
    camden = LocalAuthorityFactory(code="202", name="Camden")
    city = LocalAuthorityFactory(code="201", name="City of London")
    EstablishmentFactory(urn="100000", name="The Aldgate School", local_authority=city)
    EstablishmentFactory(urn="100049", name="Haverstock School", local_authority=camden)
    trust = TrustFactory(uid=demo.DEMO_TRUST_UID, name=demo.DEMO_TRUST_NAME)
    AcademyFactory.create_batch(demo.DEMO_TRUST_SIZE, trust=trust, local_authority=camden)
    AcademyFactory(urn=demo.DEMO_HELPER_URN, name="George Mitchell School", trust=trust, local_authority=camden)
    call_command("load_demo_accounts")


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your account")


@pytest.mark.parametrize("email", list(PEOPLE))
def test_each_demo_person_signs_in_and_lands_on_their_organisation(
    page, live_server, demo_world, assert_accessible, email
):
    sign_in(page, live_server.url, email)
    if email in LANDS_ON:
        expect(page.locator(".govuk-inset-text")).to_contain_text(f"You are working on {LANDS_ON[email]}")
    else:
        expect(page.get_by_role("link", name="Support", exact=True)).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("email", list(PEOPLE))
def test_each_demo_person_signs_in_without_javascript(no_js_page, live_server, demo_world, email):
    sign_in(no_js_page, live_server.url, email)
    if email in LANDS_ON:
        expect(no_js_page.locator(".govuk-inset-text")).to_contain_text(f"You are working on {LANDS_ON[email]}")


def test_wrong_password_gets_the_same_message_as_an_unknown_email(page, provider, demo_world, live_server):
    page.goto(live_server.url + "/oidc/authenticate/")
    messages = []
    for email in ("priya.shah@aldgate-school.example", "nobody@nowhere.example"):
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Sign in").click()
        messages.append(page.locator("#error").inner_text())
    assert messages[0] == messages[1]


def test_access_request_approval_and_audit_journey(browser, live_server, demo_world, assert_accessible):
    base = live_server.url
    asker_context, approver_context = browser.new_context(), browser.new_context()
    asker, approver = asker_context.new_page(), approver_context.new_page()

    sign_in(asker, base, "tom.okafor@haverstock.example")
    asker.get_by_role("button", name="Ask for access to an organisation").click()
    assert_accessible(asker)
    asker.get_by_label("Search for your organisation").fill("Aldgate")
    asker.get_by_role("button", name="Search").click()
    assert_accessible(asker)
    asker.get_by_role("link", name="The Aldgate School").click()
    asker.get_by_role("button", name="Send request").click()
    expect(asker.locator(".govuk-error-summary")).to_contain_text("Enter why you need access")
    assert_accessible(asker)
    asker.get_by_label("Why do you need access?").fill("I support the school's network on Fridays")
    asker.get_by_role("button", name="Send request").click()
    expect(asker.locator("h1")).to_have_text("Your requests for access")
    assert_accessible(asker)

    sign_in(approver, base, "priya.shah@aldgate-school.example")
    approver.get_by_role("link", name="Manage users at The Aldgate School").click()
    assert_accessible(approver)
    approver.get_by_role("link", name="1 request for access waiting for you").click()
    assert_accessible(approver)
    approver.get_by_role("link", name="Tom Okafor").click()
    assert_accessible(approver)
    approver.get_by_label("Approve as editor").check()
    approver.get_by_role("button", name="Save decision").click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text("Tom Okafor now has access as editor")
    approver.get_by_role("link", name="Invite someone").first.click()
    assert_accessible(approver)
    approver.get_by_label("Email address").fill("new.colleague@aldgate-school.example")
    approver.get_by_label("Viewer").check()
    approver.get_by_role("button", name="Send invitation").click()
    approver.get_by_role("link", name="Change role for Tom Okafor").click()
    assert_accessible(approver)
    approver.get_by_role("link", name="Back", exact=True).click()
    approver.get_by_role("link", name="Audit trail").click()
    expect(approver.locator("table")).to_contain_text("Access request approved")
    expect(approver.locator("table")).to_contain_text("Invited")
    assert_accessible(approver)

    asker.goto(base + "/account")
    expect(asker.locator("main")).to_contain_text("The Aldgate School")
    asker.get_by_role("link", name="Change which organisation you are working on").click()
    assert_accessible(asker)
    asker.get_by_label("The Aldgate School (editor)").check()
    asker.get_by_role("button", name="Continue").click()
    expect(asker.locator(".govuk-inset-text")).to_contain_text("You are working on The Aldgate School")
    asker_context.close()
    approver_context.close()


def test_sign_out_ends_the_provider_session_too(page, live_server, demo_world, assert_accessible):
    sign_in(page, live_server.url, "daniel.evans@camden.example")
    page.get_by_role("link", name="Sign out").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("You have signed out")
    assert_accessible(page)
    page.goto(live_server.url + "/account")
    # The provider asks for a password again: its session ended with ours.
    expect(page.get_by_label("Password")).to_be_visible()


def test_support_pages_are_accessible(page, live_server, demo_world, assert_accessible):
    sign_in(page, live_server.url, "sam.support@education.example")
    page.get_by_role("link", name="Support", exact=True).click()
    assert_accessible(page)
    page.get_by_role("navigation", name="Support").get_by_role("link", name="Audit trail").click()
    expect(page.locator("h1")).to_have_text("Audit trail")
    assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_when_the_token_endpoint_is_down_sign_in_fails_kindly_and_try_again_works(
    browser, live_server, demo_world, signin_settings, assert_accessible, javascript
):
    working = signin_settings.OIDC_OP_TOKEN_ENDPOINT
    signin_settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{_free_port()}/token/"  # connection refused
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill("priya.shah@aldgate-school.example")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Sorry, we could not sign you in")
    assert_accessible(page)
    signin_settings.OIDC_OP_TOKEN_ENDPOINT = working
    page.get_by_role("button", name="Try again").click()  # the provider still knows the person
    expect(page.locator("h1")).to_have_text("Your account")
    context.close()
