"""Access requests waiting for an approver: a nudge after 2 days; support hears at 5 (accounts' rule)."""

import datetime

import pytest

from schooltech.notifications import reminders
from schooltech.notifications.models import OutboxMessage, SentReminder
from tests.factories import UserFactory, make_access_request

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

    counts = dict(reminders.enqueue_due(now=now))

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
    from schooltech.accounts.organisations import DEPARTMENT

    member("lead@education.example", DEPARTMENT, "approver")
    request_made(asker, DEPARTMENT, now - 2 * DAY)

    assert reminders.access_requests_nudge(now=now) == 1
    message = OutboxMessage.objects.get()
    assert (message.to_email, message.organisation_id) == ("lead@education.example", "")
    assert message.personalisation["review_url"].endswith(
        "/manage/department/requests/" + str(SentReminder.objects.get().subject_id)
    )
