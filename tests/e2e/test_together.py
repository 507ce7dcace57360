"""Assess together in a real browser, with JavaScript on and off, and axe on every page: a trust's
approver answers network cabling once for two of its schools, each school gets its own results,
and the approver reads a school's audit trail (who can see it, and the answers given together)."""

import pytest
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.standards import services
from schooltech.standards.models import Assessment
from tests.e2e.sessions import sign_in
from tests.factories import AcademyFactory, TrustFactory, UserFactory, make_membership


@pytest.fixture
def trust_world(transactional_db):
    services.catalogue_load()
    trust = TrustFactory(uid="E2E77", name="Together Test Trust")
    schools = [
        AcademyFactory(urn=f"61000{n}", name=f"Together Academy {n}", trust=trust, phase_code="4") for n in range(3)
    ]
    director = UserFactory(email="director@together.example", first_name="Grace", last_name="Lee")
    make_membership(director, trust, Role.APPROVER)
    return trust, schools, director


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_trust_answers_cabling_once_for_two_schools(
    page, no_js_page, live_server, trust_world, assert_accessible, javascript
):
    page = page if javascript else no_js_page
    trust, schools, director = trust_world
    sign_in(page, live_server, director)
    page.goto(f"{live_server.url}/organisations/trust-{trust.uid}/standards")
    page.get_by_role("link", name="Assess together: answer a standard once for several of your schools").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess together")
    assert_accessible(page)
    page.get_by_role("button", name="Start answering together").click()

    page.get_by_role("button", name="Continue").click()  # nothing chosen
    expect(page.get_by_role("link", name="Select a standard")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Network cabling").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Which schools are these answers for?")
    page.get_by_role("button", name="Continue").click()  # no school chosen
    expect(page.get_by_role("link", name="Select at least one school")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Together Academy 0").check()
    if javascript:
        page.get_by_label("Together Academy 1").focus()
        page.keyboard.press("Space")  # by keyboard
    else:
        page.get_by_label("Together Academy 1").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What type of network cabling do you have?")
    expect(page.get_by_text("Together Test Trust, for 2 schools")).to_be_visible()
    assert_accessible(page)
    for label in ("Category 6A throughout", "By fibre optic cable", "Yes"):
        page.get_by_label(label, exact=True).check()
        page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.get_by_role("main")).to_contain_text("Together Academy 1")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for 2 schools").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Network cabling: answers shared")
    expect(page.get_by_role("table")).to_contain_text("Together Academy 0")
    expect(page.get_by_role("table")).not_to_contain_text("Together Academy 2")
    assert_accessible(page)
    assert Assessment.objects.filter(shared_from__isnull=False, state="submitted").count() == 2

    page.get_by_role("link", name="See its results for Together Academy 0").click()
    expect(page.locator("#answered-together")).to_contain_text("Together Test Trust")
    assert_accessible(page)

    # The trust's approver reads the school's audit trail (it has no approver of its own).
    page.goto(f"{live_server.url}/manage/establishment-{schools[0].urn}/audit")
    expect(page.get_by_role("heading", name="Who can see this trail")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("has no approver of its own")
    expect(page.get_by_role("table")).to_contain_text("Started from Together Test Trust’s answers given together")
    assert_accessible(page)
    page.goto(f"{live_server.url}/manage/trust-{trust.uid}/audit")
    expect(page.get_by_role("link", name="Together Academy 1").first).to_be_visible()
    assert_accessible(page)
