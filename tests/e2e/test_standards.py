"""The standards self-assessment in a real browser, with JavaScript on and off, and axe on every
standards page. All twelve standards are completed through the pages in both modes; the scoring
of every answer is covered in schooltech/standards/tests."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.standards import services
from schooltech.standards.models import Assessment, Recommendation, Status
from tests.answers import BEST, WORST
from tests.e2e.sessions import sign_in
from tests.factories import (
    AcademyFactory,
    EstablishmentFactory,
    TrustFactory,
    UserFactory,
    make_membership,
)


@pytest.fixture
def school(transactional_db):
    services.catalogue_load()
    trust = TrustFactory(uid="E2E01", name="Browser Test Trust")
    establishment = AcademyFactory(urn="600001", name="Birch Primary Academy", trust=trust, phase_code="2")
    for n in range(3):
        AcademyFactory(urn=f"60001{n}", name=f"Other Academy {n}", trust=trust, phase_code="4")
    editor = UserFactory(email="it.lead@birch.example", first_name="Ira", last_name="Lead")
    make_membership(editor, establishment, Role.EDITOR)
    make_membership(editor, trust, Role.VIEWER)
    return establishment, trust, editor


def submit(establishment, standard_key, answers):
    assessment = services.assessment_start(establishment=establishment, standard_key=standard_key, user=None)
    assessment.answers = answers
    assessment.save()
    return services.assessment_submit(assessment=assessment, user=None)


def test_a_school_assesses_broadband_with_javascript_and_the_keyboard(page, live_server, school, assert_accessible):
    establishment, _, editor = school
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/schools/{establishment.urn}/standards")
    assert_accessible(page)
    page.get_by_role("link", name="Broadband internet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Broadband internet")
    assert_accessible(page)
    page.get_by_role("button", name="Start the assessment").click()

    page.get_by_role("button", name="Continue").click()  # nothing chosen
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_role("link", name="Select an answer").click()
    expect(page.get_by_label("Full fibre to the building, or a leased line")).to_be_focused()

    # Keyboard only: the focused radio is chosen with Space and the form submitted with Enter.
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What download speed is your main connection contracted to give?"
    )
    assert_accessible(page)
    for label in (
        "100 Mbps or more, but less than 1 Gbps",
        "30 Mbps or more, but less than 1 Gbps",
        "I don't know",
        "Yes, all of it",
    ):
        page.get_by_label(label).check()
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit assessment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Broadband internet: your results")
    assert_accessible(page)
    assessment = Assessment.objects.get()
    statuses = {r["requirement"]: r["status"] for r in assessment.results}
    assert statuses == {
        "full_fibre": Status.MEETS,
        "speed": Status.MEETS,  # a primary: 100 down and 30 up are enough
        "backup_connection": Status.NOT_ASSESSED,
        "filtering_firewall": Status.MEETS,
    }
    expect(page.get_by_role("link", name="Find out: If your main connection fails")).to_be_visible()


def test_a_school_assesses_cabling_with_javascript_off(no_js_page, live_server, school, assert_accessible):
    page = no_js_page
    establishment, _, editor = school
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/schools/{establishment.urn}/standards/cabling")
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Select an answer")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("A mix, including older cabling such as Cat 5e or Cat 6").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers to Network cabling are saved")).to_be_visible()
    page.get_by_role("link", name="Network cabling").click()
    page.get_by_role("button", name="Continue your assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How are your separate buildings or comms rooms linked?")
    page.get_by_role("link", name="Back", exact=True).click()  # back to the first question, answer kept
    expect(page.get_by_label("A mix, including older cabling such as Cat 5e or Cat 6")).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("We have one building and one comms room").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change What type of network cabling do you have?").click()
    page.get_by_label("Category 6A throughout").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network cabling: your results")
    assert_accessible(page)
    assert Assessment.objects.get().overall_status == Status.PARTLY

    page.get_by_role("link", name="Use an approved installer who tests and guarantees the work", exact=True).click()
    page.get_by_role("button", name="Update progress").click()
    expect(page.get_by_label("Not started")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("In progress").check()
    page.get_by_label("Notes").fill("Quote requested from two installers")
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_text("Updated: progress set to in progress, notes changed")).to_be_visible()
    assert_accessible(page)
    assert Recommendation.objects.get(requirement_key="installer").progress == "in_progress"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_when_did_you_last_is_answered_with_a_date_and_who_did_it(
    page, no_js_page, live_server, school, assert_accessible, javascript
):
    from schooltech.standards.models import DutyRecord

    browser_page = page if javascript else no_js_page
    establishment, _, editor = school
    sign_in(browser_page, live_server, editor)
    browser_page.goto(f"{live_server.url}/schools/{establishment.urn}/standards/filtering_monitoring")
    browser_page.get_by_role("button", name="Start the assessment").click()
    browser_page.get_by_label("Yes, both").check()
    browser_page.get_by_role("button", name="Continue").click()
    heading = "When did you last review your filtering and monitoring?"
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(heading)
    browser_page.get_by_label("On a date (enter it below)").check()
    assert_accessible(browser_page)
    browser_page.get_by_role("button", name="Continue").click()
    expect(browser_page.get_by_role("link", name="Enter the date it was last done")).to_be_visible()
    assert_accessible(browser_page)
    done_on = datetime.date.today() - datetime.timedelta(days=30)
    browser_page.get_by_role("textbox", name="Day").fill(str(done_on.day))
    browser_page.get_by_role("textbox", name="Month").fill(str(done_on.month))
    browser_page.get_by_role("textbox", name="Year").fill(str(done_on.year))
    browser_page.get_by_label("Who did it (optional)").fill("Dee Lead")
    browser_page.get_by_role("button", name="Continue").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(
        "Did you write down the results of that review and what you will do about them?"
    )
    for _ in range(6):
        if browser_page.get_by_role("heading", name="Check your answers").count():
            break
        browser_page.get_by_role("radio").first.check()
        with browser_page.expect_navigation():  # the next check must see the next page
            browser_page.get_by_role("button", name="Continue").click()
    answered = f"{done_on.day} {done_on:%B %Y}, by Dee Lead (in the last 12 months)"
    expect(browser_page.get_by_text(answered)).to_be_visible()
    browser_page.get_by_role("button", name="Submit assessment").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Filtering and monitoring: your results")
    record = DutyRecord.objects.get(establishment=establishment)
    assert (record.duty_key, record.done_on, record.done_by) == ("filtering_monitoring_review", done_on, "Dee Lead")


def test_every_other_standards_page_is_accessible(page, live_server, school, assert_accessible):
    establishment, trust, editor = school
    first = submit(establishment, "cyber_security", WORST["cyber_security"])
    submit(establishment, "cyber_security", {**WORST["cyber_security"], "risk": "in_time"})
    submit(establishment, "broadband", BEST["broadband"])
    recommendation = Recommendation.objects.filter(establishment=establishment).first()
    phaseless = EstablishmentFactory(urn="600099", name="Unknown Phase School", phase_code="0")
    make_membership(editor, phaseless, Role.EDITOR)
    sign_in(page, live_server, editor)
    base = f"{live_server.url}/schools/{establishment.urn}/standards"
    matrix = f"{live_server.url}/organisations/trust-{trust.uid}/standards"
    pages = {
        f"{live_server.url}/standards": "Digital and technology standards",
        base: "Digital and technology standards",
        f"{base}/recommendations": "Recommendations",
        f"{base}/recommendations/{recommendation.pk}": recommendation.title,
        f"{base}/governors": "Digital and technology standards: summary for governors",
        f"{base}/assessments/{first.pk}": "Cyber security: earlier assessment",
        f"{base}/cyber_security/results": "Cyber security: your results",
        f"{live_server.url}/schools/600099/standards/phase": "Which thresholds apply to your school?",
        matrix: "Schools by standard",
        f"{matrix}?standard=broadband&status=meets&sort=broadband&order=desc": "Schools by standard",
    }
    for url, heading in pages.items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)


def test_the_trust_matrix_filters_sorts_and_downloads_without_javascript(no_js_page, live_server, school):
    page = no_js_page
    establishment, trust, editor = school
    submit(establishment, "broadband", BEST["broadband"])
    sign_in(page, live_server, editor)
    page.goto(f"{live_server.url}/organisations/trust-{trust.uid}/standards")
    expect(page.get_by_role("table")).to_contain_text("4 of 4 schools")
    page.get_by_label("Standard").select_option("broadband")
    page.get_by_label("Status").select_option("meets")
    page.get_by_role("button", name="Filter schools").click()
    expect(page.get_by_role("table")).to_contain_text("1 of 4 schools")
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("table")).to_contain_text("4 of 4 schools")
    page.get_by_role("link", name=re.compile(r"^School ?, sort descending$")).click()
    expect(page.locator("tbody tr").first).to_contain_text("Other Academy 2")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def _complete_every_standard_in_the_browser(page, live_server, establishment) -> list[str]:
    """Answer each standard's questions through the pages (the first answer each time) and submit."""
    from schooltech.standards import selectors

    completed = []
    for standard in selectors.current_standards():
        page.goto(f"{live_server.url}/schools/{establishment.urn}/standards/{standard.key}")
        with page.expect_navigation():
            page.get_by_role("button", name="Start the assessment").click()
        for _ in range(30):  # no questionnaire is this long; stops a loop that never reaches the end
            if page.get_by_role("heading", name="Check your answers").count():
                break
            page.get_by_role("radio").first.check()
            if page.get_by_role("textbox", name="Day").count():  # "when did you last…": on a date
                today = datetime.date.today()
                page.get_by_role("textbox", name="Day").fill(str(today.day))
                page.get_by_role("textbox", name="Month").fill(str(today.month))
                page.get_by_role("textbox", name="Year").fill(str(today.year))
            with page.expect_navigation():  # else the next check can run on this page before the next loads
                page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Submit assessment").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{standard.title}: your results")
        completed.append(standard.key)
    return completed


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_school_completes_all_twelve_assessments_in_the_browser(page, no_js_page, live_server, school, javascript):
    establishment, _, editor = school
    browser_page = page if javascript else no_js_page
    sign_in(browser_page, live_server, editor)
    completed = _complete_every_standard_in_the_browser(browser_page, live_server, establishment)
    assert len(completed) == 12
    submitted = Assessment.objects.filter(establishment=establishment, state="submitted")
    assert sorted(submitted.values_list("standard_key", flat=True)) == sorted(completed)
    browser_page.goto(f"{live_server.url}/schools/{establishment.urn}/standards")
    expect(browser_page.get_by_text("Not assessed")).to_have_count(0)
