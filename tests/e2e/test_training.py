"""Training, sharing and print pages in a real browser, with JavaScript on and off: the catalogue, a
course, support's correction, a school's training and recording it (partly by keyboard), removing a
record, sharing a recommendation, results and the plan summary, and the print pages. Zero axe
violations on each."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schooltech.accounts.models import Role
from schooltech.notifications.models import OutboxMessage
from schooltech.planning import services as planning_services
from schooltech.standards import selectors as standards_selectors
from schooltech.standards import services as standards_services
from schooltech.standards.models import Assessment, Recommendation, Status
from schooltech.training import services
from schooltech.training.models import TrainingRecord
from tests.e2e import sessions
from tests.factories import EstablishmentFactory, UserFactory, make_membership

BOTH = pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])


@pytest.fixture
def world(transactional_db):
    standards_services.catalogue_load()
    services.catalogue_load()
    school = EstablishmentFactory(urn="700123", name="Birch Primary School", phase_code="2")
    editor = UserFactory(email="editor@birch.example", first_name="Eve", last_name="Editor")
    make_membership(editor, school, Role.EDITOR)
    standard = standards_selectors.current_standard(key="broadband")
    Assessment.objects.create(
        establishment=school,
        standard=standard,
        standard_key="broadband",
        state=Assessment.State.SUBMITTED,
        phase_group="primary",
        answers={"technology": "copper"},
        results=[{"requirement": "full_fibre", "status": Status.DOES_NOT_MEET, "reasons": ["Copper"], "unknowns": []}],
        overall_status=Status.DOES_NOT_MEET,
        submitted_at=timezone.now(),
    )
    recommendation = Recommendation.objects.create(
        establishment=school,
        standard_key="broadband",
        requirement_key="full_fibre",
        kind=Recommendation.Kind.ACTION,
        title="Use a full-fibre connection",
        detail="Move to full fibre.",
    )
    planning_services.plan_generate(establishment=school)
    return {"school": school, "editor": editor, "recommendation": recommendation}


def _page(request, javascript):
    return request.getfixturevalue("page" if javascript else "no_js_page")


@BOTH
def test_the_catalogue_and_a_course(request, live_server, world, assert_accessible, javascript):
    page = _page(request, javascript)
    page.goto(f"{live_server.url}/training/")
    expect(page.locator("h1")).to_have_text("Training for the digital and technology standards")
    assert_accessible(page)
    page.get_by_label("Cost").select_option("paid")
    page.get_by_role("button", name="Show courses").click()
    expect(page.get_by_role("heading", name="1 course")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cyber Essentials certification").click()
    expect(page.locator("h1")).to_have_text("Cyber Essentials certification")
    assert_accessible(page)


@BOTH
def test_support_corrects_a_course(request, live_server, world, assert_accessible, javascript):
    page = _page(request, javascript)
    sessions.sign_in(page, live_server, UserFactory(email="support@dfe.example", is_staff=True))
    page.goto(f"{live_server.url}/training/kcsie/change")
    assert_accessible(page)
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("Keeping children safe in education 2026")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("h1")).to_have_text("Keeping children safe in education 2026")
    expect(page.get_by_text("For support")).to_be_visible()
    assert_accessible(page)


@BOTH
def test_a_school_records_training_and_removes_it(request, live_server, world, assert_accessible, javascript):
    page = _page(request, javascript)
    school = world["school"]
    sessions.sign_in(page, live_server, world["editor"])
    page.goto(f"{live_server.url}/schools/{school.urn}/training")
    expect(page.locator("h1")).to_have_text("Training")
    assert_accessible(page)
    page.get_by_role("button", name="Record training").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save training record").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Which course or guidance was completed?").select_option("ncsc-staff-cyber-training")
    page.get_by_label("Governors or trustees").check()
    people = page.get_by_label("How many people completed it?")
    people.focus()
    page.keyboard.type("2")
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Year").press("Enter")
    expect(page.get_by_text("Training recorded")).to_be_visible()
    expect(page.get_by_text("By 14 October 2027")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Remove").click()
    expect(page.locator("h1")).to_have_text("Are you sure you want to remove this training record?")
    assert_accessible(page)
    page.get_by_role("button", name="Remove the record").click()
    expect(page.get_by_text("Training record removed")).to_be_visible()
    assert not TrainingRecord.objects.exists()


@BOTH
def test_share_pages_send_to_the_named_people_only(request, live_server, world, assert_accessible, javascript):
    page = _page(request, javascript)
    school, recommendation = world["school"], world["recommendation"]
    sessions.sign_in(page, live_server, world["editor"])
    starts = [
        (f"/schools/{school.urn}/standards/recommendations/{recommendation.pk}", "Share this recommendation by email"),
        (f"/schools/{school.urn}/standards/broadband/results", "Share these results by email"),
        (f"/schools/{school.urn}/plan/", "Share the plan's summary by email"),
    ]
    for number, (start, link) in enumerate(starts):
        page.goto(f"{live_server.url}{start}")
        page.get_by_role("link", name=link).click()
        assert_accessible(page)
        page.get_by_label("Email addresses").fill("not an address")
        page.get_by_role("button", name="Send email").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Email addresses").fill(f"governor{number}@example.org")
        page.get_by_label("Your message (optional)").fill("Please read before the meeting")
        page.get_by_role("button", name="Send email").click()
        expect(page.get_by_text("Shared with 1 person")).to_be_visible()
    assert sorted(OutboxMessage.objects.values_list("to_email", flat=True)) == [
        "governor0@example.org",
        "governor1@example.org",
        "governor2@example.org",
    ]


@BOTH
def test_print_pages(request, live_server, world, assert_accessible, javascript):
    page = _page(request, javascript)
    school, recommendation = world["school"], world["recommendation"]
    sessions.sign_in(page, live_server, world["editor"])
    page.goto(f"{live_server.url}/schools/{school.urn}/standards/recommendations/{recommendation.pk}")
    page.get_by_role("link", name="Print this recommendation").click()
    expect(page.get_by_text("Birch Primary School (URN 700123)")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/schools/{school.urn}/standards/broadband/results")
    page.get_by_role("link", name="Print these results").click()
    expect(page.locator("h1")).to_have_text("Broadband internet: results")
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".govuk-header")).to_be_hidden()
    expect(page.get_by_text("Birch Primary School (URN 700123)")).to_be_visible()
