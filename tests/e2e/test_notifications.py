"""Notification pages in a real browser: support's outbox, a message and its retry, email
preferences and the fake Notify's sent-emails page, all with zero axe violations."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from devtools.fake_notify import FakeNotify
from schooltech.notifications import services
from schooltech.notifications.models import OutboxMessage
from tests.e2e import sessions

APPROVED = {"organisation_name": "Oak Academy", "role": "IT lead", "service_url": "https://example.org/"}


def sign_in(page, live_server, *, is_staff: bool) -> None:
    user = get_user_model().objects.create_user(
        "support" if is_staff else "person", "someone@example.org", is_staff=is_staff, first_name="Sam"
    )
    sessions.sign_in(page, live_server, user)


@pytest.fixture
def outbox(transactional_db):
    rejected = services.email_enqueue(
        to_email="head@oak.example.org", template_key="access_request_approved", personalisation=APPROVED
    )
    OutboxMessage.objects.filter(pk=rejected.pk).update(
        status=OutboxMessage.Status.REJECTED,
        attempts=1,
        last_error="Attempt 1: 400 BadRequestError: Template not found",
    )
    for number in range(3):
        services.email_enqueue(
            to_email=f"person{number}@example.org", template_key="access_request_approved", personalisation=APPROVED
        )
    return rejected


@pytest.mark.parametrize("query", ["", "?status=rejected", "?status=exploded", "?email=nobody"])
def test_outbox_pages_have_no_accessibility_violations(page, live_server, outbox, assert_accessible, query):
    sign_in(page, live_server, is_staff=True)
    page.goto(f"{live_server.url}/support/emails{query}")
    expect(page.locator("h1")).to_have_text("Emails sent by the service")
    assert_accessible(page)


def test_support_filters_failures_and_sends_one_again_without_javascript(
    no_js_page, live_server, outbox, assert_accessible
):
    page = no_js_page
    sign_in(page, live_server, is_staff=True)
    page.goto(f"{live_server.url}/support/emails")
    page.get_by_label("Status").select_option("rejected")
    page.get_by_role("button", name="Filter emails").click()
    expect(page.get_by_role("heading", name="1 email")).to_be_visible()
    page.get_by_role("link", name="head@oak.example.org").click()
    expect(page.get_by_text("Template not found")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send this email again").click()
    expect(page.get_by_text("The email will be sent again")).to_be_visible()
    assert_accessible(page)
    outbox.refresh_from_db()
    assert outbox.status == OutboxMessage.Status.PENDING


def test_the_outbox_is_refused_to_people_who_are_not_support(page, live_server, outbox, assert_accessible):
    sign_in(page, live_server, is_staff=False)
    response = page.goto(f"{live_server.url}/support/emails")
    assert response.status == 403
    assert_accessible(page)


def test_preferences_are_saved_and_errors_are_accessible(page, live_server, transactional_db, assert_accessible):
    sign_in(page, live_server, is_staff=False)
    page.goto(f"{live_server.url}/account/email-preferences")
    assert_accessible(page)
    page.get_by_role("group", name="Contract notice deadlines").get_by_label("In a weekly summary email").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your email preferences have been saved")).to_be_visible()
    expect(
        page.get_by_role("group", name="Contract notice deadlines").get_by_label("In a weekly summary email")
    ).to_be_checked()
    assert_accessible(page)


def test_the_fake_notify_sent_emails_page_has_no_accessibility_violations(page, assert_accessible):
    from notifications_python_client.notifications import NotificationsAPIClient

    from schooltech.notifications import templates

    fake = FakeNotify(api_keys=[settings.NOTIFY_API_KEY], receipt_delay=0).start()
    try:
        NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=fake.url).send_email_notification(
            email_address="jo@example.org",
            template_id=templates.get_template("access_request_approved").template_id,
            personalisation=APPROVED,
            reference="e2e",
        )
        page.goto(fake.url + "/")
        expect(page.locator("h1")).to_have_text("Sent emails")
        expect(page.get_by_text("You can now use Plan and manage school technology for Oak Academy")).to_be_visible()
        assert_accessible(page)
    finally:
        fake.stop()
