"""Contract notice deadlines: 90 and 30 days before the date notice must be given."""

import datetime

import pytest

from schooltech.estate import reminders
from schooltech.notifications.models import OutboxMessage, SentReminder
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def contract_with_deadline(school, deadline, notice_days=60, **fields):
    return ContractFactory(
        establishment=school,
        supplier="Acme Broadband Ltd",
        title="Broadband and filtering",
        end_date=deadline + notice_days * DAY,
        notice_days=notice_days,
        **fields,
    )


@pytest.mark.parametrize(
    ("days_to_deadline", "expected"),
    [(91, None), (90, 90), (31, 90), (30, 30), (1, 30), (0, 30), (-1, None)],
)
def test_which_notice_reminder_is_due_depends_on_the_days_left(today, days_to_deadline, expected):
    deadline = today + days_to_deadline * DAY
    found = reminders.contract_notice_occurrence(deadline, today)
    if expected is None:
        assert found is None
    else:
        assert found == (expected, deadline - expected * DAY)


def test_editors_and_approvers_hear_90_days_before_the_notice_deadline(
    school, editor, approver, viewer, outsider, now, today, sent_to
):
    contract = contract_with_deadline(school, today + 90 * DAY)

    assert reminders.contract_notice_deadlines(now=now) == 2

    assert sent_to("contract_notice_reminder") == ["editor@oak.example", "head@oak.example"]
    message = OutboxMessage.objects.filter(template_key="contract_notice_reminder").first()
    assert message.personalisation == {
        "organisation_name": "Oak Primary School",
        "supplier": "Acme Broadband Ltd",
        "contract_title": "Broadband and filtering",
        "notice_deadline": "30 May 2027",
        "days_left": "in 90 days",
        "end_date": "29 July 2027",
        "contract_url": f"http://127.0.0.1:8000/schools/800001/estate/contracts/{contract.pk}/",
        "preferences_url": "http://127.0.0.1:8000/account/email-preferences",
    }
    assert message.organisation == school
    ledger = SentReminder.objects.get(user=editor)
    assert (ledger.kind, ledger.subject, ledger.occurrence, ledger.message) == (
        reminders.KIND,
        contract,
        today,
        OutboxMessage.objects.get(to_email="editor@oak.example"),
    )


def test_links_use_the_service_base_url(school, editor, now, today, settings):
    settings.SERVICE_BASE_URL = "https://schooltech.example.gov.uk/"
    contract_with_deadline(school, today + 30 * DAY)
    reminders.contract_notice_deadlines(now=now)
    message = OutboxMessage.objects.get()
    assert message.personalisation["contract_url"].startswith("https://schooltech.example.gov.uk/schools/800001/")
    assert message.personalisation["preferences_url"] == "https://schooltech.example.gov.uk/account/email-preferences"


def test_nothing_is_sent_before_90_days_or_after_the_deadline(school, editor, now, today):
    contract_with_deadline(school, today + 91 * DAY)
    contract_with_deadline(school, today - DAY)
    ContractFactory(establishment=school, end_date=today + 60 * DAY, notice_days=None)
    ContractFactory(establishment=school, end_date=None, notice_days=30)

    assert reminders.contract_notice_deadlines(now=now) == 0
    assert not OutboxMessage.objects.exists()


def test_each_reminder_is_sent_once_then_the_30_day_one_follows(school, editor, now, today):
    contract_with_deadline(school, today + 90 * DAY, notice_days=45)

    assert reminders.contract_notice_deadlines(now=now) == 1
    assert reminders.contract_notice_deadlines(now=now) == 0
    assert reminders.contract_notice_deadlines(now=now + 59 * DAY) == 0  # still the 90-day window
    assert reminders.contract_notice_deadlines(now=now + 60 * DAY) == 1
    assert reminders.contract_notice_deadlines(now=now + 75 * DAY) == 0

    days_left = sorted(OutboxMessage.objects.values_list("personalisation__days_left", flat=True))
    assert days_left == ["in 30 days", "in 90 days"]


def test_a_missed_day_is_caught_up_with_the_days_actually_left(school, editor, now, today):
    contract_with_deadline(school, today + 75 * DAY)
    assert reminders.contract_notice_deadlines(now=now) == 1
    message = OutboxMessage.objects.get()
    assert message.personalisation["days_left"] == "in 75 days"
    assert SentReminder.objects.get().occurrence == today - 15 * DAY


def test_the_owner_hears_when_their_email_is_the_owner_and_they_can_see_the_school(
    school, viewer, outsider, now, today, sent_to
):
    contract_with_deadline(school, today + 30 * DAY, owner="Governor (GOVERNOR@oak.example)")
    contract_with_deadline(school, today + 30 * DAY, owner="it@elm.example")  # cannot see Oak
    contract_with_deadline(school, today + 30 * DAY, owner="School business manager")

    assert reminders.contract_notice_deadlines(now=now) == 1
    assert sent_to("contract_notice_reminder") == ["governor@oak.example"]


def test_trust_editors_hear_about_their_academies_but_not_local_authority_viewers(member, now, today, sent_to):
    from tests.factories import AcademyFactory, LocalAuthorityFactory

    authority = LocalAuthorityFactory(code="871")
    academy = AcademyFactory(name="Birch Academy", local_authority=authority)
    member("director@trust.example", academy.trust, "editor")
    member("officer@la.example", authority, "editor")  # an academy is not a maintained school
    member("adviser@trust.example", academy.trust, "viewer")
    contract_with_deadline(academy, today + 30 * DAY)

    reminders.contract_notice_deadlines(now=now)

    assert sent_to("contract_notice_reminder") == ["director@trust.example"]


@pytest.mark.parametrize(("frequency", "sent"), [("immediately", 1), ("weekly", 0), ("never", 0)])
def test_preferences_decide_whether_the_reminder_comes_now(school, editor, now, today, prefer, frequency, sent):
    prefer(editor, contract_notice=frequency, plan_action_due="never")
    contract_with_deadline(school, today + 30 * DAY)

    assert reminders.contract_notice_deadlines(now=now) == sent
    assert OutboxMessage.objects.count() == sent
    assert SentReminder.objects.count() == sent


def test_inactive_people_are_not_emailed(school, editor, now, today):
    editor.is_active = False
    editor.save()
    contract_with_deadline(school, today + 30 * DAY)
    assert reminders.contract_notice_deadlines(now=now) == 0


def test_a_contract_whose_plan_action_is_done_needs_no_reminder(school, editor, now, today):
    from schooltech.planning.models import Plan, PlanAction

    decided = contract_with_deadline(school, today + 30 * DAY)
    undecided = contract_with_deadline(school, today + 30 * DAY)
    plan = Plan.objects.create(establishment=school)
    for contract, status in ((decided, "done"), (undecided, "in_progress")):
        PlanAction.objects.create(
            plan=plan,
            establishment=school,
            key=f"contract-notice:{contract.pk}",
            title="Decide whether to renew",
            why="",
            due_date=today + 30 * DAY,
            status=status,
        )

    assert reminders.contract_notice_deadlines(now=now) == 1
    assert SentReminder.objects.get().subject == undecided
