"""Access requests waiting for an approver: a nudge after 2 days; support hears at 5 (accounts' rule)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from schooltech.accounts import reminders
from schooltech.accounts import services as account_services
from schooltech.notifications import reminders as run
from schooltech.notifications.models import OutboxMessage, SentReminder
from tests.factories import EstablishmentFactory, UserFactory, make_access_request

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def asker(db):
    return UserFactory(username="asker", email="asker@example.org", first_name="Ada", last_name="Asker")


def request_made(asker, organisation, at):
    access_request = make_access_request(asker, organisation)
    type(access_request).objects.filter(pk=access_request.pk).update(created_at=at)
    access_request.refresh_from_db()
    return access_request


def test_approvers_are_nudged_after_two_days(school, approver, editor, outsider, asker, now, sent_to):
    access_request = request_made(asker, school, now - 2 * DAY)

    assert reminders.access_requests_nudge(now=now) == 1

    assert sent_to("access_request_waiting") == ["head@oak.example"]
    message = OutboxMessage.objects.get()
    assert message.personalisation == {
        "organisation_name": "Oak Primary School",
        "requester_name": "Ada Asker",
        "requester_email": "asker@example.org",
        "days_waiting": "2 days",
        "review_url": (f"http://127.0.0.1:8000/manage/establishment-800001/requests/{access_request.pk}"),
        "preferences_url": "http://127.0.0.1:8000/account/email-preferences",
    }
    assert SentReminder.objects.get().subject == access_request


def test_no_nudge_before_two_days_after_an_answer_or_twice(school, approver, asker, now):
    waiting = request_made(asker, school, now - 2 * DAY + datetime.timedelta(minutes=1))
    assert reminders.access_requests_nudge(now=now) == 0

    waiting.status = "approved"
    waiting.save()
    assert reminders.access_requests_nudge(now=now + DAY) == 0

    request_made(UserFactory(), school, now - 3 * DAY)
    assert reminders.access_requests_nudge(now=now) == 1
    assert reminders.access_requests_nudge(now=now + DAY) == 0


def test_requests_passed_to_support_are_left_to_support(school, approver, asker, now, settings):
    request_made(asker, school, now - 6 * DAY)

    counts = dict(run.enqueue_due(now=now))

    assert counts["access requests waiting for an approver"] == 1
    assert counts["access requests: nudges to approvers"] == 0
    assert OutboxMessage.objects.get().to_email == settings.SUPPORT_EMAIL


def test_trust_approvers_are_not_nudged_about_a_schools_own_request(member, asker, now, sent_to):
    from tests.factories import AcademyFactory

    academy = AcademyFactory(name="Birch Academy")
    member("director@trust.example", academy.trust, "approver")
    member("head@birch.example", academy, "approver")
    request_made(asker, academy, now - 3 * DAY)
    request_made(UserFactory(), academy.trust, now - 3 * DAY)

    assert reminders.access_requests_nudge(now=now) == 2
    assert sorted(OutboxMessage.objects.values_list("to_email", "organisation_name")) == [
        ("director@trust.example", academy.trust.name),
        ("head@birch.example", "Birch Academy"),
    ]


@pytest.mark.parametrize(("frequency", "sent"), [("immediately", 1), ("weekly", 0), ("never", 0)])
def test_preferences_decide_whether_nudges_come_now(school, approver, asker, now, prefer, frequency, sent):
    prefer(approver, access_request_waiting=frequency)
    request_made(asker, school, now - 3 * DAY)
    assert reminders.access_requests_nudge(now=now) == sent


def test_department_approvers_are_nudged_about_requests_to_join_the_department(member, asker, now, sent_to):
    from schooltech.organisations.reference import DEPARTMENT

    member("lead@education.example", DEPARTMENT, "approver")
    request_made(asker, DEPARTMENT, now - 2 * DAY)

    assert reminders.access_requests_nudge(now=now) == 1
    message = OutboxMessage.objects.get()
    assert (message.to_email, message.organisation_id) == ("lead@education.example", "")
    assert message.personalisation["review_url"].endswith(
        "/manage/department/requests/" + str(SentReminder.objects.get().subject_id)
    )


def test_an_access_request_waiting_too_long_is_escalated_to_support_once(settings, django_capture_on_commit_callbacks):
    request = make_access_request(UserFactory(email="asker@example.org"), EstablishmentFactory(name="Oak Primary"))
    later = timezone.now() + datetime.timedelta(days=settings.ACCESS_REQUEST_ESCALATION_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.access_requests_waiting(now=later) == 1
        assert reminders.access_requests_waiting(now=later) == 0
    escalation = OutboxMessage.objects.get(template_key="access_request_escalated")
    assert escalation.to_email == settings.SUPPORT_EMAIL
    assert escalation.personalisation["organisation_name"] == "Oak Primary"
    assert escalation.dedupe_key == f"access-request-escalated-{request.pk}"


def test_one_request_that_fails_to_escalate_is_logged_and_the_others_still_go_to_support(
    school, other_school, caplog, monkeypatch
):
    week_ago = timezone.now() - 7 * DAY  # the command runs at the real time
    broken = request_made(UserFactory(email="broken@example.org"), school, week_ago)
    fine = request_made(UserFactory(email="fine@example.org"), other_school, week_ago)
    display_name = account_services.display_name

    def broken_for_one_requester(user):
        if user.email == "broken@example.org":
            raise ValueError("this requester's record is broken")
        return display_name(user)

    monkeypatch.setattr(account_services, "display_name", broken_for_one_requester)

    call_command("escalate_access_requests", stdout=StringIO())

    [escalation] = OutboxMessage.objects.filter(template_key="access_request_escalated")
    assert escalation.dedupe_key == f"access-request-escalated-{fine.pk}"
    broken.refresh_from_db()
    assert broken.escalated_at is None  # its savepoint was rolled back: it is tried again next run
    [logged] = [record for record in caplog.records if record.getMessage() == "Scheduled job skipped a record"]
    assert (logged.record, logged.reason) == (
        f"access request {broken.pk}",
        "ValueError: this requester's record is broken",
    )
