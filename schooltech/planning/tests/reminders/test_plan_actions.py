"""Technology plan actions: 14 days before they are due, and once when overdue."""

import datetime

import pytest

from schooltech.notifications.models import OutboxMessage, SentReminder
from schooltech.planning import reminders
from schooltech.planning.models import Plan, PlanAction

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def action(school, due, title="Replace the firewall", **fields):
    plan, _ = Plan.objects.get_or_create(establishment=school)
    fields.setdefault("key", f"test:{title}:{due}")
    return PlanAction.objects.create(
        plan=plan, establishment=school, title=title, why="Because", due_date=due, **fields
    )


@pytest.mark.parametrize(
    ("days_to_due", "stage", "fell_due_offset"),
    [(14, "due", -14), (0, "due", -14), (-1, "overdue", 1), (-30, "overdue", 1)],
)
def test_the_stage_and_date_a_plan_reminder_fell_due(today, days_to_due, stage, fell_due_offset):
    due = today + days_to_due * DAY
    assert reminders.plan_action_occurrence(due, today) == (stage, due + fell_due_offset * DAY)


def test_actions_due_in_the_next_14_days_go_to_editors_and_approvers_in_one_email_per_school(
    school, editor, approver, viewer, outsider, now, today, sent_to
):
    action(school, today + 14 * DAY, "Replace the firewall", owner="IT lead")
    action(school, today + 3 * DAY, "Renew the web filtering licence")
    action(school, today + 15 * DAY, "Not yet")

    assert reminders.plan_actions_due(now=now) == 2

    assert sent_to("plan_actions_due") == ["editor@oak.example", "head@oak.example"]
    message = OutboxMessage.objects.filter(to_email="editor@oak.example").get()
    assert message.personalisation["organisation_name"] == "Oak Primary School"
    assert message.personalisation["actions"] == (
        "* Renew the web filtering licence, due 4 March 2027\n"
        "* Replace the firewall, due 15 March 2027 (owner: IT lead)"
    )
    assert message.personalisation["plan_url"] == "http://127.0.0.1:8000/schools/800001/plan/actions"
    assert SentReminder.objects.filter(user=editor).count() == 2


def test_overdue_actions_are_reminded_once_in_their_own_email(school, editor, now, today, sent_to):
    action(school, today - DAY, "Test restoring the backups")

    assert reminders.plan_actions_due(now=now) == 1
    assert reminders.plan_actions_due(now=now + DAY) == 0
    assert reminders.plan_actions_due(now=now + 30 * DAY) == 0

    message = OutboxMessage.objects.get()
    assert message.template_key == "plan_actions_overdue"
    assert "Test restoring the backups, due 28 February 2027" in message.personalisation["actions"]


def test_an_action_is_reminded_when_due_soon_and_again_when_overdue(school, editor, now, today):
    action(school, today + 10 * DAY)

    assert reminders.plan_actions_due(now=now) == 1
    assert reminders.plan_actions_due(now=now + 10 * DAY) == 0  # due today: already reminded
    assert reminders.plan_actions_due(now=now + 11 * DAY) == 1

    assert list(OutboxMessage.objects.order_by("pk").values_list("template_key", flat=True)) == [
        "plan_actions_due",
        "plan_actions_overdue",
    ]


def test_a_new_action_due_soon_gets_its_own_reminder_without_repeating_the_others(school, editor, now, today):
    action(school, today + 5 * DAY, "First")
    reminders.plan_actions_due(now=now)
    action(school, today + 6 * DAY, "Second")

    assert reminders.plan_actions_due(now=now + DAY) == 1
    latest = OutboxMessage.objects.order_by("-pk").first()
    assert latest.personalisation["actions"] == "* Second, due 7 March 2027"


def test_done_deferred_inactive_duty_and_contract_notice_actions_are_left_out(school, editor, now, today):
    action(school, today + DAY, "Done", status=PlanAction.Status.DONE)
    action(school, today + DAY, "Deferred", status=PlanAction.Status.DEFERRED)
    action(school, today + DAY, "Gone", is_active=False)
    action(school, today + DAY, "Review user accounts (Spring term 2027)", rule_key="recurring_duties")
    action(school, today + DAY, "Give notice on the broadband", key="contract-notice:12", rule_key="contract_notice")

    assert reminders.plan_actions_due(now=now) == 0


def test_an_action_owner_who_is_a_user_hears_only_about_their_own_actions(school, viewer, outsider, now, today):
    action(school, today + DAY, "Governors' report", owner="governor@oak.example")
    action(school, today + DAY, "Someone else's")
    action(school, today + DAY, "Not theirs to see", owner="it@elm.example")

    assert reminders.plan_actions_due(now=now) == 1
    message = OutboxMessage.objects.get()
    assert message.to_email == "governor@oak.example"
    assert message.personalisation["actions"] == "* Governors' report, due 2 March 2027 (owner: governor@oak.example)"


@pytest.mark.parametrize(("frequency", "sent"), [("immediately", 1), ("weekly", 0), ("never", 0)])
def test_preferences_decide_whether_plan_reminders_come_now(school, editor, now, today, prefer, frequency, sent):
    prefer(editor, plan_action_due=frequency)
    action(school, today + DAY)

    assert reminders.plan_actions_due(now=now) == sent
    assert SentReminder.objects.count() == sent


def test_each_school_gets_its_own_email(school, other_school, member, now, today, sent_to):
    from tests.factories import TrustFactory

    trust = TrustFactory()
    for establishment in (school, other_school):
        establishment.trust = trust
        establishment.type_group_code = "10"
        establishment.save()
    member("director@trust.example", trust, "approver")
    action(school, today + DAY)
    action(other_school, today + 2 * DAY)

    assert reminders.plan_actions_due(now=now) == 2
    names = sorted(OutboxMessage.objects.values_list("personalisation__organisation_name", flat=True))
    assert names == ["Elm Secondary School", "Oak Primary School"]
