"""Peer support in a real browser, JavaScript on and off, axe on every page: a school offers help, a
school nearby finds it from an unmet requirement, asks, the helper accepts, the asker marks it done and
gives feedback; the trust and the department see their views."""

import pytest
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.organisations.reference import DEPARTMENT
from schooltech.peer.models import HelpRequest, Offer
from schooltech.peer.tests.conftest import assess
from schooltech.standards import services as standards_services
from tests.e2e.sessions import sign_in
from tests.factories import AcademyFactory, EstablishmentFactory, TrustFactory, UserFactory, make_membership

pytestmark = pytest.mark.browser


@pytest.fixture
def peers(transactional_db):
    standards_services.catalogue_load()
    trust = TrustFactory(uid="7301", name="Browser Peer Trust")
    helper = AcademyFactory(
        urn="630001",
        name="Helping Academy",
        trust=trust,
        ofsted_phase="Secondary",
        region="London",
        easting=530000,
        northing=180000,
        number_of_pupils=900,
        town="Camden",
    )
    assess(helper, "broadband", {"full_fibre": "meets", "speed": "meets"})
    asker = EstablishmentFactory(
        urn="630002",
        name="Asking School",
        ofsted_phase="Secondary",
        region="London",
        easting=531200,
        northing=181600,
        number_of_pupils=1000,
    )
    assess(asker, "broadband", {"full_fibre": "does_not_meet", "speed": "meets"})
    people = {}
    for key, organisation, role in (
        ("helper", helper, Role.APPROVER),
        ("asker", asker, Role.EDITOR),
        ("trust", trust, Role.VIEWER),
        ("department", DEPARTMENT, Role.RISK_REVIEWER),
    ):
        people[key] = UserFactory(email=f"{key}@peer.example", first_name=key.capitalize(), last_name="Person")
        make_membership(people[key], organisation, role)
    return people


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_offer_find_ask_accept_done_and_feedback(browser, live_server, peers, assert_accessible, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    base = live_server.url

    # The helping school's approver offers help
    sign_in(page, live_server, peers["helper"])
    page.goto(f"{base}/peer-support")
    assert_accessible(page)
    page.get_by_role("link", name="Helping Academy").click()
    assert_accessible(page)
    page.get_by_role("button", name="Offer help").click()
    expect(page.locator("h1")).to_have_text("Which requirements can your school help with?")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one requirement")
    assert_accessible(page)
    page.get_by_label("Broadband internet: Use a full-fibre connection").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("How many requests can you take a term?")
    page.get_by_label("How many requests can you take a term?").fill("nine thousand")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("whole number")
    assert_accessible(page)
    page.get_by_label("How many requests can you take a term?").fill("2")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Which schools can you help?")
    assert_accessible(page)
    page.get_by_label("Any phase").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("A short note for schools asking (optional)")
    assert_accessible(page)
    page.get_by_label("A short note for schools asking (optional)").fill("We moved to full fibre last year.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your offer of help")
    assert_accessible(page)
    page.get_by_role("link", name="Change requirements you help with").click()
    expect(page.get_by_label("Broadband internet: Use a full-fibre connection")).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your offer of help")
    page.get_by_role("button", name="Offer help").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now offers peer support")
    assert Offer.objects.get().topics.count() == 1
    page.get_by_role("link", name="Stop offering help").click()
    assert_accessible(page)
    page.go_back()

    # The asking school finds it from its unmet requirement and asks
    sign_in(page, live_server, peers["asker"])
    page.goto(f"{base}/schools/630002/standards/broadband/results")
    page.get_by_role("link", name="Find schools like yours that meet this").first.click()
    expect(page.locator("h1")).to_contain_text("Schools that can help")
    expect(page.locator(".govuk-summary-card")).to_contain_text("About 2 km")
    assert_accessible(page)
    page.get_by_label("Distance").select_option("5")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Helping Academy")
    page.get_by_role("link", name="Ask for help").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a message to the school")
    assert_accessible(page)
    page.get_by_label("Your message").fill("We still have copper. Could we visit?")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your request before sending it")
    assert_accessible(page)
    page.get_by_role("button", name="Change your message").click()
    expect(page.get_by_label("Your message")).to_have_value("We still have copper. Could we visit?")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("h1")).to_contain_text("Request for help")
    expect(page.locator("main")).not_to_contain_text("helper@peer.example")
    assert_accessible(page)
    request_number = HelpRequest.objects.get().pk

    # The helper accepts
    sign_in(page, live_server, peers["helper"])
    page.goto(f"{base}/schools/630001/peer-support")
    page.get_by_role("link", name="Use a full-fibre connection").first.click()
    expect(page.locator("main")).not_to_contain_text("asker@peer.example")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether you can help")
    assert_accessible(page)
    page.get_by_label("Yes, accept and share our contact details").check()
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator("main")).to_contain_text("asker@peer.example")
    assert_accessible(page)

    # The asker marks it done and says how it went
    sign_in(page, live_server, peers["asker"])
    page.goto(f"{base}/schools/630002/peer-support/requests/{request_number}")
    expect(page.locator("main")).to_contain_text("helper@peer.example")
    page.get_by_role("button", name="Mark as done").click()
    page.get_by_role("link", name="Tell us if the help made a difference").click()
    assert_accessible(page)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you")
    assert HelpRequest.objects.get().helpful is True

    # The trust and the department
    sign_in(page, live_server, peers["trust"])
    page.goto(f"{base}/organisations/trust-7301/peer-support")
    expect(page.locator("table")).to_contain_text("Helping Academy")
    assert_accessible(page)
    sign_in(page, live_server, peers["department"])
    page.goto(f"{base}/organisations/department/peer-support")
    expect(page.locator("main")).to_contain_text("London")
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_school_that_meets_nothing_is_told_so(browser, live_server, transactional_db, assert_accessible, javascript):
    school = EstablishmentFactory(urn="630009", name="Starting School")
    head = UserFactory(email="head@starting.example")
    make_membership(head, school, Role.APPROVER)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, live_server, head)
    page.goto(f"{live_server.url}/schools/630009/peer-support/offer")
    expect(page.locator("main")).to_contain_text("do not meet any requirement yet")
    assert_accessible(page)
    context.close()
