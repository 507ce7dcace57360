"""The national picture in a real browser: axe on every insights page with JavaScript on and off, and a
school choosing what it shares with JavaScript off."""

import pytest
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.estate.models import ConnectionTechnology
from schooltech.insights import selectors, services
from schooltech.organisations.reference import DEPARTMENT
from tests.e2e.sessions import sign_in
from tests.factories import (
    AcademyFactory,
    ConnectionFactory,
    EstablishmentFactory,
    LocalAuthorityFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)

pytestmark = pytest.mark.browser


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


@pytest.fixture
def national(transactional_db):
    camden = LocalAuthorityFactory(code="202", name="Camden", region="London")
    trust = TrustFactory(uid="7101", name="Browser Trust")
    for number in range(7):
        school = AcademyFactory(
            urn=f"72000{number}",
            local_authority=camden,
            region="London",
            ofsted_phase="Primary",
            trust=trust,
            number_of_pupils=300 + number,
            idaci_quintile=3,
        )
        ConnectionFactory(establishment=school, technology=ConnectionTechnology.FTTP)
        services.sharing_choose(establishment=school, user=None, standards=False, estate=True, plans=False)
    EstablishmentFactory(urn="720099", local_authority=camden, region="London", ofsted_phase="Primary")
    services.snapshots_take()
    people = {}
    for key, organisation in (("department", DEPARTMENT), ("trust", trust), ("la", camden), ("school", school)):
        people[key] = UserFactory(email=f"{key}@national.example")
        make_membership(people[key], organisation, Role.VIEWER)
    return people


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_every_national_picture_page_is_accessible(browser, live_server, national, assert_accessible, javascript):
    pages = {
        "department": ["/insights/department/areas/england", "/insights/department/areas/region-london",
                       "/insights/department/areas/la-202?metric=estate.full_fibre&phase=Primary"],
        "trust": ["/insights/trust-7101"],
        "la": ["/insights/local-authority-202"],
        "school": ["/insights/establishment-720006"],
        None: ["/national-picture/methodology", "/national-picture/statistics"],
    }  # fmt: skip
    for person, paths in pages.items():
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        if person:
            sign_in(page, live_server, national[person])
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            expect(page.locator("h1")).to_be_visible()
            if person in ("department", "trust", "la", "school"):  # axe checks the download links too
                expect(page.get_by_role("link", name="OpenDocument (ODS)").first).to_be_visible()
            assert_accessible(page)
        context.close()


def test_the_department_drills_down_without_javascript(no_js_page, live_server, national, assert_accessible):
    page = no_js_page
    sign_in(page, live_server, national["department"])
    page.goto(live_server.url + "/insights/department")
    expect(page.locator("h1")).to_have_text("England")
    page.get_by_label("Compare areas on").select_option(label="Full fibre main connection")
    page.get_by_role("button", name="Show figures").click()
    page.get_by_role("link", name="London").click()
    expect(page.locator("h1")).to_have_text("London")
    page.get_by_role("link", name="Camden").click()
    expect(page.locator("h1")).to_have_text("Camden")
    assert_accessible(page)
